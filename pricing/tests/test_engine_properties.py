"""Properties of the pricing engine that hold for any price, quantity and calendar.

Each test counts the examples Hypothesis fed it and fails if there were none, so a
strategy that silently generates nothing cannot pass; the counts are printed (see them
with ``pytest -s`` or ``-rP``).
"""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from pricing.pricebook import (
    DurationUnit,
    Interval,
    PriceBook,
    Tier,
    add_months,
    count_deliveries,
    minimum_commit,
    minor_unit,
    percent_of_total,
    period_amount,
    round_money,
    schedule,
)
from pricing.tests.strategies import (
    CM,
    QUICK,
    SLOW,
    counted,
    currencies,
    days_,
    money,
    package_sizes,
    quantities,
    tally,
    tier_lists,
    weekday_sets,
)

# --- Strategies (shared ones: pricing.tests.strategies) ---------------------------------------


@st.composite
def intervals(draw) -> tuple[Interval, ...]:
    """1 to 8 Day/Month intervals, the last one Infinity or not."""
    count = draw(st.integers(1, 8))
    result = []
    for index in range(count):
        last = index == count - 1
        unit = draw(
            st.sampled_from(
                [DurationUnit.DAY, DurationUnit.MONTH, DurationUnit.INFINITY]
                if last
                else [DurationUnit.DAY, DurationUnit.MONTH]
            )
        )
        duration = None
        if unit is DurationUnit.DAY:
            duration = draw(st.integers(1, 400))
        elif unit is DurationUnit.MONTH:
            duration = draw(st.integers(1, 14))
        result.append(
            Interval(
                unit,
                duration,
                price=draw(money),
                included_units=draw(quantities),
                overage_price=draw(money),
                tiers=draw(tier_lists()),
                package_size=draw(package_sizes),
            )
        )
    return tuple(result)


def brute_deliveries(start: date, end: date, weekdays: frozenset[int]) -> int:
    return sum(
        (start + timedelta(days=i)).weekday() in weekdays for i in range(max((end - start).days, 0))
    )


# --- Charge models -------------------------------------------------------------------------


@counted
@QUICK
@given(quantity=quantities, price=money)
@tally
def test_a_single_open_tier_prices_like_per_unit(quantity, price):
    interval = Interval(DurationUnit.INFINITY, price=price, tiers=(Tier(0, None, price),))
    per_unit = period_amount(CM.PER_UNIT, interval, quantity)
    assert per_unit == quantity * price
    assert period_amount(CM.TIERED, interval, quantity) == per_unit
    assert period_amount(CM.VOLUME, interval, quantity) == per_unit


@counted
@QUICK
@given(
    charge_model=st.sampled_from(
        [CM.PER_UNIT, CM.TIERED, CM.OVERAGE, CM.TIERED_WITH_OVERAGE, CM.FLAT_FEE]
    ),
    tiers=st.booleans().flatmap(lambda open_last: tier_lists(open_last=open_last)),
    price=money,
    included=quantities,
    overage=money,
    quantity=quantities,
    more=quantities,
)
@tally
def test_amounts_never_fall_as_the_quantity_grows(
    charge_model, tiers, price, included, overage, quantity, more
):
    interval = Interval(
        DurationUnit.INFINITY,
        price=price,
        included_units=included,
        overage_price=overage,
        tiers=tiers,
    )
    less = period_amount(charge_model, interval, quantity)
    assert less >= 0
    assert period_amount(charge_model, interval, quantity + more) >= less


@counted
@QUICK
@given(tiers=tier_lists(open_last=False), overage=money, quantity=quantities)
@tally
def test_tiered_with_overage_is_tiered_plus_overage_past_the_last_tier(tiers, overage, quantity):
    interval = Interval(DurationUnit.INFINITY, overage_price=overage, tiers=tiers)
    last_end = tiers[-1].end_unit
    expected = period_amount(CM.TIERED, interval, quantity) + max(quantity - last_end, 0) * overage
    assert period_amount(CM.TIERED_WITH_OVERAGE, interval, quantity) == expected


@counted
@QUICK
@given(tiers=tier_lists(), quantity=quantities)
@tally
def test_volume_prices_with_exactly_one_tier(tiers, quantity):
    assume(quantity > 0)
    interval = Interval(DurationUnit.INFINITY, tiers=tiers)
    amount = period_amount(CM.VOLUME, interval, quantity)
    # Each tier's flat amount plus the quantity at its unit price: the amount is one of them.
    candidates = {t.flat + quantity * t.unit_price for t in tiers}
    assert amount in candidates


# --- Money ---------------------------------------------------------------------------------


@counted
@QUICK
@given(
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False),
    currency=currencies,
)
@tally
def test_rounding_lands_on_the_minor_unit_within_half_of_it(amount, currency):
    rounded = round_money(amount, currency)
    exponent = minor_unit(currency)
    assert rounded.as_tuple().exponent == -exponent
    assert abs(rounded - amount) <= Decimal(1).scaleb(-exponent) / 2


@counted
@QUICK
@given(amounts=st.lists(money, max_size=10), currency=currencies)
@tally
def test_a_hundred_percent_of_the_total_is_the_rounded_total(amounts, currency):
    total = round_money(sum(amounts, Decimal(0)), currency)
    assert percent_of_total(Decimal(100), amounts, currency) == total
    assert percent_of_total(Decimal(0), amounts, currency) == 0


@counted
@QUICK
@given(commitment=money, usage=st.lists(money, max_size=10), currency=currencies)
@tally
def test_a_minimum_commitment_bills_the_larger_of_usage_and_commitment(commitment, usage, currency):
    result = minimum_commit(commitment, usage, currency)
    assert result.true_up >= 0
    assert result.billed == result.usage + result.true_up
    assert result.billed == max(result.commitment, result.usage)
    assert result.billed >= result.commitment


