"""A quote sells the price its channel, customer group and custom attributes select, through
the price selector: a group's or a channel's rate is sold only to it, a price with custom
attributes can be sold, and the line records which price applied and why."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, MarketplaceFactory, ProductFactory
from pricing import errors, quote_lines, rates, selling, services
from pricing.pricebook import IntervalSpec

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def shop(vendor):
    """Seats at 10.00 for anyone, 8.00 in a "promo" rate, 9.00 in a North America rate, and
    12.00 for the "north" region."""
    us = MarketplaceFactory(code="us", currency="USD")
    seats = ItemFactory(product=ProductFactory(vendor=vendor), mpn="SEATS")
    offering = services.offering_create(vendor=vendor, name="Seats", start_date=date(2026, 1, 1))
    services.offering_add_item(offering=offering, item=seats)

    def rate(name, amount, attributes=None, **fields):
        made = rates.rate_create(offering=offering, name=name, currency="USD", **fields)
        rates.price_book_item_save(
            rate=made,
            item=seats,
            charge_model="per_unit",
            intervals=[IntervalSpec(price=Decimal(amount))],
        )
        if attributes:
            rates.price_book_item_save(
                rate=made,
                item=seats,
                charge_model="per_unit",
                intervals=[IntervalSpec(price=Decimal(attributes[1]))],
                custom_attributes=attributes[0],
            )
        rates.rate_activate(rate=made)
        return made

    return {
        "vendor": vendor,
        "us": us,
        "seats": seats,
        "offering": offering,
        "list": rate("list", "10", ({"region": "north"}, "12")),
        "promo": rate("promo", "8", customer_group="promo"),
        "north america": rate("north america", "9", sales_channel=us),
    }


def sell(shop, rate, *, channel=None, group="", attributes=None):
    quote = selling.quote_create(
        vendor=shop["vendor"],
        customer="Anyone at all",
        currency="USD",
        start_date=date(2026, 1, 1),
        periods=1,
        sales_channel=channel,
        customer_group=group,
        lines=[
            quote_lines.QuoteLineSpec(
                offering=shop["offering"],
                rate=shop[rate],
                item=shop["seats"],
                quantity=Decimal(10),
                custom_attributes=attributes or {},
            )
        ],
    )
    return selling.quote_process(quote=quote, on=date(2026, 1, 1))


def test_a_customer_groups_rate_is_not_sold_to_anyone_else(shop):
    with pytest.raises(errors.PriceMissing) as refused:
        sell(shop, "promo")
    assert refused.value.code == "PRICE_MISSING"
    assert "customer group 'promo' only" in str(refused.value)
    with pytest.raises(errors.PriceMissing):
        sell(shop, "promo", group="vip")


def test_a_customer_groups_rate_is_sold_to_that_group_and_says_why(shop):
    line = sell(shop, "promo", group="promo").lines.get()
    assert line.amount == Decimal("80.00")
    assert line.price_reason == (
        "rate 'promo' (USD, monthly, every channel, customer group 'promo')"
    )


def test_a_channels_rate_is_sold_only_on_that_channel(shop):
    with pytest.raises(errors.PriceMissing) as refused:
        sell(shop, "north america")
    assert "sells only on" in str(refused.value)
    line = sell(shop, "north america", channel=shop["us"]).lines.get()
    assert line.amount == Decimal("90.00")
    assert "channel" in line.price_reason and "every channel" not in line.price_reason


def test_a_line_naming_a_less_specific_rate_is_refused_naming_the_one_that_applies(shop):
    """On the North America channel its own rate beats the every-channel list price."""
    with pytest.raises(errors.PriceMissing) as refused:
        sell(shop, "list", channel=shop["us"])
    assert refused.value.details["reason"] == "other_rate"
    assert "rate 'north america'" in str(refused.value)
    assert "quote that rate" in str(refused.value)
    with pytest.raises(errors.PriceMissing):  # a group's rate beats a channel's
        sell(shop, "north america", channel=shop["us"], group="promo")
    assert sell(shop, "promo", channel=shop["us"], group="promo").lines.get().amount == 80


def test_a_price_with_custom_attributes_can_be_sold(shop):
    line = sell(shop, "list", attributes={"region": "north"}).lines.get()
    assert line.amount == Decimal("120.00")
    assert line.price_book_item.custom_attributes == {"region": "north"}
    assert line.price_reason.endswith("attributes {'region': 'north'}")
    with pytest.raises(errors.PriceMissing) as refused:
        sell(shop, "list", attributes={"region": "south"})
    assert "custom attributes {'region': 'south'}" in str(refused.value)


def test_the_api_takes_the_channel_group_and_attributes(vendor_api, shop):
    body = {
        "customer": "Contoso",
        "currency": "USD",
        "start_date": "2026-01-01",
        "periods": 1,
        "sales_channel": shop["us"].pk,
        "customer_group": "promo",
        "lines": [
            {
                "offering": shop["offering"].pk,
                "rate": shop["list"].pk,
                "item": shop["seats"].pk,
                "quantity": "2",
                "custom_attributes": {"region": "north"},
            }
        ],
    }
    created = vendor_api.post(f"{API}/quotes/", body, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["sales_channel"], created.json()["customer_group"]) == (
        shop["us"].pk,
        "promo",
    )
    processed = vendor_api.post(f"{API}/quotes/{created.json()['id']}/process/", format="json")
    assert processed.status_code == 200, processed.json()
    line = processed.json()["lines"][0]
    assert (line["amount"], line["custom_attributes"]) == ("24.000000", {"region": "north"})
    assert line["price_reason"].startswith("rate 'list'")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sales_channel": "eu"}, "sales_channel"),  # sells in EUR, the quote in USD
        ({"lines": [{"custom_attributes": ["not", "a", "mapping"]}]}, "lines"),
    ],
)
def test_bad_selling_terms_are_400_and_save_nothing(vendor_api, shop, changes, field):
    from pricing.models import Quote

    eu = MarketplaceFactory(code="eu", currency="EUR", countries="DE")
    line = {
        "offering": shop["offering"].pk,
        "rate": shop["list"].pk,
        "item": shop["seats"].pk,
        "quantity": "1",
    }
    body = {"customer": "Contoso", "currency": "USD", "lines": [line]}
    if "sales_channel" in changes:
        body["sales_channel"] = eu.pk
    else:
        body["lines"] = [{**line, **changes["lines"][0]}]
    response = vendor_api.post(f"{API}/quotes/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Quote.objects.exists()


def test_the_admin_takes_the_group_and_attributes_and_processes_through_the_selector(
    vendor_client, shop
):
    from django.urls import reverse

    from pricing.models import Quote

    data = {
        "vendor": shop["vendor"].pk,
        "customer": "Woodgrove",
        "currency": "USD",
        "start_date": "2026-01-01",
        "periods": "1",
        "sales_channel": shop["us"].pk,
        "customer_group": "promo",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-offering": shop["offering"].pk,
        "lines-0-rate": shop["promo"].pk,
        "lines-0-item": shop["seats"].pk,
        "lines-0-quantity": "10",
        "lines-0-custom_attributes": "{}",
        "lines-1-offering": shop["offering"].pk,
        "lines-1-rate": shop["list"].pk,
        "lines-1-item": shop["seats"].pk,
        "lines-1-quantity": "1",
        "lines-1-custom_attributes": '{"region": "north"}',
    }
    response = vendor_client.post(reverse("admin:pricing_quote_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote = Quote.objects.get()
    assert (quote.sales_channel, quote.customer_group) == (shop["us"], "promo")
    assert sorted(quote.lines.values_list("custom_attributes", flat=True), key=len) == [
        {},
        {"region": "north"},
    ]
    vendor_client.post(reverse("admin:pricing_quote_process", args=[quote.pk]), follow=True)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.PROCESSED
    assert quote.total == Decimal("92.00")  # 10 × 8.00 (promo) + 1 × 12.00 (north)
    page = vendor_client.get(reverse("admin:pricing_quote_change", args=[quote.pk]))
    assert "customer group &#x27;promo&#x27;" in page.content.decode()  # why, on the page
