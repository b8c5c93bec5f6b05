"""The offering page saves its fields, items and rates in one service call: all or nothing.

A refusal only the service can see (the offering or a rate got locked after the page's
forms were checked) leaves the whole page unsaved, and is shown on the page, never a 500.
"""

from __future__ import annotations

import inspect

import pytest
from django.contrib.admin import options as admin_options
from django.urls import reverse

from catalog.models import Item
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory
from pricing import admin as pricing_admin
from pricing import services
from pricing.models import LockRefusal, Offering, OfferingItem, Rate
from pricing.tests.conftest import processed_quote
from pricing.tests.factories import subscription_offering

pytestmark = pytest.mark.django_db
WRITERS = ("pricing.services", "pricing.rates", "pricing.clone")


def offering_url(offering) -> str:
    return reverse("admin:pricing_offering_change", args=[offering.pk])


def add_item_row(data: dict, item) -> None:
    index = int(data["offering_items-TOTAL_FORMS"])
    data["offering_items-TOTAL_FORMS"] = index + 1
    data[f"offering_items-{index}-item"] = item.pk
    data[f"offering_items-{index}-default_quantity"] = 0


def add_rate_row(data: dict, **fields) -> None:
    index = int(data["rates-TOTAL_FORMS"])
    data["rates-TOTAL_FORMS"] = index + 1
    data.update({f"rates-{index}-{name}": value for name, value in fields.items()})


@pytest.fixture
def after_the_forms_are_checked(monkeypatch):
    """Run ``then`` once the page's forms and inlines are valid, before anything is saved:
    what another request could commit between the checks and the service call."""
    todo = []
    real = admin_options.all_valid

    def all_valid(formsets):
        valid = real(formsets)
        if valid:
            while todo:
                todo.pop()()
        return valid

    monkeypatch.setattr(admin_options, "all_valid", all_valid)
    return todo.append


def test_a_refused_item_change_saves_nothing_of_the_page(
    vendor_client, vendor_user, draft_rate_offering, after_the_forms_are_checked
):
    world = draft_rate_offering
    offering, rate = world["offering"], world["rate"]
    extra = ItemFactory(product=world["seats"].product, kind=Item.Kind.USAGE)
    url = offering_url(offering)
    data = change_form_data(vendor_client.get(url))
    data["name"] = "Renamed"
    add_item_row(data, extra)
    add_rate_row(data, name="EUR", currency="EUR", billing_frequency="monthly", status="draft")
    after_the_forms_are_checked(
        lambda: Rate.objects.filter(pk=rate.pk).update(status=Rate.Status.ACTIVE)
    )

    response = vendor_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "OFFERING_LOCKED" in response.content.decode()
    assert Offering.objects.get(pk=offering.pk).name == "Seats with fee"
    assert not OfferingItem.objects.filter(item=extra).exists()
    assert not Rate.objects.filter(offering=offering, currency="EUR").exists()
    refusal = LockRefusal.objects.get()
    assert (refusal.user, refusal.attempted) == (vendor_user, "change its items")


def test_a_refused_rate_change_saves_nothing_of_the_page(
    vendor_client, draft_rate_offering, after_the_forms_are_checked
):
    world = draft_rate_offering
    offering, rate = world["offering"], world["rate"]
    url = offering_url(offering)
    data = change_form_data(vendor_client.get(url))
    data["name"] = "Renamed"
    data["description"] = "Now with support"
    data["rates-0-billing_frequency"] = "yearly"

    def sold():
        Rate.objects.filter(pk=rate.pk).update(status=Rate.Status.ACTIVE)
        processed_quote(world)

    after_the_forms_are_checked(sold)

    response = vendor_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "RATE_LOCKED" in response.content.decode()
    offering.refresh_from_db()
    assert (offering.name, offering.description) == ("Seats with fee", "")
    assert Rate.objects.get(pk=rate.pk).billing_frequency == "monthly"


def test_the_type_and_the_items_change_together(vendor_client, vendor_user):
    """The new type is checked against the new items, not against the ones they replace."""
    offering = subscription_offering(
        vendor_user.membership.vendor, kinds=(Item.Kind.SUBSCRIPTION, Item.Kind.USAGE)
    )
    usage = offering.offering_items.get(item__kind=Item.Kind.USAGE)
    url = offering_url(offering)
    data = change_form_data(vendor_client.get(url))
    data["type"] = Offering.Type.ONE_TIME
    row = next(
        key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.startswith("offering_items-") and key.endswith("-id") and value == str(usage.pk)
    )
    data[f"{row}-DELETE"] = "on"

    response = vendor_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "errorlist" not in response.content.decode()
    assert Offering.objects.get(pk=offering.pk).type == Offering.Type.ONE_TIME
    assert list(offering.offering_items.values_list("item__kind", flat=True)) == ["subscription"]


def test_the_change_page_is_one_service_call(vendor_client, vendor_user, monkeypatch):
    calls = []
    for name in dir(pricing_admin):
        real = getattr(pricing_admin, name)
        if inspect.isfunction(real) and real.__module__ in WRITERS:

            def spy(*args, _real=real, _name=name, **kwargs):
                calls.append(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(pricing_admin, name, spy)
    offering = subscription_offering(vendor_user.membership.vendor)
    rate = Rate.objects.create(offering=offering, name="USD", currency="USD")
    extra = ItemFactory(product=offering.offering_items.get().item.product)
    url = offering_url(offering)
    data = change_form_data(vendor_client.get(url))
    data["name"] = "Renamed"
    add_item_row(data, extra)
    data["rates-0-name"] = "USD list"
    add_rate_row(data, name="EUR", currency="EUR", billing_frequency="monthly", status="draft")

    response = vendor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert calls == ["offering_save_page"]
    assert Offering.objects.get(pk=offering.pk).name == "Renamed"
    assert offering.offering_items.filter(item=extra).exists()
    assert Rate.objects.get(pk=rate.pk).name == "USD list"
    assert Rate.objects.get(offering=offering, currency="EUR").history.get().history_user == (
        vendor_user
    )


def test_the_add_page_is_one_service_call(vendor_client, vendor_user, monkeypatch):
    calls = []
    real = services.offering_save_page

    def spy(**kwargs):
        calls.append("offering_save_page")
        return real(**kwargs)

    monkeypatch.setattr(pricing_admin, "offering_save_page", spy)
    seats = ItemFactory(product__vendor=vendor_user.membership.vendor, kind=Item.Kind.SUBSCRIPTION)
    data = {
        "vendor": seats.product.vendor_id,
        "name": "New offering",
        "description": "",
        "status": "active",
        "type": "subscription",
        "start_date": "2026-01-01",
        "end_date": "",
        "offering_items-TOTAL_FORMS": 0,
        "offering_items-INITIAL_FORMS": 0,
        "rates-TOTAL_FORMS": 0,
        "rates-INITIAL_FORMS": 0,
    }
    add_item_row(data, seats)
    add_rate_row(data, name="USD", currency="USD", billing_frequency="monthly", status="draft")

    response = vendor_client.post(reverse("admin:pricing_offering_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert calls == ["offering_save_page"]
    offering = Offering.objects.get(name="New offering")
    assert response["Location"] == reverse("admin:pricing_offering_changelist")
    assert list(offering.offering_items.values_list("item", flat=True)) == [seats.pk]
    assert offering.rates.get().history.get().history_user == vendor_user
