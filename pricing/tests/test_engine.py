"""The pricing engine on hand-computed examples: charge models, rounding, calendar, schedules."""

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import pytest

from pricing.pricebook import (
    REGISTRY,
    DurationUnit,
    Interval,
    PriceBook,
    PriceFormat,
    Span,
    Tier,
    add_months,
    count_deliveries,
    interval_spans,
    minimum_commit,
    minor_unit,
    percent_of_total,
    period_amount,
    round_money,
    schedule,
)

D = Decimal
CM = StrEnum("CM", {name.upper(): name for name in REGISTRY})  # CM.TIERED == "tiered"
FLAT = PriceFormat.FLAT
SUNDAY = frozenset({6})
WEEKDAYS = frozenset({0, 1, 2, 3, 4})


def tier(start, end, price, price_format=PriceFormat.PER_UNIT) -> Tier:
    return Tier(D(start), None if end is None else D(end), D(price), price_format)


def forever(**fields) -> Interval:
    return Interval(DurationUnit.INFINITY, **fields)


def days(n: int, **fields) -> Interval:
    return Interval(DurationUnit.DAY, n, **fields)


def months(n: int, **fields) -> Interval:
    return Interval(DurationUnit.MONTH, n, **fields)


def brute_deliveries(start: date, end: date, weekdays: frozenset[int]) -> int:
    return sum(
        (start + timedelta(days=i)).weekday() in weekdays for i in range(max((end - start).days, 0))
    )


# 0–10 @ $1, 10–50 @ $0.80, 50+ @ $0.50: the brief's example.
THREE_TIERS = forever(tiers=(tier(0, 10, "1"), tier(10, 50, "0.80"), tier(50, None, "0.50")))


def test_the_engine_does_not_import_django():
    code = "import sys, pricing.pricebook; print('django' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- Charge models -------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", ["0", "1", "1000"])
def test_a_flat_fee_is_the_price_whatever_the_quantity(quantity):
    assert period_amount(CM.FLAT_FEE, forever(price=D("49.00")), D(quantity)) == D("49.00")


def test_per_unit_is_quantity_times_price():
    assert period_amount(CM.PER_UNIT, forever(price=D("2.50")), D(7)) == D("17.50")


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [
        ("60", "47.00"),  # 10 × 1 + 40 × 0.80 + 10 × 0.50 = 10 + 32 + 5
        ("10", "10"),  # unit 10 is the last of tier 1
        ("11", "10.80"),  # unit 11 is the first of tier 2
        ("50", "42.00"),
        ("10.5", "10.40"),  # fractional quantities split at the boundary too
        ("1", "1"),
    ],
)
def test_tiered_prices_each_tier_with_its_own_units(quantity, amount):
    assert period_amount(CM.TIERED, THREE_TIERS, D(quantity)) == D(amount)


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [
        ("60", "30.00"),  # 60 × 0.50: the tier q falls in prices every unit
        ("10", "10"),  # exactly 10 falls in tier 1
        ("11", "8.80"),
        ("50", "40.00"),
        ("51", "25.50"),
    ],
)
def test_volume_prices_every_unit_at_the_tier_the_quantity_falls_in(quantity, amount):
    assert period_amount(CM.VOLUME, THREE_TIERS, D(quantity)) == D(amount)


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [("5", "50"), ("10", "50"), ("11", "150"), ("50", "150"), ("60", "120.00")],
)
def test_a_flat_volume_tier_is_one_amount(quantity, amount):
    interval = forever(
        tiers=(tier(0, 10, "50", FLAT), tier(10, 50, "150", FLAT), tier(50, None, "2.00"))
    )
    assert period_amount(CM.VOLUME, interval, D(quantity)) == D(amount)


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [
        ("5", "50"),  # the flat tier counts once when touched
        ("10", "50"),
        ("12", "56"),  # 50 + 2 × 3
        ("50", "170"),  # 50 + 40 × 3
        ("51", "270"),  # + the flat 100 of the open tier
        ("500", "270"),
    ],
)
def test_a_flat_tier_counts_once_in_tiered_pricing(quantity, amount):
    interval = forever(
        tiers=(tier(0, 10, "50", FLAT), tier(10, 50, "3"), tier(50, None, "100", FLAT))
    )
    assert period_amount(CM.TIERED, interval, D(quantity)) == D(amount)


