"""The preview's breakdown: each charge line split into what makes it up (tiers with their
units and prices, deliveries at their price, a prorated share), adding up to the line; and
the page's chart of the amount per period, inline SVG with a title and a description."""

import re
from datetime import date
from decimal import Decimal

import pytest

from pricing import rates
from pricing.pricebook import Interval, IntervalSpec, PriceBook, Tier, schedule
from pricing.pricebook.breakdown import DELIVERY, TIER, line_breakdown
from pricing.pricebook.money import round_money
from pricing.tests.factories import RateFactory, subscription_offering
from pricing.tests.price_page import change_url

D = Decimal
START = date(2026, 1, 4)  # a Sunday
STORAGE = (
    Tier(D(0), D(100), D("0.10")),
    Tier(D(100), D(1000), D("0.08"), flat_amount=D(5)),
    Tier(D(1000), None, D("0.05")),
)


def breakdowns(book, quantity, periods=2, period_months=1):
    lines = schedule(book, quantity=D(quantity), start=START, periods=periods).lines
    return [line_breakdown(book, line, start=START, period_months=period_months) for line in lines]


def test_tiered_parts_name_each_tier_reached_and_add_up_to_the_line():
    book = PriceBook("tiered", (Interval("infinity", tiers=STORAGE),), "USD")
    first = breakdowns(book, "150")[0]
    assert [(p.kind, p.start, p.end, p.count, p.price, p.flat) for p in first.parts] == [
        (TIER, D(0), D(100), D(100), D("0.10"), D(0)),
        (TIER, D(100), D(1000), D(50), D("0.08"), D(5)),
    ]
    assert round_money(sum(p.amount for p in first.parts), "USD") == first.line.amount == D("19")


def test_a_volume_price_names_the_one_tier_that_priced_every_unit():
    book = PriceBook("volume", (Interval("infinity", tiers=STORAGE),), "USD")
    (part,) = breakdowns(book, "150")[0].parts
    assert (part.start, part.end, part.count, part.price) == (D(100), D(1000), D(150), D("0.08"))


def test_a_delivery_line_counts_its_deliveries_at_its_interval_price():
    book = PriceBook(
        "delivery",
        (Interval("day", 365, D("4.75")), Interval("infinity", price=D("9.50"))),
        "USD",
        delivery_weekdays=frozenset({6}),
    )
    january = breakdowns(book, "1")[0]
    (part,) = january.parts
    # Sundays from 4 January to 4 February 2026: 4, 11, 18, 25 January and 1 February.
    assert (part.kind, part.count, part.price) == (DELIVERY, D(5), D("4.75"))
    assert january.line.amount == D("23.75") and january.days is None


def test_a_prorated_segment_names_its_share_of_the_period():
    book = PriceBook(
        "per_unit", (Interval("day", 10, D(3)), Interval("infinity", price=D(6))), "USD"
    )
    first, second = breakdowns(book, "2", periods=1)
    assert (first.days, first.period_days) == (10, 31)
    assert (second.days, second.period_days) == (21, 31)
    assert first.parts[0].amount == D(6)  # the whole period's, prorated on the line


@pytest.mark.django_db
def test_the_preview_shows_the_breakdown_and_an_accessible_chart(vendor_client, vendor):
    rate = RateFactory(offering=subscription_offering(vendor))
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate,
        item=item,
        charge_model="delivery",
        pricing_type="interval",
        intervals=[
            IntervalSpec("day", 365, D("4.75")),
            IntervalSpec(price=D("9.50")),
        ],
        delivery_weekdays=[6],
    )
    params = {"quantity": "1", "start_date": "2026-01-04", "periods": "14"}
    response = vendor_client.get(change_url(pbi), params)
    assert response.status_code == 200
    html = response.content.decode()
    rows = response.context["schedule_rows"]
    assert rows[0].how == "5 deliveries × $4.75"
    assert "9.50" in rows[-1].how
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", html, re.DOTALL).group(0)
    assert 'aria-labelledby="preview-chart-title preview-chart-desc"' in svg
    assert '<title id="preview-chart-title">Amount per period (USD)</title>' in svg
    assert "each of 14 billing periods" in svg
    assert svg.count('class="preview-bar"') == 14
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
