"""Pricing through the API: offerings and their lock, rates, nested prices, quotes."""

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing.models import LockRefusal, OfferingItem, PriceBookItem, PriceTier, Quote
from pricing.tests.factories import OfferingFactory, priced_offering

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_offering_create_and_add_items(vendor_api, vendor):
    product = ProductFactory(vendor=vendor)
    seats = ItemFactory(product=product, kind="subscription")
    response = vendor_api.post(
        f"{API}/offerings/",
        {"name": "Seats", "type": "subscription", "start_date": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    offering_id = response.json()["id"]
    assert response.json()["vendor"] == vendor.pk
    assert response.json()["locked"] is False
    response = vendor_api.post(
        f"{API}/offerings/{offering_id}/items/",
        {"item": seats.pk, "default_quantity": 10, "required": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["items"] == [
        {"item": seats.pk, "default_quantity": 10, "required": True, "applies_to": []}
    ]


def test_composition_error_has_its_code(vendor_api, vendor):
    offering = OfferingFactory(vendor=vendor)
    usage = ItemFactory(product=ProductFactory(vendor=vendor), kind="usage")
    response = vendor_api.post(
        f"{API}/offerings/{offering.pk}/items/", {"item": usage.pk}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_OFFERING_COMPOSITION"
    assert "at least one subscription item" in body["detail"]
    assert not OfferingItem.objects.exists()


def test_locked_offering_answers_409_with_reasons_and_records_it(vendor_api, vendor_user, locked):
    offering = locked["offering"]
    extra = ItemFactory(product=locked["seats"].product)
    response = vendor_api.post(
        f"{API}/offerings/{offering.pk}/items/", {"item": extra.pk}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "OFFERING_LOCKED"
    assert f"used by processed quote Q-{locked['quote'].pk}" in body["lock_reasons"]
    assert LockRefusal.objects.get().user == vendor_user
    response = vendor_api.delete(f"{API}/offerings/{offering.pk}/items/{locked['seats'].pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "OFFERING_LOCKED"
    response = vendor_api.patch(
        f"{API}/offerings/{offering.pk}/", {"type": "one_time"}, format="json"
    )
    assert response.status_code == 409
    detail = vendor_api.get(f"{API}/offerings/{offering.pk}/").json()
    assert detail["locked"] is True and detail["type"] == "subscription"
    assert len(detail["items"]) == 3


def test_clone_inactivate_and_history(vendor_api, locked):
    offering = locked["offering"]
    response = vendor_api.post(
        f"{API}/offerings/{offering.pk}/clone/", {"name": "Seats 2027"}, format="json"
    )
    assert response.status_code == 201
    copy = response.json()
    assert (copy["name"], copy["locked"]) == ("Seats 2027", False)
    extra = ItemFactory(product=locked["seats"].product, kind="usage")
    assert (
        vendor_api.post(
            f"{API}/offerings/{copy['id']}/items/", {"item": extra.pk}, format="json"
        ).status_code
        == 201
    )
    response = vendor_api.post(f"{API}/offerings/{offering.pk}/inactivate/")
    assert response.json()["status"] == "inactive"
    history = vendor_api.get(f"{API}/offerings/{offering.pk}/history/").json()
    assert any(v["reason"] == "inactivated through the API" for v in history["versions"])
    assert any("processed" in event["why"] for event in history["lock_events"])


def test_price_preview(vendor_api, sellable):
    response = vendor_api.post(
        f"{API}/offerings/{sellable['offering'].pk}/price-preview/",
        {
            "rate": sellable["rate"].pk,
            "start_date": "2026-01-31",
            "periods": 2,
            "lines": [
                {"item": sellable["seats"].pk, "quantity": "10"},
                {"item": sellable["fee"].pk, "quantity": "1"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["currency"] == "USD"
    # "end" is each period's last day, as the schema says (periods run to the next one's start).
    assert [(p["start"], p["end"]) for p in body["lines"][0]["periods"]] == [
        ("2026-01-31", "2026-02-27"),
        ("2026-02-28", "2026-03-30"),
    ]
    assert body["lines"][0]["total"] == "240.00"
    assert body["total"] == "1740.00"


def test_price_book_item_written_whole_with_intervals_and_tiers(vendor_api, sellable):
    from pricing import rates, services

    rates.rate_update(rate=sellable["rate"], status="draft")
    extra = ItemFactory(product=sellable["seats"].product, kind="usage")
    offering = sellable["offering"]
    services.offering_add_item(offering=offering, item=extra)
    body = {
        "rate": sellable["rate"].pk,
        "item": extra.pk,
        "charge_model": "tiered",
        "pricing_type": "interval",
        "custom_attributes": {"region": "north"},
        "intervals": [
            {
                "duration_unit": "month",
                "duration": 12,
                "price": "0",
                "tiers": [
                    {"start_unit": "0", "end_unit": "10", "price": "1.00"},
                    {"start_unit": "10", "end_unit": None, "price": "0.80"},
                ],
            },
            {
                "duration_unit": "infinity",
                "price": "0",
                "tiers": [{"start_unit": "0", "end_unit": None, "price": "0.70"}],
            },
        ],
    }
    response = vendor_api.post(f"{API}/price-book-items/", body, format="json")
    assert response.status_code == 201, response.json()
    pbi_id = response.json()["id"]
    assert PriceTier.objects.filter(interval__price_book_item_id=pbi_id).count() == 3
    body["intervals"] = [
        {
            "duration_unit": "infinity",
            "price": "0",
            "tiers": [{"start_unit": "0", "end_unit": None, "price": "0.50"}],
        }
    ]
    body["pricing_type"] = "regular"
    response = vendor_api.put(f"{API}/price-book-items/{pbi_id}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["intervals"][0]["tiers"][0]["price"] == "0.500000"
    duplicate = vendor_api.post(f"{API}/price-book-items/", body, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "DUPLICATE_PRICE_BOOK_ITEM"


@pytest.mark.parametrize(
    "tiers",
    [
        [{"start_unit": "0", "end_unit": "10", "price": "1"}, {"start_unit": "20", "price": "1"}],
        [],
    ],
)
def test_bad_tiers_are_400_and_nothing_saved(vendor_api, sellable, tiers):
    from pricing import rates

    rates.rate_update(rate=sellable["rate"], status="draft")
    response = vendor_api.post(
        f"{API}/price-book-items/",
        {
            "rate": sellable["rate"].pk,
            "item": sellable["addon"].pk,
            "charge_model": "volume",
            "intervals": [{"duration_unit": "infinity", "tiers": tiers}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_PRICE_BOOK_ITEM"
    assert PriceBookItem.objects.count() == 3


def test_used_rate_answers_rate_locked(vendor_api, locked):
    pbi = locked["rate"].price_book_items.get(item=locked["seats"])
    response = vendor_api.put(
        f"{API}/price-book-items/{pbi.pk}/",
        {
            "rate": locked["rate"].pk,
            "item": locked["seats"].pk,
            "charge_model": "per_unit",
            "intervals": [{"duration_unit": "infinity", "price": "99"}],
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "RATE_LOCKED"
    assert vendor_api.delete(f"{API}/price-book-items/{pbi.pk}/").status_code == 409
    assert vendor_api.delete(f"{API}/rates/{locked['rate'].pk}/").json()["code"] == "RATE_LOCKED"
    response = vendor_api.patch(
        f"{API}/rates/{locked['rate'].pk}/", {"status": "inactive"}, format="json"
    )
    assert response.status_code == 200


def test_quote_create_and_process(vendor_api, sellable):
    lines = [
        {
            "offering": sellable["offering"].pk,
            "rate": sellable["rate"].pk,
            "item": sellable[mpn].pk,
            "quantity": qty,
        }
        for mpn, qty in (("seats", 10), ("fee", 1))
    ]
    response = vendor_api.post(
        f"{API}/quotes/",
        {
            "customer": "Contoso",
            "currency": "USD",
            "start_date": "2026-01-01",
            "periods": 12,
            "lines": lines,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    quote_id = response.json()["id"]
    response = vendor_api.post(f"{API}/quotes/{quote_id}/process/")
    assert response.status_code == 200, response.json()
    assert response.json()["total"] == "2940.000000"
    again = vendor_api.post(f"{API}/quotes/{quote_id}/process/")
    assert (again.status_code, again.json()["code"]) == (409, "QUOTE_NOT_DRAFT")
    contract = vendor_api.post(f"{API}/contracts/", {"quote": quote_id}, format="json")
    assert contract.status_code == 201, contract.json()
    assert contract.json()["offerings"] == [sellable["offering"].pk]


def test_quote_processing_error_names_the_line(vendor_api, sellable):
    response = vendor_api.post(
        f"{API}/quotes/",
        {
            "customer": "B",
            "currency": "USD",
            "lines": [
                {
                    "offering": sellable["offering"].pk,
                    "rate": sellable["rate"].pk,
                    "item": sellable["seats"].pk,
                    "quantity": 1,
                }
            ],
        },
        format="json",
    )
    response = vendor_api.post(f"{API}/quotes/{response.json()['id']}/process/")
    assert response.status_code == 400
    assert response.json()["code"] == "REQUIRED_ITEM_MISSING"
    assert Quote.objects.get().status == "draft"


def test_other_vendors_pricing_is_404_and_foreign_keys_400(vendor_api, other_vendor, vendor):
    theirs = priced_offering(other_vendor)
    for url in (f"{API}/offerings/{theirs.pk}/", f"{API}/rates/{theirs.rates.get().pk}/"):
        response = vendor_api.get(url)
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")
    response = vendor_api.post(
        f"{API}/rates/", {"offering": theirs.pk, "name": "x", "currency": "USD"}, format="json"
    )
    assert response.status_code == 400
    assert theirs.name not in response.content.decode()
    assert vendor_api.get(f"{API}/offerings/").json()["count"] == 0


def test_distributors_read_nothing_of_pricing_and_write_nothing(distributor_api, vendor):
    priced_offering(vendor)
    assert distributor_api.get(f"{API}/offerings/").json()["count"] == 0
    response = distributor_api.post(f"{API}/offerings/", {"name": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "PERMISSION_DENIED")


def test_anonymous_is_401(api_client):
    response = api_client.get(f"{API}/offerings/")
    assert (response.status_code, response.json()["code"]) == (401, "NOT_AUTHENTICATED")


@pytest.mark.parametrize("url", ["offerings", "rates", "price-book-items", "quotes"])
def test_lists_run_a_fixed_number_of_queries(
    vendor_api, vendor, url, django_assert_max_num_queries
):
    priced_offering(vendor, items=2, rates=2, intervals=2, tiers=2)
    with django_assert_max_num_queries(20) as small:
        assert vendor_api.get(f"{API}/{url}/?page_size=1").status_code == 200
    for _ in range(3):
        priced_offering(vendor, items=3, rates=2, intervals=2, tiers=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = vendor_api.get(f"{API}/{url}/?page_size=50")
    assert response.status_code == 200


def test_schema_is_served(vendor_api):
    response = vendor_api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/offerings/{id}/clone/" in response.content


def test_writes_need_the_permission_the_admin_would_ask_for(api_client, vendor):
    """A vendor member outside the Vendor staff group reads but cannot write."""
    from rest_framework.authtoken.models import Token

    from catalog.models import Membership
    from catalog.tests.factories import UserFactory
    from pricing.models import Offering

    member = UserFactory(username="no-group")
    Membership.objects.create(user=member, vendor=vendor)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}")
    assert api_client.get(f"{API}/offerings/").status_code == 200
    response = api_client.post(f"{API}/offerings/", {"name": "Nope"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "PERMISSION_DENIED")
    assert not Offering.objects.exists()