def test_volume_beyond_a_finite_last_tier_stays_in_that_tier():
    interval = forever(tiers=(tier(0, 10, "1"), tier(10, 50, "0.80")))
    assert period_amount(CM.VOLUME, interval, D(60)) == D("48.00")
    assert period_amount(CM.TIERED, interval, D(60)) == D("42.00")  # units past 50 unpriced


def test_tiers_are_used_in_order_whatever_order_they_come_in():
    shuffled = forever(tiers=(tier(50, None, "0.50"), tier(0, 10, "1"), tier(10, 50, "0.80")))
    assert period_amount(CM.TIERED, shuffled, D(60)) == D("47.00")
    assert shuffled.tiers == THREE_TIERS.tiers


@pytest.mark.parametrize(
    ("quantity", "amount"), [("80", "0"), ("100", "0"), ("130", "7.50"), ("100.5", "0.125")]
)
def test_overage_prices_units_above_the_included_units(quantity, amount):
    interval = forever(included_units=D(100), overage_price=D("0.25"))
    assert period_amount(CM.OVERAGE, interval, D(quantity)) == D(amount)


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [
        ("5", "5"),
        ("50", "42.00"),
        ("60", "48.00"),  # 10 + 32 + 10 × 0.60 beyond the last tier
        ("150", "102.00"),
    ],
)
def test_tiered_with_overage_prices_units_past_the_last_tier_at_the_overage_price(quantity, amount):
    interval = forever(tiers=(tier(0, 10, "1"), tier(10, 50, "0.80")), overage_price=D("0.60"))
    assert period_amount(CM.TIERED_WITH_OVERAGE, interval, D(quantity)) == D(amount)


def test_delivery_is_price_times_deliveries():
    interval = forever(price=D("4.75"))
    assert period_amount(CM.DELIVERY, interval, D(1), deliveries=4) == D("19.00")
    assert period_amount(CM.DELIVERY, interval, D(1)) == 0


@pytest.mark.parametrize("charge_model", [cm for cm in CM if cm != CM.FLAT_FEE])
def test_nothing_bought_costs_nothing_except_a_flat_fee(charge_model):
    interval = forever(
        price=D(3), included_units=D(0), overage_price=D(2), tiers=(tier(0, None, "5", FLAT),)
    )
    assert period_amount(charge_model, interval, D(0), deliveries=4) == 0


@pytest.mark.parametrize("charge_model", list(CM))
def test_a_negative_quantity_is_refused(charge_model):
    with pytest.raises(ValueError, match="negative"):
        period_amount(charge_model, THREE_TIERS, D(-1))


def test_a_plain_string_charge_model_works():
    assert period_amount("tiered", THREE_TIERS, D(60)) == D("47.00")


def test_bad_period_amount_input_is_refused():
    with pytest.raises(ValueError, match="Unknown charge model"):
        period_amount("subscription", THREE_TIERS, D(1))
    with pytest.raises(ValueError, match="at least one tier"):
        period_amount(CM.VOLUME, forever(), D(1))
    with pytest.raises(ValueError, match="finite"):
        period_amount(CM.PER_UNIT, THREE_TIERS, D("NaN"))
    with pytest.raises(ValueError, match="deliveries"):
        period_amount(CM.DELIVERY, THREE_TIERS, D(1), deliveries=-1)


# --- Rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "exponent"),
    [
        ("USD", 2),
        ("EUR", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("KWD", 3),
        ("BHD", 3),
        ("jpy", 0),
        ("XYZ", 2),
    ],
)
def test_minor_units_come_from_iso_4217(currency, exponent):
    assert minor_unit(currency) == exponent


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("0.125", "USD", "0.13"),  # half-up, not banker's (which gives 0.12)
        ("0.135", "USD", "0.14"),
        ("0.124999", "USD", "0.12"),
        ("-0.125", "USD", "-0.13"),  # a credit rounds away from zero too
        ("1234.5", "JPY", "1235"),
        ("1234.49", "JPY", "1234"),
        ("1.0005", "KWD", "1.001"),
        ("10", "USD", "10.00"),
    ],
)
def test_money_is_rounded_half_up_to_the_minor_unit(amount, currency, rounded):
    result = round_money(D(amount), currency)
    assert result == D(rounded)
    assert result.as_tuple().exponent == -minor_unit(currency)


@pytest.mark.parametrize("currency", ["US", "USDT", "12$", ""])
def test_a_malformed_currency_is_refused(currency):
    with pytest.raises(ValueError, match="ISO 4217"):
        minor_unit(currency)


