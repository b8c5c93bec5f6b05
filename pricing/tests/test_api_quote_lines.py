"""A draft quote's lines through the API: add one (POST lines/), change one (PATCH
lines/{line_id}/), remove one (DELETE lines/{line_id}/) or replace them all (PUT lines/),
through the ``pricing.selling`` services. A processed or cancelled quote answers 409
QUOTE_NOT_DRAFT; every refusal changes no row."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import quote_lines, selling
from pricing.models import Quote, QuoteLine
from pricing.tests.factories import priced_offering
from pricing.tests.rows import pricing_rows

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def draft(sellable):
    """A draft quote of 10 seats on the sellable offering."""
    quote = selling.quote_create(
        vendor=sellable["vendor"], customer="Contoso", currency="USD", start_date=date(2026, 1, 1)
    )
    quote_lines.quote_add_line(
        quote=quote,
        offering=sellable["offering"],
        rate=sellable["rate"],
        item=sellable["seats"],
        quantity=10,
    )
    return {**sellable, "quote": quote, "seats_line": quote.lines.get()}


def line(world, which, quantity="1", **extra) -> dict:
    """A line of ``world[which]`` on the offering's rate; ``extra`` adds or overrides fields."""
    return {
        "offering": world["offering"].pk,
        "rate": world["rate"].pk,
        "item": world[which].pk,
        "quantity": quantity,
        **extra,
    }


def lines_of(response) -> list[tuple]:
    return [
        (row["item"], row["quantity"], row["custom_attributes"]) for row in response.json()["lines"]
    ]


