"""PATCH /api/v1/offerings/{id}/items/{item_id}/ changes one offering item (default quantity,
required, what it applies to) through ``offering_update_item``: under the offering's row
lock, refused while it is locked, checked against the offering's type; a refusal changes no
row."""

from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import rates
from pricing.models import LockRefusal, OfferingItem, OfferingItemScope
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import percent_of_total_offering, subscription_offering
from pricing.tests.rows import pricing_rows

pytestmark = pytest.mark.django_db
API = "/api/v1"


def line_in(body, item) -> dict:
    return next(line for line in body["items"] if line["item"] == item.pk)


@pytest.fixture
def percent(vendor):
    """A percent-of-total offering (support on seats), its rate back to draft: unlocked."""
    world = percent_of_total_offering(
        vendor, seat_price="10", seats=5, percents=[IntervalSpec(price=Decimal("10"))]
    )
    rates.rate_update(rate=world["rate"], status="draft")
    return world


def test_patch_changes_the_fields_given_and_keeps_the_others(
    vendor_api, vendor_user, draft_rate_offering
):
    world = draft_rate_offering
    offering, seats = world["offering"], world["seats"]
    url = f"{API}/offerings/{offering.pk}/items/{seats.pk}/"

    response = vendor_api.patch(url, {"default_quantity": 40}, format="json")

    assert response.status_code == 200, response.json()
    assert line_in(response.json(), seats) == {
        "item": seats.pk,
        "default_quantity": 40,
        "required": True,
        "applies_to": [],
    }
    line = OfferingItem.objects.get(offering=offering, item=seats)
    assert line.history.latest().history_user == vendor_user

    response = vendor_api.patch(url, {"required": False}, format="json")

    assert response.status_code == 200, response.json()
    assert line_in(response.json(), seats)["default_quantity"] == 40
    assert line_in(response.json(), seats)["required"] is False
    others = {line["item"]: line for line in response.json()["items"]}
    assert others[world["fee"].pk]["default_quantity"] == 1


def test_patch_replaces_what_a_percent_item_applies_to(vendor_api, percent):
    offering, seats, support = percent["offering"], percent["seats"], percent["percent"]
    more = ItemFactory(product=seats.product, kind="subscription")
    url = f"{API}/offerings/{offering.pk}/items/{support.pk}/"

    response = vendor_api.patch(url, {"applies_to": [more.pk]}, format="json")

    assert response.status_code == 200, response.json()
    assert line_in(response.json(), support)["applies_to"] == [more.pk]
    assert line_in(response.json(), support)["default_quantity"] == 1


def test_a_locked_offering_refuses_a_change_and_keeps_every_row(vendor_api, locked):
    offering, seats = locked["offering"], locked["seats"]
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{seats.pk}/", {"default_quantity": 99}, format="json"
    )

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "OFFERING_LOCKED"
    assert response.json()["lock_reasons"]
    assert pricing_rows() == before
    refusal = LockRefusal.objects.get(offering=offering)
    assert refusal.attempted == f"change item {seats.mpn}"


def test_a_locked_offering_takes_the_values_it_already_has(vendor_api, locked):
    offering, seats = locked["offering"], locked["seats"]

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{seats.pk}/",
        {"default_quantity": 10, "required": True, "applies_to": []},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert not LockRefusal.objects.exists()


def test_a_scope_on_an_item_that_takes_none_is_400_and_changes_nothing(
    vendor_api, draft_rate_offering
):
    world = draft_rate_offering
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{world['offering'].pk}/items/{world['seats'].pk}/",
        {"applies_to": [world["fee"].pk]},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "INVALID_OFFERING_COMPOSITION"
    assert "has a scope" in response.json()["detail"]
    assert pricing_rows() == before


def test_a_scope_may_name_the_vendors_items_of_other_offerings(vendor_api, percent):
    """Seed 002's application list: the vendor's subscription items, in any offering."""
    offering, support = percent["offering"], percent["percent"]
    elsewhere = ItemFactory(product=percent["seats"].product, kind="subscription")

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{support.pk}/",
        {"applies_to": [elsewhere.pk]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert OfferingItemScope.objects.filter(item=elsewhere).exists()


def test_a_scope_naming_the_wrong_kind_is_400_and_changes_nothing(vendor_api, percent):
    offering, support = percent["offering"], percent["percent"]
    usage = ItemFactory(product=percent["seats"].product, kind="usage")
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{support.pk}/",
        {"applies_to": [usage.pk]},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "INVALID_OFFERING_COMPOSITION"
    assert pricing_rows() == before


def test_another_vendors_item_in_the_scope_is_400_like_an_unknown_id(
    vendor_api, percent, other_vendor
):
    theirs = ItemFactory(product=ProductFactory(vendor=other_vendor), kind="subscription")
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{percent['offering'].pk}/items/{percent['percent'].pk}/",
        {"applies_to": [theirs.pk]},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert "applies_to" in response.json()["errors"]
    assert pricing_rows() == before


@pytest.mark.parametrize("which", ["not in the offering", "another vendor's item"])
def test_an_item_the_offering_does_not_hold_is_404(vendor_api, vendor, other_vendor, which):
    offering = subscription_offering(vendor)
    owner = vendor if which == "not in the offering" else other_vendor
    item = ItemFactory(product=ProductFactory(vendor=owner), kind="subscription")
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{item.pk}/", {"default_quantity": 2}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert pricing_rows() == before


def test_another_vendors_offering_is_404(vendor_api, other_vendor):
    offering = subscription_offering(other_vendor)
    item = offering.offering_items.get().item
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{item.pk}/", {"default_quantity": 2}, format="json"
    )

    assert response.status_code == 404
    assert pricing_rows() == before


@pytest.mark.parametrize(
    "body", [{"default_quantity": -1}, {"required": "maybe"}, {"applies_to": 3}, [1]]
)
def test_bad_values_are_400_and_change_nothing(vendor_api, vendor, body):
    offering = subscription_offering(vendor)
    item = offering.offering_items.get().item
    before = pricing_rows()

    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/items/{item.pk}/", body, format="json"
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert pricing_rows() == before