# --- Calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months_", "result"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2023, 1, 31), 13, date(2024, 2, 29)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 17), 0, date(2025, 5, 17)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months_, result):
    assert add_months(day, months_) == result


@pytest.mark.parametrize("weekdays", [SUNDAY, WEEKDAYS, frozenset(), frozenset(range(7))])
def test_count_deliveries_matches_a_day_by_day_count(weekdays):
    start = date(2024, 2, 20)
    for length in range(0, 30):
        end = start + timedelta(days=length)
        assert count_deliveries(start, end, weekdays) == brute_deliveries(start, end, weekdays)
    far = date(2031, 7, 4)
    assert count_deliveries(start, far, weekdays) == brute_deliveries(start, far, weekdays)


def test_count_deliveries_is_zero_for_an_empty_or_reversed_range():
    assert count_deliveries(date(2025, 1, 5), date(2025, 1, 5), SUNDAY) == 0
    assert count_deliveries(date(2025, 1, 6), date(2025, 1, 1), SUNDAY) == 0


def test_count_deliveries_refuses_an_unknown_weekday():
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        count_deliveries(date(2025, 1, 1), date(2025, 2, 1), frozenset({7}))


# --- Interval spans ------------------------------------------------------------------------


def test_interval_spans_follow_one_another_and_stop_after_a_finite_last_interval():
    intervals = (days(10), months(1), months(2), days(5))
    spans = interval_spans(intervals, date(2024, 1, 31), date(2030, 1, 1))
    assert spans == [
        Span(date(2024, 1, 31), date(2024, 2, 10), 0),
        Span(date(2024, 2, 10), date(2024, 3, 10), 1),
        Span(date(2024, 3, 10), date(2024, 5, 10), 2),
        Span(date(2024, 5, 10), date(2024, 5, 15), 3),
    ]


def test_interval_spans_are_clipped_to_the_window():
    spans = interval_spans((days(10), months(1), forever()), date(2024, 1, 31), date(2024, 3, 1))
    assert spans == [
        Span(date(2024, 1, 31), date(2024, 2, 10), 0),
        Span(date(2024, 2, 10), date(2024, 3, 1), 1),
    ]


def test_month_intervals_count_from_their_first_start_so_month_ends_do_not_drift():
    spans = interval_spans((months(1), months(1), forever()), date(2024, 1, 31), date(2024, 6, 1))
    assert spans == [
        Span(date(2024, 1, 31), date(2024, 2, 29), 0),
        Span(date(2024, 2, 29), date(2024, 3, 31), 1),  # not 29 March
        Span(date(2024, 3, 31), date(2024, 6, 1), 2),
    ]


