"""A price's curves: the amount per period against quantity, sampled at every tier edge ± 1
and evenly up to about 1.5 × the last edge, priced like a quote line, with the linter's cliff
marked; and, for several intervals, the amount at one quantity against time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from insights.curves import Cliff, price_curves
from insights.curves_svg import curves_html, price_curves_html
from insights.lint.prices import check_price
from pricing.models import PriceBookItem
from pricing.tests.factories import (
    PriceBookItemFactory,
    PriceIntervalFactory,
    PriceTierFactory,
    RateFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def priced(charge_model, *intervals, pricing_type="regular"):
    """A price of ``intervals``: each (unit, duration, tiers as (start, end, price))."""
    pbi = PriceBookItemFactory(
        rate=RateFactory(), charge_model=charge_model, pricing_type=pricing_type
    )
    pbi.intervals.all().delete()
    for sequence, (unit, duration, tiers) in enumerate(intervals, 1):
        row = PriceIntervalFactory(
            price_book_item=pbi, sequence=sequence, duration_unit=unit, duration=duration
        )
        for start, end, price in tiers:
            PriceTierFactory(
                interval=row,
                start_unit=D(start),
                end_unit=None if end is None else D(end),
                price=D(price),
            )
    return PriceBookItem.objects.select_related("rate", "item").with_rows().get(pk=pbi.pk)


VOLUME = [(0, 10, "10"), (10, None, "5")]
TIERED = [(0, 10, "10"), (10, None, "5")]


def test_a_volume_curve_samples_each_edge_and_evenly_to_one_and_a_half_times_the_last():
    (curve,) = price_curves(priced("volume", ("infinity", None, VOLUME))).quantity_curves
    quantities = [q for q, _amount in curve.points]
    assert {D(9), D(10), D(11)} <= set(quantities)
    assert quantities[0] == 0 and quantities[-1] == 15  # 1.5 × the last edge (10)
    assert quantities == sorted(set(quantities))
    amounts = dict(curve.points)
    assert (amounts[D(10)], amounts[D(11)], amounts[D(15)]) == (D("100.00"), D("55.00"), D("75.00"))


def test_a_volume_curve_marks_the_cliff_the_linter_reports():
    pbi = priced("volume", ("infinity", None, VOLUME))
    (curve,) = price_curves(pbi).quantity_curves
    assert curve.cliff == Cliff(D(11), D("55.00"), D(10), D("100.00"))
    (finding,) = check_price(pbi, pbi.rate.offering)
    assert finding.code == "volume_cliff"
    assert finding.message.startswith("11 units cost 55.00 USD a period, less than 10 units")


def test_a_tiered_curve_has_no_cliff_and_never_falls():
    (curve,) = price_curves(priced("tiered", ("infinity", None, TIERED))).quantity_curves
    assert curve.cliff is None
    amounts = [amount for _q, amount in curve.points]
    assert amounts == sorted(amounts)
    assert dict(curve.points)[D(11)] == D("105.00")


def test_a_price_without_edges_is_drawn_up_to_ten_units():
    (curve,) = price_curves(priced("per_unit", ("infinity", None, []))).quantity_curves
    assert curve.points[-1][0] == 10


def test_an_interval_price_steps_through_time_at_the_default_quantity():
    pbi = priced(
        "tiered",
        ("month", 3, [(0, None, "10")]),
        ("day", 60, [(0, None, "8")]),
        ("infinity", None, [(0, None, "6")]),
        pricing_type="interval",
    )
    curves = price_curves(pbi, 2)
    assert len(curves.quantity_curves) == 3
    assert curves.time_quantity == 2
    steps = [
        (s.number, s.start_month, s.end_month, s.open_ended, s.amount) for s in curves.time_steps
    ]
    assert steps == [
        (1, 0, 3, False, D("20.00")),
        (2, 3, 5, False, D("16.00")),
        (3, 5, 17, True, D("12.00")),
    ]


def test_without_a_default_quantity_time_is_priced_at_one_unit():
    pbi = priced(
        "tiered",
        ("month", 3, [(0, None, "10")]),
        ("infinity", None, [(0, None, "6")]),
        pricing_type="interval",
    )
    curves = price_curves(pbi, 0)
    assert [s.amount for s in curves.time_steps] == [D("10.00"), D("6.00")]


def test_a_price_of_one_interval_has_no_time_curve():
    assert price_curves(priced("volume", ("infinity", None, VOLUME))).time_steps == ()


def test_the_chart_has_a_title_a_description_axis_labels_and_the_cliff_in_words():
    html = curves_html(price_curves(priced("volume", ("infinity", None, VOLUME))))
    assert '<title id="quantity-curve-1-title">Amount per period against quantity (USD)' in html
    assert '<desc id="quantity-curve-1-desc">Line chart' in html
    assert "Quantity (units)" in html and "Amount per period (USD)" in html
    assert 'class="cliff"' in html
    words = "Cliff: 11 units cost 55.00 USD a period, less than 10 units at 100.00 USD."
    assert html.count(words) == 2  # in the description and under the chart


def test_a_chart_without_a_cliff_says_so():
    html = curves_html(price_curves(priced("tiered", ("infinity", None, TIERED))))
    assert 'class="cliff"' not in html
    assert "No cliff: a larger quantity never costs less." in html


def test_a_price_by_delivery_has_no_curve_and_says_why():
    pbi = priced(
        "delivery",
        ("day", 365, [(0, None, "4.75")]),
        ("infinity", None, [(0, None, "9.50")]),
        pricing_type="interval",
    )
    curves = price_curves(pbi, 1)
    assert (curves.quantity_curves, curves.time_steps) == ((), ())
    assert "Priced per delivery: no curve by quantity." in price_curves_html(pbi)


def test_a_price_the_engine_cannot_read_says_why_instead_of_a_chart():
    pbi = priced("volume", ("infinity", None, VOLUME))
    pbi.intervals.all().delete()
    pbi = PriceBookItem.objects.select_related("rate", "item").with_rows().get(pk=pbi.pk)
    html = price_curves_html(pbi)
    assert html.startswith('<p class="errornote">No price curve: ')
    assert "<svg" not in html
