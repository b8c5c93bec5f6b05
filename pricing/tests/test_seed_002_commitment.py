"""Seed 002's minimum commitment: the commitment's application list names usage items of the
vendor's other offerings, and usage lines of those items anywhere on the quote consume it,
period by period (true-up = max(0, commitment − consumed)); a percent of total the same way,
across offerings."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import quote_lines, rates, selling, services
from pricing.pricebook import IntervalSpec

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1"


@pytest.fixture
def seed(vendor):
    """A commitment of 1,000.00 a month applying to API calls, which are sold at 0.40 in a
    pay-as-you-go offering with seats at 12.00; support at 10 % of the seats, sold apart."""
    product = ProductFactory(vendor=vendor)
    kinds = {
        "COMMIT": "minimum_commit",
        "SEATS": "subscription",
        "CALLS": "usage",
        "SUPPORT": "percent_of_total",
    }
    items = {mpn: ItemFactory(product=product, mpn=mpn, kind=kind) for mpn, kind in kinds.items()}

    def offering(name, type_, lines, prices):
        made = services.offering_create(
            vendor=vendor, name=name, type=type_, start_date=date(2026, 1, 1)
        )
        services.offering_set_items(offering=made, lines=lines)
        rate = rates.rate_create(offering=made, name="USD", currency="USD")
        for mpn, model, price in prices:
            rates.price_book_item_save(
                rate=rate,
                item=items[mpn],
                charge_model=model,
                intervals=[IntervalSpec(price=D(price))],
            )
        rates.rate_activate(rate=rate)
        return made, rate

    line = services.OfferingLine
    payg = offering(
        "Pay as you go",
        "subscription",
        [line(item=items["SEATS"], default_quantity=1), line(item=items["CALLS"])],
        [("SEATS", "per_unit", "12.00"), ("CALLS", "per_unit", "0.40")],
    )
    commit = offering(
        "Commitment",
        "minimum_commit",
        [line(item=items["COMMIT"], default_quantity=1, applies_to=(items["CALLS"],))],
        [("COMMIT", "flat_fee", "1000.00")],
    )
    support = offering(
        "Support",
        "percent_of_total",
        [line(item=items["SUPPORT"], default_quantity=1, applies_to=(items["SEATS"],))],
        [("SUPPORT", "flat_fee", "10")],
    )
    return {"vendor": vendor, "items": items, "payg": payg, "commit": commit, "support": support}


def quote(seed, calls, *, periods=12, support=False):
    lines = [
        (seed["payg"], "SEATS", 1),
        (seed["payg"], "CALLS", calls),
        (seed["commit"], "COMMIT", 1),
    ] + ([(seed["support"], "SUPPORT", 1)] if support else [])
    made = selling.quote_create(
        vendor=seed["vendor"],
        customer="Contoso",
        currency="USD",
        start_date=date(2026, 1, 1),
        periods=periods,
        lines=[
            quote_lines.QuoteLineSpec(offering, rate, seed["items"][mpn], D(quantity))
            for (offering, rate), mpn, quantity in lines
        ],
    )
    processed = selling.quote_process(quote=made, on=date(2026, 1, 1))
    return processed, {line.item.mpn: line.amount for line in processed.lines.all()}


def test_the_issues_example_usage_elsewhere_consumes_the_commitment(seed):
    """1,000.00 committed, 1,000 calls at 0.40 = 400.00 used, a seat at 12.00: 1,012.00 (the
    usage in another offering did not count before: 1,412.00)."""
    processed, amounts = quote(seed, 1000, periods=1)
    assert amounts == {"SEATS": D("12.00"), "CALLS": D("400.00"), "COMMIT": D("600.00")}
    assert processed.total == D("1012.00")


@pytest.mark.parametrize(
    ("calls", "true_up"),
    [(1000, D("7200.00")), (2500, D("0.00")), (3000, D("0.00"))],
    ids=["below", "equal", "above"],
)
def test_twelve_months_below_equal_and_above_the_commitment(seed, calls, true_up):
    processed, amounts = quote(seed, calls)
    used = D(calls) * D("0.40") * 12
    assert amounts["CALLS"] == used
    assert amounts["COMMIT"] == true_up  # 12 × max(0, 1,000.00 − the month's usage)
    assert processed.total == used + true_up + 12 * D("12.00")
    for line in processed.lines.all():
        assert selling.quote_line_recompute(line) == line.amount


def test_a_percent_of_total_applies_to_its_items_in_other_offerings(seed):
    _, amounts = quote(seed, 1000, support=True)
    assert amounts["SUPPORT"] == D("14.40")  # 10 % of 12 months of one seat at 12.00


def test_the_api_builds_and_sells_a_commitment_that_applies_elsewhere(vendor_api, seed):
    body = {
        "customer": "Contoso",
        "currency": "USD",
        "start_date": "2026-01-01",
        "periods": 1,
        "lines": [
            {
                "offering": offering.pk,
                "rate": rate.pk,
                "item": seed["items"][mpn].pk,
                "quantity": str(quantity),
            }
            for (offering, rate), mpn, quantity in (
                (seed["payg"], "SEATS", 1),
                (seed["payg"], "CALLS", 1000),
                (seed["commit"], "COMMIT", 1),
            )
        ],
    }
    created = vendor_api.post(f"{API}/quotes/", body, format="json")
    assert created.status_code == 201, created.json()
    processed = vendor_api.post(f"{API}/quotes/{created.json()['id']}/process/", format="json")
    assert processed.status_code == 200, processed.json()
    assert processed.json()["total"] == "1012.000000"


def test_a_commitments_periods_can_be_followed_on_its_line(vendor_api, seed):
    processed, _ = quote(seed, 1000, periods=3)
    line = processed.lines.get(item=seed["items"]["COMMIT"])
    assert [
        (row["period"], row["kind"], row["committed"], row["consumed"], row["amount"])
        for row in line.breakdown
    ] == [(period, "true_up", "1000.00", "400.00", "600.00") for period in (1, 2, 3)]
    body = vendor_api.get(f"{API}/quotes/{processed.pk}/").json()
    (commit,) = [row for row in body["lines"] if row["item"] == seed["items"]["COMMIT"].pk]
    assert commit["breakdown"] == line.breakdown
    assert all(row["breakdown"] is None for row in body["lines"] if row is not commit)


def test_the_quote_page_shows_a_commitments_periods(vendor_client, seed):
    from django.urls import reverse

    processed, _ = quote(seed, 1000, periods=2)
    page = vendor_client.get(reverse("admin:pricing_quote_change", args=[processed.pk]))
    html = page.content.decode()
    assert "Period 1: committed 1000.00, consumed 400.00, true-up 600.00" in html
    assert "Period 2: committed 1000.00, consumed 400.00, true-up 600.00" in html


def test_the_admin_sells_a_commitment_and_a_percent_that_apply_elsewhere(vendor_client, seed):
    from django.urls import reverse

    from pricing.models import Quote

    lines = [
        (seed["payg"], "SEATS", "1"),
        (seed["payg"], "CALLS", "1000"),
        (seed["commit"], "COMMIT", "1"),
        (seed["support"], "SUPPORT", "1"),
    ]
    data = {
        "vendor": seed["vendor"].pk,
        "customer": "Woodgrove",
        "currency": "USD",
        "start_date": "2026-01-01",
        "periods": "12",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
    }
    for number, ((offering, rate), mpn, quantity) in enumerate(lines):
        data |= {
            f"lines-{number}-offering": offering.pk,
            f"lines-{number}-rate": rate.pk,
            f"lines-{number}-item": seed["items"][mpn].pk,
            f"lines-{number}-quantity": quantity,
            f"lines-{number}-custom_attributes": "{}",
        }
    response = vendor_client.post(reverse("admin:pricing_quote_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote = Quote.objects.get()
    vendor_client.post(reverse("admin:pricing_quote_process", args=[quote.pk]), follow=True)
    amounts = {line.item.mpn: line.amount for line in quote.lines.select_related("item")}
    assert amounts == {
        "SEATS": D("144.00"),
        "CALLS": D("4800.00"),
        "COMMIT": D("7200.00"),  # 12 × (1,000.00 − 400.00)
        "SUPPORT": D("14.40"),  # 10 % of the seat, sold in another offering
    }


def preview(vendor_api, seed, lines, **extra):
    commit, rate = seed["commit"]
    return vendor_api.post(
        f"{API}/offerings/{commit.pk}/price-preview/",
        {"rate": rate.pk, "start_date": "2026-01-01", "periods": 2, "lines": lines, **extra},
        format="json",
    )


def test_the_preview_of_a_commitment_takes_usage_lines_of_another_offering(vendor_api, seed):
    payg, _ = seed["payg"]
    response = preview(
        vendor_api,
        seed,
        [
            {"item": seed["items"]["COMMIT"].pk, "quantity": "1"},
            {"item": seed["items"]["CALLS"].pk, "quantity": "1000", "offering": payg.pk},
        ],
    )
    assert response.status_code == 200, response.json()
    commit, calls = response.json()["lines"]
    assert (calls["offering"], calls["total"]) == (payg.pk, "800.00")  # 2 × 1,000 × 0.40
    assert [(p["committed"], p["consumed"], p["amount"]) for p in commit["periods"]] == [
        ("1000.00", "400.00", "600.00")
    ] * 2
    assert response.json()["total"] == "2000.00"


def test_a_preview_line_of_another_offering_needs_a_price_the_selector_picks(vendor_api, seed):
    payg, payg_rate = seed["payg"]
    rates.rate_update(rate=payg_rate, status="inactive")
    response = preview(
        vendor_api,
        seed,
        [{"item": seed["items"]["CALLS"].pk, "quantity": "1", "offering": payg.pk}],
    )
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "PRICE_MISSING"
    assert "No price for CALLS" in response.json()["detail"]


def test_a_preview_line_of_another_vendors_offering_is_400(vendor_api, seed, other_vendor):
    theirs = services.offering_create(vendor=other_vendor, name="Theirs", type="subscription")
    response = preview(
        vendor_api,
        seed,
        [{"item": seed["items"]["CALLS"].pk, "quantity": "1", "offering": theirs.pk}],
    )
    assert response.status_code == 400, response.json()
    assert "offering" in str(response.json()["errors"])


def test_a_sold_commitments_application_list_follows_the_lock(vendor_api, seed):
    """Changing what a sold commitment applies to is refused like any change to a locked
    offering; its clone takes the change."""
    from pricing.clone import offering_clone
    from pricing.models import OfferingItemScope

    quote(seed, 1000, periods=1)  # sold
    commit, _ = seed["commit"]
    storage = ItemFactory(product=seed["items"]["CALLS"].product, kind="usage", mpn="STORAGE")
    url = f"{API}/offerings/{commit.pk}/items/{seed['items']['COMMIT'].pk}/"
    wanted = {"applies_to": [seed["items"]["CALLS"].pk, storage.pk]}

    refused = vendor_api.patch(url, wanted, format="json")

    assert refused.status_code == 409, refused.json()
    assert refused.json()["code"] == "OFFERING_LOCKED"
    assert any("processed quote" in reason for reason in refused.json()["lock_reasons"])
    scoped = OfferingItemScope.objects.filter(offering_item__offering=commit)
    assert list(scoped.values_list("item__mpn", flat=True)) == ["CALLS"]

    copy = offering_clone(offering=commit, name="Commitment 2027")
    url = f"{API}/offerings/{copy.pk}/items/{seed['items']['COMMIT'].pk}/"
    changed = vendor_api.patch(url, wanted, format="json")
    assert changed.status_code == 200, changed.json()
    assert sorted(changed.json()["items"][0]["applies_to"]) == sorted(wanted["applies_to"])