# --- Calendar ------------------------------------------------------------------------------


@counted
@QUICK
@given(start=days_, length=st.integers(-10, 800), weekdays=weekday_sets)
@tally
def test_count_deliveries_equals_the_day_by_day_count(start, length, weekdays):
    end = start + timedelta(days=length)
    assert count_deliveries(start, end, weekdays) == brute_deliveries(start, end, weekdays)


@counted
@QUICK
@given(start=days_, first=st.integers(0, 400), second=st.integers(0, 400), weekdays=weekday_sets)
@tally
def test_count_deliveries_adds_up_over_adjacent_ranges(start, first, second, weekdays):
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    assert count_deliveries(start, end, weekdays) == count_deliveries(
        start, middle, weekdays
    ) + count_deliveries(middle, end, weekdays)


@counted
@QUICK
@given(day=days_, a=st.integers(0, 120), b=st.integers(0, 120))
@tally
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day, a, b):
    once = add_months(day, a + b)
    twice = add_months(add_months(day, a), b)
    months = day.year * 12 + day.month - 1 + a + b
    assert (once.year, once.month - 1) == divmod(months, 12)
    assert (twice.year, twice.month) == (once.year, once.month)
    # Clamping only ever shortens the day, and chaining can only clamp more.
    assert twice.day <= once.day <= day.day
    month_end = (add_months(once.replace(day=1), 1) - timedelta(days=1)).day
    assert once.day == min(day.day, month_end)


# --- Schedules -----------------------------------------------------------------------------


@counted
@SLOW
@given(
    charge_model=st.sampled_from(list(CM)),
    intervals=intervals(),
    quantity=quantities,
    start=days_,
    periods=st.integers(1, 40),
    period_months=st.sampled_from([1, 1, 3, 12]),
    weekdays=weekday_sets,
    currency=currencies,
    one_time=st.booleans(),
)
@tally
def test_schedule_lines_are_contiguous_inside_the_term_and_add_up_to_the_total(
    charge_model, intervals, quantity, start, periods, period_months, weekdays, currency, one_time
):
    book = PriceBook(charge_model, intervals, currency, weekdays)
    result = schedule(
        book,
        quantity=quantity,
        start=start,
        periods=periods,
        period_months=period_months,
        one_time=one_time,
    )
    term_end = add_months(start, periods * period_months)
    assert result.lines, "the first interval always covers the start"
    assert result.lines[0].start == start
    assert result.total == sum(line.amount for line in result.lines)
    assert result.currency == currency
    if one_time:
        assert len(result.lines) == 1
    previous = None
    for line in result.lines:
        assert start <= line.start < line.end <= term_end
        period_start = add_months(start, line.period_index * period_months)
        period_end = add_months(start, (line.period_index + 1) * period_months)
        assert period_start <= line.start < line.end <= period_end
        assert line.amount >= 0
        assert line.amount.as_tuple().exponent == -minor_unit(currency)
        if previous is not None:
            assert line.start == previous.end
            assert line.interval_index >= previous.interval_index
            assert line.period_index in (previous.period_index, previous.period_index + 1)
        previous = line
    if intervals[-1].duration_unit is DurationUnit.INFINITY:
        assert result.lines[-1].end == term_end or one_time


@counted
@SLOW
@given(
    duration=st.integers(1, 800),
    price=money,
    later=money,
    start=days_,
    periods=st.integers(1, 30),
    weekdays=weekday_sets,
)
@tally
def test_delivery_lines_bill_each_delivery_at_its_intervals_price(
    duration, price, later, start, periods, weekdays
):
    book = PriceBook(
        CM.DELIVERY,
        (
            Interval(DurationUnit.DAY, duration, price=price),
            Interval(DurationUnit.INFINITY, price=later),
        ),
        "USD",
        weekdays,
    )
    result = schedule(book, quantity=Decimal(1), start=start, periods=periods)
    switch = start + timedelta(days=duration)
    for line in result.lines:
        assert (line.end <= switch) if line.interval_index == 0 else (line.start >= switch)
        each = price if line.interval_index == 0 else later
        count = brute_deliveries(line.start, line.end, weekdays)
        assert line.amount == round_money(each * count, "USD")


@counted
@SLOW
@given(
    charge_model=st.sampled_from([CM.PER_UNIT, CM.FLAT_FEE, CM.TIERED, CM.OVERAGE]),
    interval=intervals().map(lambda found: found[0]),
    durations=st.lists(st.integers(1, 90), min_size=1, max_size=6),
    quantity=quantities,
    start=days_,
    periods=st.integers(1, 12),
)
@tally
def test_splitting_a_period_between_equal_prices_keeps_its_amount(
    charge_model, interval, durations, quantity, start, periods
):
    # The same prices in every interval: proration pieces must add back to a whole period,
    # give or take half a cent per piece from rounding each line on its own.
    same = [
        Interval(
            DurationUnit.DAY,
            days,
            price=interval.price,
            included_units=interval.included_units,
            overage_price=interval.overage_price,
            tiers=interval.tiers,
        )
        for days in durations
    ]
    same.append(
        Interval(
            DurationUnit.INFINITY,
            price=interval.price,
            included_units=interval.included_units,
            overage_price=interval.overage_price,
            tiers=interval.tiers,
        )
    )
    book = PriceBook(charge_model, same, "USD")
    split = schedule(book, quantity=quantity, start=start, periods=periods)
    whole = round_money(period_amount(charge_model, same[-1], quantity), "USD")
    for period in range(periods):
        pieces = [line.amount for line in split.lines if line.period_index == period]
        assert abs(sum(pieces) - whole) <= Decimal("0.005") * (len(pieces) + 1)
