"""Admin saves of prices (with their intervals and tiers) and of inline rates are service calls.

So they take the offering's row lock and re-check the lock under it, like every other writer;
the form's own checks only give the user their errors early.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.admin_forms import change_form_data
from pricing import admin as pricing_admin
from pricing import admin_prices, rates, services
from pricing.models import PriceBookItem, PriceInterval, Rate
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import RateFactory, subscription_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    """Record each call of the services the admin uses, and still run them."""
    seen = []
    for module, name, admin_module in (
        (rates, "price_book_item_save", admin_prices),
        (rates, "rate_create", pricing_admin),
        (rates, "rate_update", pricing_admin),
        (services, "offering_save_page", pricing_admin),
    ):
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(admin_module, name, spy)
    return seen


@pytest.fixture
def price(vendor):
    offering = subscription_offering(vendor)
    rate = RateFactory(offering=offering)
    return rates.price_book_item_save(
        rate=rate,
        item=offering.offering_items.get().item,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal("5.00"))],
    )


def change_page(client, pbi):
    url = reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])
    return url, change_form_data(client.get(url))


def test_a_changed_price_is_saved_whole_by_the_service(vendor_client, vendor_user, price, calls):
    url, data = change_page(vendor_client, price)
    data["intervals-0-price"] = "6.50"

    response = vendor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert calls == ["price_book_item_save"]
    interval = PriceInterval.objects.get(price_book_item=price)
    assert interval.price == Decimal("6.50")
    assert interval.history.latest().history_user == vendor_user


def test_an_unchanged_price_is_not_rewritten(vendor_client, price, calls):
    interval = PriceInterval.objects.get(price_book_item=price)
    url, data = change_page(vendor_client, price)

    response = vendor_client.post(url, data)

    assert response.status_code == 302
    assert calls == []
    assert PriceInterval.objects.get(price_book_item=price).pk == interval.pk


def test_a_new_price_is_created_by_the_service(vendor_client, price, calls):
    rate = RateFactory(offering=price.rate.offering, currency="EUR")
    url = reverse("admin:pricing_pricebookitem_add")
    data = {
        "rate": rate.pk,
        "item": price.item_id,
        "charge_model": "per_unit",
        "pricing_type": "regular",
        "custom_attributes": "{}",
        "intervals-TOTAL_FORMS": "1",
        "intervals-INITIAL_FORMS": "0",
        "intervals-0-sequence": "1",
        "intervals-0-duration_unit": "infinity",
        "intervals-0-price": "4.00",
        "intervals-0-included_units": "0",
        "intervals-0-overage_price": "0",
        "intervals-0-tiers-TOTAL_FORMS": "0",
        "intervals-0-tiers-INITIAL_FORMS": "0",
        "_continue": "Save and continue editing",  # redirects to the new row's own page
    }

    response = vendor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    created = PriceBookItem.objects.get(rate=rate)
    assert response["Location"] == reverse("admin:pricing_pricebookitem_change", args=[created.pk])
    assert calls == ["price_book_item_save"]
    assert created.intervals.get().price == Decimal("4.00")


def test_inline_rates_are_added_and_changed_by_the_page_service(vendor_client, vendor_user, calls):
    """With the offering's fields and items, in one ``offering_save_page``."""
    offering = subscription_offering(vendor_user.membership.vendor)
    rate = RateFactory(offering=offering, name="USD monthly", currency="USD")
    url = reverse("admin:pricing_offering_change", args=[offering.pk])
    data = change_form_data(vendor_client.get(url))
    prefix = next(key for key in data if key.endswith("-0-currency")).rsplit("-0-", 1)[0]
    data[f"{prefix}-0-name"] = "USD monthly list"
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data.update(
        {
            f"{prefix}-1-name": "EUR monthly",
            f"{prefix}-1-currency": "EUR",
            f"{prefix}-1-billing_frequency": "monthly",
            f"{prefix}-1-status": "draft",
        }
    )

    response = vendor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert calls == ["offering_save_page"]
    assert Rate.objects.get(pk=rate.pk).name == "USD monthly list"
    added = Rate.objects.get(offering=offering, currency="EUR")
    assert added.history.get().history_user == vendor_user


def test_the_add_rate_page_creates_the_rate_through_the_service(vendor_client, vendor_user, calls):
    """Finding 4: the page wrote an active rate without the offering's row lock."""
    offering = subscription_offering(vendor_user.membership.vendor)
    data = {
        "offering": offering.pk,
        "name": "USD monthly",
        "currency": "usd",
        "billing_frequency": "monthly",
        "customer_group": "",
        "status": "active",
        "_activation_confirmed": "yes",  # the page that asks first was answered
        "price_book_items-TOTAL_FORMS": "0",
        "price_book_items-INITIAL_FORMS": "0",
    }

    response = vendor_client.post(reverse("admin:pricing_rate_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert calls == ["rate_create"]
    rate = Rate.objects.get(offering=offering)
    assert (rate.currency, rate.status) == ("USD", Rate.Status.ACTIVE)
    assert rate.history.get().history_user == vendor_user