def test_bad_interval_sequences_are_refused():
    with pytest.raises(ValueError, match="at least one interval"):
        interval_spans((), date(2025, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValueError, match="Only the last interval may be Infinity"):
        interval_spans((forever(), days(3)), date(2025, 1, 1), date(2026, 1, 1))


# --- Schedules -----------------------------------------------------------------------------


def seed_003(weekdays: frozenset[int], first: str, then: str) -> PriceBook:
    """Seed 003: a price per delivery for the first 365 days, then a higher one forever."""
    return PriceBook(
        CM.DELIVERY, (days(365, price=D(first)), forever(price=D(then))), "USD", weekdays
    )


def test_seed_003_sunday_deliveries_over_13_months_split_the_month_crossing_day_365():
    # 17 June 2023 + 365 days = Sunday 16 June 2024 (29 Feb 2024 lies between), a day before
    # the twelfth monthly period ends: that period is split and its last Sunday costs 9.50.
    start = date(2023, 6, 17)
    result = schedule(seed_003(SUNDAY, "4.75", "9.50"), quantity=D(1), start=start, periods=13)
    split = [line for line in result.lines if line.period_index == 11]
    assert [(line.start, line.end, line.interval_index, line.amount) for line in split] == [
        (date(2024, 5, 17), date(2024, 6, 16), 0, D("19.00")),  # 19, 26 May, 2, 9 June
        (date(2024, 6, 16), date(2024, 6, 17), 1, D("9.50")),  # Sunday 16 June
    ]
    last = result.lines[-1]
    assert (last.period_index, last.start, last.end, last.amount) == (
        12,
        date(2024, 6, 17),
        date(2024, 7, 17),
        D("38.00"),  # 23, 30 June, 7, 14 July
    )
    assert len(result.lines) == 14
    for line in result.lines:
        price = D("4.75") if line.interval_index == 0 else D("9.50")
        assert line.amount == price * brute_deliveries(line.start, line.end, SUNDAY)
    # 52 Sundays in the first 365 days (17 June 2023 is a Saturday), then 16 June to 14 July.
    assert result.total == sum(line.amount for line in result.lines) == D("294.50")
    assert result.total == 52 * D("4.75") + 5 * D("9.50")
    assert result.currency == "USD"


def test_seed_003_weekday_deliveries_cost_0_875_then_1_75_rounded_per_line():
    start = date(2023, 6, 17)
    result = schedule(seed_003(WEEKDAYS, "0.875", "1.75"), quantity=D(1), start=start, periods=13)
    assert [line.amount for line in result.lines[:2]] == [D("17.50"), D("20.13")]  # 20, 23 weekdays
    split = [(line.interval_index, line.amount) for line in result.lines if line.period_index == 11]
    assert split == [(0, D("18.38")), (1, D("0"))]  # 21 weekdays; the 16th is a Sunday
    for line in result.lines:
        price = D("0.875") if line.interval_index == 0 else D("1.75")
        count = brute_deliveries(line.start, line.end, WEEKDAYS)
        assert line.amount == round_money(price * count, "USD")
    assert result.total == sum(line.amount for line in result.lines)


def test_a_period_crossing_an_interval_boundary_is_prorated_by_days():
    book = PriceBook(CM.PER_UNIT, (days(45, price=D(10)), forever(price=D(20))), "USD")
    result = schedule(book, quantity=D(1), start=date(2025, 1, 1), periods=3)
    assert [(line.start, line.end, line.interval_index, line.amount) for line in result.lines] == [
        (date(2025, 1, 1), date(2025, 2, 1), 0, D("10.00")),
        (date(2025, 2, 1), date(2025, 2, 15), 0, D("5.00")),  # 10 × 14/28
        (date(2025, 2, 15), date(2025, 3, 1), 1, D("10.00")),  # 20 × 14/28
        (date(2025, 3, 1), date(2025, 4, 1), 1, D("20.00")),
    ]
    assert [line.period_index for line in result.lines] == [0, 1, 1, 2]
    assert result.total == D("45.00")


def test_month_intervals_on_the_31st_follow_the_billing_periods():
    # The admin preview's case: Month(2) at 5 then 7 forever, three units, from 31 January.
    book = PriceBook(CM.PER_UNIT, (months(2, price=D(5)), forever(price=D(7))), "USD")
    result = schedule(book, quantity=D(3), start=date(2026, 1, 31), periods=4)
    assert [line.amount for line in result.lines] == [D("15.00")] * 2 + [D("21.00")] * 2
    assert [line.end for line in result.lines] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert result.total == D("72.00")


def test_nothing_is_billed_after_a_finite_last_interval():
    book = PriceBook(CM.FLAT_FEE, (days(45, price=D(28)),), "USD")
    result = schedule(book, quantity=D(1), start=date(2025, 1, 1), periods=6)
    assert [(line.start, line.end, line.amount) for line in result.lines] == [
        (date(2025, 1, 1), date(2025, 2, 1), D("28.00")),
        (date(2025, 2, 1), date(2025, 2, 15), D("14.00")),  # half of February
    ]
    assert result.total == D("42.00")


def test_a_one_time_charge_is_billed_once_in_full():
    book = PriceBook(CM.FLAT_FEE, (days(10, price=D(100)), forever(price=D(200))), "USD")
    result = schedule(book, quantity=D(1), start=date(2025, 1, 1), periods=12, one_time=True)
    assert len(result.lines) == 1
    line = result.lines[0]
    assert (line.period_index, line.interval_index, line.amount) == (0, 0, D("100.00"))
    assert result.total == D("100.00")


def test_yearly_periods_count_from_the_original_start():
    book = PriceBook(CM.PER_UNIT, (forever(price=D(120)),), "USD")
    result = schedule(book, quantity=D(2), start=date(2024, 2, 29), periods=3, period_months=12)
    assert [line.end for line in result.lines] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
    ]
    assert result.total == D("720.00")


