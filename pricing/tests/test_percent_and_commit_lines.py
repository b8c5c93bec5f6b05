"""Percent-of-total and minimum-commit lines: each period takes its own interval's
percentage, previews show percentages as percentages, and recomputing a processed line
gives the amount it was sold for."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import quote_lines, rates, selling, services
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import (
    legacy_percent_of_total_offering,
    percent_of_total_offering,
    rules_before_0007,
)

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1"


def price(rate, item, model, *intervals, pricing_type="regular"):
    rates.price_book_item_save(
        rate=rate, item=item, charge_model=model, pricing_type=pricing_type, intervals=intervals
    )


@pytest.fixture
def support(vendor):
    """Support at 10 % of the seats for the first month, then 20 %; 10 seats at 12.00."""
    return percent_of_total_offering(
        vendor,
        seat_price=12,
        seats=10,
        percents=[IntervalSpec("month", 1, D(10)), IntervalSpec(price=D(20))],
        pricing_type="interval",
    )


def processed(vendor, lines, periods=3):
    quote = selling.quote_create(
        vendor=vendor, customer="C", currency="USD", start_date=date(2026, 1, 1), periods=periods
    )
    for offering, rate, item, quantity in lines:
        quote_lines.quote_add_line(
            quote=quote, offering=offering, rate=rate, item=item, quantity=quantity
        )
    return selling.quote_process(quote=quote, on=date(2026, 1, 1))


def support_lines(s, seats=10):
    """Seats sold in their offering, and the support that applies to them in its own."""
    return [
        (s["seats_offering"], s["seats_rate"], s["seats"], seats),
        (s["offering"], s["rate"], s["percent"], 1),
    ]


def test_each_period_takes_its_own_intervals_percentage(vendor, support):
    quote = processed(vendor, support_lines(support))
    amounts = dict(quote.lines.values_list("item__mpn", "amount"))
    # 120.00 a month of seats: 10 % of the first month, 20 % of the next two.
    assert amounts == {"SEATS": D("360.00"), "SUPPORT": D("60.00")}


def test_the_preview_shows_the_percentage_and_what_it_yields(vendor_api, support):
    s = support
    response = vendor_api.post(
        f"{API}/offerings/{s['offering'].pk}/price-preview/",
        {
            "rate": s["rate"].pk,
            "start_date": "2026-01-01",
            "periods": 3,
            "lines": [
                {"item": s["seats"].pk, "quantity": "10", "offering": s["seats_offering"].pk},
                {"item": s["percent"].pk, "quantity": "1"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    support_line = response.json()["lines"][1]
    assert [(p["percent"], p["base"], p["amount"]) for p in support_line["periods"]] == [
        ("10", "120.00", "12.00"),
        ("20", "120.00", "24.00"),
        ("20", "120.00", "24.00"),
    ]
    assert {p["kind"] for p in support_line["periods"]} == {"percent"}
    assert support_line["total"] == "60.00"
    assert response.json()["total"] == "420.00"


@pytest.fixture
def commitment(vendor):
    """1,000.00 a month committed; API calls at 0.45 count against it, storage does not.
    The commitment is an offering of its own; calls and storage are sold in another."""
    product = ProductFactory(vendor=vendor)
    commit = ItemFactory(product=product, kind="minimum_commit", mpn="COMMIT")
    seats = ItemFactory(product=product, kind="subscription", mpn="PLATFORM")
    calls = ItemFactory(product=product, kind="usage", mpn="CALLS")
    storage = ItemFactory(product=product, kind="usage", mpn="STORAGE")

    def offering(name, offering_type, lines, prices):
        made = services.offering_create(
            vendor=vendor, name=name, type=offering_type, start_date=date(2026, 1, 1)
        )
        services.offering_set_items(offering=made, lines=lines)
        rate = rates.rate_create(offering=made, name="USD", currency="USD")
        for item, model, amount in prices:
            price(rate, item, model, IntervalSpec(price=D(amount)))
        rates.rate_activate(rate=rate)
        return made, rate

    usage_offering, usage_rate = offering(
        "Metered",
        "subscription",
        [
            services.OfferingLine(item=seats),
            services.OfferingLine(item=calls),
            services.OfferingLine(item=storage),
        ],
        [(seats, "flat_fee", "0"), (calls, "per_unit", "0.45"), (storage, "per_unit", "0.09")],
    )
    committed, rate = offering(
        "Committed",
        "minimum_commit",
        [services.OfferingLine(item=commit, default_quantity=1, applies_to=(calls,))],
        [(commit, "flat_fee", "1000")],
    )
    return {
        "offering": committed,
        "rate": rate,
        "commit": commit,
        "calls": calls,
        "storage": storage,
        "usage_offering": usage_offering,
        "usage_rate": usage_rate,
    }


def commitment_lines(c, calls=800, storage=5000):
    return [
        (c["offering"], c["rate"], c["commit"], 1),
        (c["usage_offering"], c["usage_rate"], c["calls"], calls),
        (c["usage_offering"], c["usage_rate"], c["storage"], storage),
    ]


def test_recomputing_a_commit_line_gives_its_true_up(vendor, commitment):
    c = commitment
    quote = processed(vendor, commitment_lines(c), periods=12)
    commit = quote.lines.get(item=c["commit"])
    # 12 × 1,000.00 committed; 12 × 800 × 0.45 = 4,320.00 of calls: 7,680.00 owed on top.
    assert commit.amount == D("7680.00")
    assert selling.quote_line_recompute(commit) == D("7680.00")


def test_recomputing_every_line_of_a_quote_gives_what_it_sold_for(vendor, support, commitment):
    s, c = support, commitment
    quote = processed(vendor, support_lines(s) + commitment_lines(c), periods=12)
    assert quote.lines.get(item=s["percent"]).amount == D("12") + 11 * D("24")
    for line in quote.lines.select_related("item"):
        assert selling.quote_line_recompute(line) == line.amount, line.item.mpn


def test_a_quote_sold_before_versions_recomputes_by_its_old_rules(vendor):
    """A version 1 snapshot (no ``version``) took the first percentage for the whole term;
    it was sold when the support offering also held the seats (before migration 0007)."""
    s = legacy_percent_of_total_offering(
        vendor,
        seat_price=12,
        seats=10,
        percents=[IntervalSpec("month", 1, D(10)), IntervalSpec(price=D(20))],
    )
    with rules_before_0007():
        quote = processed(
            vendor,
            [
                (s["offering"], s["rate"], s["seats"], 10),
                (s["offering"], s["rate"], s["percent"], 1),
            ],
        )
    for line in quote.lines.all():
        frozen = line.price_snapshot
        v1 = {
            "charge_model": frozen["charge_model"],
            "currency": frozen["currency"],
            "delivery_weekdays": frozen["delivery_weekdays"],
            "intervals": [
                {key: interval[key] for key in ("duration_unit", "duration", "price")}
                | {"included_units": "0", "overage_price": "0", "tiers": []}
                for interval in frozen["intervals"]
            ],
        }
        line.price_snapshot = v1
        line.save(update_fields=["price_snapshot"])
    amounts = selling.quote_recompute(quote)
    by_item = {line.item.mpn: amounts[line.pk] for line in quote.lines.select_related("item")}
    assert by_item == {"SEATS": D("360.00"), "SUPPORT": D("36.00")}  # 10 % of 360.00
