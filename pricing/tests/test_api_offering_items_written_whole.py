"""PUT /api/v1/offerings/{id}/items/ writes the offering's whole item list in one request,
through ``offering_set_items``: checked as a whole, refused whole, and refused changes leave
every row as it was."""

from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import rates
from pricing.models import LockRefusal, OfferingItem
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import percent_of_total_offering, subscription_offering
from pricing.tests.rows import pricing_rows

pytestmark = pytest.mark.django_db
API = "/api/v1"


def items_of(body) -> dict[int, tuple]:
    return {
        line["item"]: (line["default_quantity"], line["required"], line["applies_to"])
        for line in body["items"]
    }


def test_put_makes_the_offering_hold_exactly_the_list(vendor_api, vendor_user, draft_rate_offering):
    world = draft_rate_offering
    offering = world["offering"]
    extra = ItemFactory(product=world["seats"].product, kind="subscription")
    body = [
        {"item": world["seats"].pk, "default_quantity": 25, "required": True},
        {"item": world["fee"].pk, "default_quantity": 1, "required": False},
        {"item": world["addon"].pk},
        {"item": extra.pk, "default_quantity": 3},
    ]

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body, format="json")

    assert response.status_code == 200, response.json()
    assert items_of(response.json()) == {
        world["seats"].pk: (25, True, []),
        world["fee"].pk: (1, False, []),
        world["addon"].pk: (0, False, []),
        extra.pk: (3, False, []),
    }
    line = OfferingItem.objects.get(offering=offering, item=extra)
    assert line.history.latest().history_user == vendor_user

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body[:3], format="json")

    assert response.status_code == 200, response.json()
    assert extra.pk not in items_of(response.json())
    assert not OfferingItem.objects.filter(offering=offering, item=extra).exists()


def test_put_sets_what_a_percent_item_applies_to(vendor_api, vendor):
    world = percent_of_total_offering(
        vendor, seat_price="10", seats=5, percents=[IntervalSpec(price=Decimal("10"))]
    )
    offering = world["offering"]
    rates.rate_update(rate=world["rate"], status="draft")
    seats, support = world["seats"], world["percent"]
    more = ItemFactory(product=seats.product, kind="subscription")
    body = [{"item": support.pk, "default_quantity": 1, "applies_to": [seats.pk, more.pk]}]

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body, format="json")

    assert response.status_code == 200, response.json()
    assert items_of(response.json()) == {support.pk: (1, False, sorted([seats.pk, more.pk]))}


def test_a_percent_offering_that_would_hold_what_it_applies_to_is_400(vendor_api, vendor):
    """Seed 002: a Percent of Total offering holds its one item; the seats are sold elsewhere."""
    world = percent_of_total_offering(
        vendor, seat_price="10", seats=5, percents=[IntervalSpec(price=Decimal("10"))]
    )
    offering = world["offering"]
    rates.rate_update(rate=world["rate"], status="draft")
    seats, support = world["seats"], world["percent"]
    before = pricing_rows()
    body = [
        {"item": support.pk, "default_quantity": 1, "applies_to": [seats.pk]},
        {"item": seats.pk, "default_quantity": 5},
    ]

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "INVALID_OFFERING_COMPOSITION"
    assert f"cannot contain subscription item {seats.mpn}" in str(response.json())
    assert pricing_rows() == before


def test_a_locked_offering_refuses_a_changed_list_and_keeps_every_row(vendor_api, locked):
    offering = locked["offering"]
    extra = ItemFactory(product=locked["seats"].product, kind="subscription")
    current = vendor_api.get(f"{API}/offerings/{offering.pk}/").json()["items"]
    before = pricing_rows()

    response = vendor_api.put(
        f"{API}/offerings/{offering.pk}/items/", [*current, {"item": extra.pk}], format="json"
    )

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "OFFERING_LOCKED"
    assert response.json()["lock_reasons"]
    assert pricing_rows() == before
    assert LockRefusal.objects.filter(offering=offering).count() == 1


def test_a_locked_offering_takes_the_list_it_already_has(vendor_api, locked):
    offering = locked["offering"]
    current = vendor_api.get(f"{API}/offerings/{offering.pk}/").json()["items"]

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", current, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["items"] == current
    assert not LockRefusal.objects.exists()


@pytest.mark.parametrize("problem", ["no subscription item", "twice", "priced item left out"])
def test_a_list_that_does_not_fit_is_400_and_changes_nothing(
    vendor_api, draft_rate_offering, problem
):
    world = draft_rate_offering
    offering = world["offering"]
    usage = ItemFactory(product=world["seats"].product, kind="usage")
    body = {
        "no subscription item": [{"item": usage.pk}],
        "twice": [{"item": world["seats"].pk}, {"item": world["seats"].pk}],
        "priced item left out": [{"item": world["seats"].pk}, {"item": world["fee"].pk}],
    }[problem]
    before = pricing_rows()

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "INVALID_OFFERING_COMPOSITION"
    assert response.json()["errors"]["items"]
    assert pricing_rows() == before


def test_another_vendors_item_is_400_like_an_unknown_id(vendor_api, vendor, other_vendor):
    offering = subscription_offering(vendor)
    own = offering.offering_items.get().item
    theirs = ItemFactory(product=ProductFactory(vendor=other_vendor), kind="subscription")
    before = pricing_rows()

    for body in (
        [{"item": own.pk}, {"item": theirs.pk}],
        [{"item": own.pk, "applies_to": [theirs.pk]}],
    ):
        response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body, format="json")

        assert response.status_code == 400, response.json()
        assert response.json()["code"] == "VALIDATION_ERROR"
        assert "does not exist" in str(response.json()["errors"])
    assert pricing_rows() == before


def test_another_vendors_offering_is_404(vendor_api, other_vendor):
    offering = subscription_offering(other_vendor)
    item = offering.offering_items.get().item
    before = pricing_rows()

    response = vendor_api.put(
        f"{API}/offerings/{offering.pk}/items/", [{"item": item.pk}], format="json"
    )

    assert response.status_code == 404
    assert pricing_rows() == before


@pytest.mark.parametrize(
    "body", [{"item": 1}, "items", [{"item": "x"}], [{"default_quantity": -1}]]
)
def test_a_body_that_is_no_list_of_items_is_400(vendor_api, vendor, body):
    offering = subscription_offering(vendor)
    before = pricing_rows()

    response = vendor_api.put(f"{API}/offerings/{offering.pk}/items/", body, format="json")

    assert response.status_code == 400, response.json()
    assert set(response.json()) >= {"code", "detail", "errors"}
    assert pricing_rows() == before