def test_each_line_is_rounded_and_the_total_is_their_sum():
    book = PriceBook(CM.PER_UNIT, (days(10, price=D("0.333")), forever(price=D(1))), "JPY")
    result = schedule(book, quantity=D(1000), start=date(2025, 1, 1), periods=2)
    # Day 10 ends on 11 January: January is split 10/31 and 21/31, each part rounded alone.
    assert [(line.interval_index, line.amount) for line in result.lines] == [
        (0, D("107")),  # 333 × 10/31 = 107.42
        (1, D("677")),  # 1000 × 21/31 = 677.42
        (1, D("1000")),
    ]
    assert result.total == D("1784")
    assert all(line.amount.as_tuple().exponent == 0 for line in result.lines)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"periods": 0}, "at least one billing period"),
        ({"period_months": 0}, "at least one month"),
        ({"quantity": D(-1)}, "negative"),
    ],
)
def test_bad_schedule_input_is_refused(kwargs, message):
    book = PriceBook(CM.PER_UNIT, (forever(price=D(1)),), "USD")
    arguments = {"quantity": D(1), "start": date(2025, 1, 1), "periods": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        schedule(book, **arguments)


def test_a_schedule_needs_intervals():
    with pytest.raises(ValueError, match="at least one interval"):
        schedule(
            PriceBook(CM.PER_UNIT, (), "USD"), quantity=D(1), start=date(2025, 1, 1), periods=1
        )


# --- Offering-level amounts ----------------------------------------------------------------


def test_percent_of_total_is_a_rounded_percentage_of_the_scoped_amounts():
    assert percent_of_total(D(15), [D("100.00"), D("49.99")], "USD") == D("22.50")  # 22.4985
    assert percent_of_total(D("12.5"), [D(1001)], "JPY") == D(125)  # 125.125
    assert percent_of_total(D(10), [], "USD") == D("0.00")


def test_a_negative_percentage_is_refused():
    with pytest.raises(ValueError, match="negative"):
        percent_of_total(D(-5), [D(100)], "USD")


def test_usage_below_the_commitment_is_trued_up_to_it():
    result = minimum_commit(D(1000), [D(300), D("250.555")], "USD")
    assert result.usage == D("550.56")
    assert result.commitment == D("1000.00")
    assert result.true_up == D("449.44")
    assert result.billed == D("1000.00")


def test_usage_above_the_commitment_is_billed_as_used():
    result = minimum_commit(D(1000), [D(700), D(500)], "USD")
    assert (result.usage, result.true_up, result.billed) == (D("1200.00"), D(0), D("1200.00"))
    assert str(result.true_up) == "0.00"


def test_a_negative_commitment_is_refused():
    with pytest.raises(ValueError, match="negative"):
        minimum_commit(D(-1), [], "USD")


# --- Price structure -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: Interval(DurationUnit.DAY), ValueError, "positive whole duration"),
        (lambda: Interval(DurationUnit.MONTH, 0), ValueError, "positive whole duration"),
        (lambda: Interval(DurationUnit.INFINITY, 5), ValueError, "no duration"),
        (lambda: forever(price=D(-1)), ValueError, "cannot be negative"),
        (lambda: forever(price=1.5), TypeError, "Decimal"),
        (lambda: tier(10, 10, 1), ValueError, "ends above"),
        (lambda: tier(-1, 10, 1), ValueError, "start unit cannot be negative"),
        (lambda: tier(0, 10, -1), ValueError, "cannot be negative"),
        (lambda: forever(tiers=(tier(0, 10, 1), tier(5, None, 1))), ValueError, "overlap"),
        (lambda: forever(tiers=(tier(0, None, 1), tier(5, 9, 1))), ValueError, "overlap"),
        (lambda: PriceBook(CM.DELIVERY, (forever(),), "USD", frozenset({7})), ValueError, "0 "),
        (lambda: PriceBook(CM.PER_UNIT, (forever(),), "dollars"), ValueError, "ISO 4217"),
        (lambda: PriceBook("rental", (forever(),), "USD"), ValueError, "rental"),
    ],
)
def test_malformed_prices_are_refused(build, error, message):
    with pytest.raises(error, match=message):
        build()


def test_plain_values_are_normalized():
    interval = Interval("month", 3, price=5, tiers=[tier(0, None, "1")])
    assert interval.duration_unit is DurationUnit.MONTH
    assert interval.price == D(5) and isinstance(interval.price, Decimal)
    assert isinstance(interval.tiers, tuple)
    book = PriceBook("delivery", [interval], "usd", {6})
    assert book.charge_model == "delivery" and book.model.name == "delivery"
    assert book.currency == "USD"
    assert book.delivery_weekdays == SUNDAY