def test_a_script_adds_changes_and_removes_lines_then_processes(vendor_api, vendor_user, draft):
    quote, seats_line = draft["quote"], draft["seats_line"]
    url = f"{API}/quotes/{quote.pk}/lines/"

    added = vendor_api.post(url, line(draft, "fee", custom_attributes={}), format="json")
    assert added.status_code == 201, added.json()
    assert [row["item"] for row in added.json()["lines"]] == [
        draft["seats"].pk,
        draft["fee"].pk,
    ]
    addon = vendor_api.post(url, line(draft, "addon", "2"), format="json")
    assert addon.status_code == 201, addon.json()
    addon_id = addon.json()["lines"][-1]["id"]

    changed = vendor_api.patch(f"{url}{seats_line.pk}/", {"quantity": "12"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["lines"][0] == {
        **changed.json()["lines"][0],
        "id": seats_line.pk,
        "item": draft["seats"].pk,
        "quantity": "12.0000",
    }
    assert QuoteLine.history.filter(id=seats_line.pk).latest().history_user == vendor_user

    removed = vendor_api.delete(f"{url}{addon_id}/")
    assert removed.status_code == 204
    assert not QuoteLine.objects.filter(pk=addon_id).exists()

    processed = vendor_api.post(f"{API}/quotes/{quote.pk}/process/")
    assert processed.status_code == 200, processed.json()
    # 12 seats at 12 a month for 12 months, and the fee of 1500 once
    assert Decimal(processed.json()["total"]) == 12 * 12 * 12 + 1500


def test_a_line_carries_its_custom_attributes(vendor_api, draft):
    url = f"{API}/quotes/{draft['quote'].pk}/lines/"

    response = vendor_api.post(
        url, line(draft, "fee", custom_attributes={"region": "north"}), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][-1]["custom_attributes"] == {"region": "north"}

    response = vendor_api.patch(
        f"{url}{draft['seats_line'].pk}/", {"custom_attributes": {"tier": "gold"}}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert lines_of(response)[0] == (draft["seats"].pk, "10.0000", {"tier": "gold"})


def test_put_makes_the_lines_exactly_the_list(vendor_api, draft):
    quote, seats_line = draft["quote"], draft["seats_line"]
    quote_lines.quote_add_line(
        quote=quote, offering=draft["offering"], rate=draft["rate"], item=draft["addon"]
    )

    response = vendor_api.put(
        f"{API}/quotes/{quote.pk}/lines/",
        [line(draft, "seats", "20", line=seats_line.pk), line(draft, "fee")],
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert lines_of(response) == [
        (draft["seats"].pk, "20.0000", {}),
        (draft["fee"].pk, "1.0000", {}),
    ]
    assert response.json()["lines"][0]["id"] == seats_line.pk  # kept, changed in place
    assert not quote.lines.filter(item=draft["addon"]).exists()

    response = vendor_api.put(f"{API}/quotes/{quote.pk}/lines/", [], format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["lines"] == []


def requests(world, quote, line_id):
    url = f"{API}/quotes/{quote.pk}/lines/"
    return [
        ("post", url, line(world, "fee")),
        ("put", url, [line(world, "fee")]),
        ("patch", f"{url}{line_id}/", {"quantity": "3"}),
        ("delete", f"{url}{line_id}/", None),
    ]


@pytest.mark.parametrize("status", ["processed", "cancelled"])
def test_a_quote_that_is_no_draft_refuses_every_line_change(vendor_api, draft, status):
    quote = draft["quote"]
    quote_lines.quote_add_line(
        quote=quote, offering=draft["offering"], rate=draft["rate"], item=draft["fee"]
    )
    if status == "processed":
        selling.quote_process(quote=quote)
    else:
        selling.quote_cancel(quote=quote)
    before = pricing_rows()

    for method, url, body in requests(draft, quote, draft["seats_line"].pk):
        response = getattr(vendor_api, method)(url, body, format="json")

        assert response.status_code == 409, (method, response.json())
        assert response.json()["code"] == "QUOTE_NOT_DRAFT"
        assert status in response.json()["detail"]
        assert pricing_rows() == before


def test_another_vendors_ids_in_a_line_are_400_like_unknown_ids(vendor_api, draft, other_vendor):
    theirs = priced_offering(other_vendor)
    their_item = ItemFactory(product=ProductFactory(vendor=other_vendor))
    their_quote = selling.quote_create(vendor=other_vendor, customer="Them", currency="USD")
    quote_lines.quote_add_line(
        quote=their_quote,
        offering=theirs,
        rate=theirs.rates.get(),
        item=theirs.offering_items.get().item,
    )
    quote, seats_line = draft["quote"], draft["seats_line"]
    url = f"{API}/quotes/{quote.pk}/lines/"
    before = pricing_rows()

    for method, target, body in (
        ("post", url, line(draft, "fee", offering=theirs.pk)),
        ("post", url, line(draft, "fee", rate=theirs.rates.get().pk)),
        ("post", url, line(draft, "fee", item=their_item.pk)),
        ("patch", f"{url}{seats_line.pk}/", {"item": their_item.pk}),
        ("put", url, [line(draft, "seats", line=their_quote.lines.get().pk)]),
    ):
        response = getattr(vendor_api, method)(target, body, format="json")

        assert response.status_code == 400, (method, body, response.json())
        assert "does not exist" in str(response.json()["errors"]), response.json()
    assert pricing_rows() == before


def test_a_line_of_another_quote_is_404_in_the_path_and_400_in_a_list(vendor_api, draft):
    other = selling.quote_create(vendor=draft["vendor"], customer="Fabrikam", currency="USD")
    quote_lines.quote_add_line(
        quote=other, offering=draft["offering"], rate=draft["rate"], item=draft["seats"]
    )
    other_line = other.lines.get()
    url = f"{API}/quotes/{draft['quote'].pk}/lines/"
    before = pricing_rows()

    assert (
        vendor_api.patch(f"{url}{other_line.pk}/", {"quantity": "2"}, format="json").status_code
        == 404
    )
    assert vendor_api.delete(f"{url}{other_line.pk}/").status_code == 404
    response = vendor_api.put(url, [line(draft, "seats", line=other_line.pk)], format="json")
    assert response.status_code == 400, response.json()
    assert "lines" in response.json()["errors"]
    assert pricing_rows() == before


def test_another_vendors_quote_is_404(vendor_api, draft, other_vendor):
    their_quote = selling.quote_create(vendor=other_vendor, customer="Them", currency="USD")
    before = pricing_rows()

    for method, url, body in requests(draft, their_quote, draft["seats_line"].pk):
        response = getattr(vendor_api, method)(url, body, format="json")

        assert response.status_code == 404, (method, response.json())
    assert pricing_rows() == before


@pytest.mark.parametrize(
    "change",
    [
        {"custom_attributes": {"region": ["north"]}},  # attributes are scalars
        {"custom_attributes": "north"},
        {"quantity": "-1"},
        {"quantity": "many"},
        {"offering": 1.5},
    ],
)
def test_a_bad_line_is_400_and_changes_nothing(vendor_api, draft, change):
    quote, seats_line = draft["quote"], draft["seats_line"]
    url = f"{API}/quotes/{quote.pk}/lines/"
    before = pricing_rows()

    for method, target, body in (
        ("post", url, line(draft, "fee", **change)),
        ("put", url, [line(draft, "fee", **change)]),
        ("patch", f"{url}{seats_line.pk}/", change),
    ):
        response = getattr(vendor_api, method)(target, body, format="json")

        assert response.status_code == 400, (method, body, response.json())
        assert response.json()["code"] in {"VALIDATION_ERROR"}, response.json()
        assert pricing_rows() == before


def test_put_refuses_more_lines_than_a_quote_holds(vendor_api, draft):
    from pricing.bounds import MAX_QUOTE_LINES

    before = pricing_rows()
    response = vendor_api.put(
        f"{API}/quotes/{draft['quote'].pk}/lines/",
        [line(draft, "seats")] * (MAX_QUOTE_LINES + 1),
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "QUOTE_TOO_LARGE"
    assert pricing_rows() == before
    assert Quote.objects.get(pk=draft["quote"].pk).status == "draft"
