"""Properties of each charge model in ``pricing.pricebook.REGISTRY``, for any valid price.

Tests that hold for every model are parametrized over the registry, so a model registered
later is covered without editing this file. Prices are valid by construction
(``strategies.price_books``); ``price_problems`` confirms it. Each test counts the examples
Hypothesis fed it (per model) and fails if there were none; see the counts with ``-s``.
"""

import dataclasses
import json
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from catalog.tests.profiles import cases
from pricing.pricebook import (
    REGISTRY,
    DurationUnit,
    Interval,
    PriceFormat,
    Tier,
    period_amount,
    price_problems,
    round_money,
    schedule,
)
from pricing.pricebook import snapshot as snapshots
from pricing.pricebook.schedule import CHARGE, MAXIMUM, MINIMUM
from pricing.pricebook.wording import Wording, price_sentence
from pricing.tests.strategies import (
    CM,
    QUICK,
    SLOW,
    counted,
    days_,
    price_books,
    quantities,
    spec_of,
    tally,
    tier_lists,
)

ALL = list(REGISTRY)
MONOTONE = [name for name, model in REGISTRY.items() if model.monotone]
LIMITED = [name for name, model in REGISTRY.items() if model.uses("price.minimum_amount")]
# A test over every model runs once per model: fewer examples each keeps the family fast.
PER_MODEL = settings(QUICK, max_examples=cases(100))
PER_MODEL_SLOW = settings(SLOW, max_examples=cases(40))
WORDING = Wording("USD", "en", "seat", "subscription", "monthly")

# Small quantities as often as large ones, so minimums and free units are reached too.
some_units = st.one_of(
    st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False),
    quantities,
)
deliveries = st.integers(0, 31)
STEP = Decimal("0.01")  # the smallest quantity step the strategies draw
per_mille = st.integers(1, 1000)  # a share of a package, exactly: size × n / 1000


def one_interval(model_name: str):
    """A valid single Infinity interval of a model, with the price's flat-at-zero option."""
    return price_books(model_name, regular=True).map(
        lambda book: (book.intervals[0], book.flat_at_zero)
    )


def raw_flat(tier: Tier):
    """What reaching a tier costs, from its stored fields (a "flat" tier's price is that)."""
    return tier.price + tier.flat_amount if tier.price_format == "flat" else tier.flat_amount


def raw_unit(tier: Tier):
    return 0 if tier.price_format == "flat" else tier.price


# --- Every monotone model ----------------------------------------------------------------------


@pytest.mark.parametrize("model_name", MONOTONE)
@counted
@PER_MODEL
@given(data=st.data(), quantity=some_units, more=some_units, deliveries=deliveries)
@tally
def test_a_monotone_model_never_charges_less_for_more_units(
    model_name, data, quantity, more, deliveries
):
    interval, flat_at_zero = data.draw(one_interval(model_name))
    options = {"deliveries": deliveries, "flat_at_zero": flat_at_zero}

    def amount(quantity):
        return period_amount(model_name, interval, quantity, **options)

    # Any quantity, and the interval's own thresholds, where an amount could step down.
    thresholds = {interval.included_units, *(t.end_unit for t in interval.tiers if t.end_unit)}
    if interval.package_size:
        thresholds.add(interval.included_units + interval.package_size)
    for less in (quantity, *sorted(thresholds)):
        for step in (more, STEP):
            assert amount(less + step) >= amount(less), f"{less} + {step} units cost less"


# --- Package -----------------------------------------------------------------------------------


@counted
@QUICK
@given(interval=one_interval(CM.PACKAGE).map(lambda found: found[0]), quantity=some_units)
@tally
def test_a_package_price_bills_each_started_package_after_the_free_units(interval, quantity):
    billable = max(quantity - interval.included_units, 0)
    packages = math.ceil(Fraction(billable) / Fraction(interval.package_size))
    assert period_amount(CM.PACKAGE, interval, quantity) == packages * interval.price


@counted
@QUICK
@given(
    interval=one_interval(CM.PACKAGE).map(lambda found: found[0]),
    packages=st.integers(0, 50),
    inside=st.lists(per_mille, min_size=2, max_size=4),
)
@tally
def test_a_package_price_is_constant_inside_a_package_and_jumps_by_the_price_at_its_end(
    interval, packages, inside
):
    size, free, price = interval.package_size, interval.included_units, interval.price
    start = free + packages * size  # the end of package `packages`, the start of the next

    def amount(quantity):
        return period_amount(CM.PACKAGE, interval, quantity)

    # Anywhere in (start, start + size]: one package more, whatever the share of it used.
    assert {amount(start + size * n / 1000) for n in inside} == {(packages + 1) * price}
    # The boundary itself belongs to the package it ends; any unit past it starts the next.
    assert amount(start) == packages * price
    assert amount(start + size * min(inside) / 1000) - amount(start) == price


@counted
@QUICK
@given(
    interval=one_interval(CM.PACKAGE).map(lambda found: found[0]),
    share=st.integers(0, 1000),
    flat_at_zero=st.booleans(),
)
@tally
def test_a_package_price_bills_nothing_up_to_the_free_units_and_nothing_for_zero(
    interval, share, flat_at_zero
):
    assert period_amount(CM.PACKAGE, interval, 0, flat_at_zero=flat_at_zero) == 0
    quantity = interval.included_units * share / 1000
    assert period_amount(CM.PACKAGE, interval, quantity, flat_at_zero=flat_at_zero) == 0


# --- Flat + unit tiers -------------------------------------------------------------------------

any_tiers = st.booleans().flatmap(lambda open_last: tier_lists(open_last=open_last))


@counted
@QUICK
@given(tiers=any_tiers, quantity=some_units)
@tally
def test_a_tiered_price_sums_the_flat_and_unit_amounts_of_every_tier_reached(tiers, quantity):
    interval = Interval(DurationUnit.INFINITY, tiers=tiers)
    expected = 0
    for tier in tiers:
        if quantity > tier.start_unit:
            top = quantity if tier.end_unit is None else min(quantity, tier.end_unit)
            expected += raw_flat(tier) + (top - tier.start_unit) * raw_unit(tier)
    assert period_amount(CM.TIERED, interval, quantity) == expected


@counted
@QUICK
@given(tiers=any_tiers, quantity=some_units)
@tally
def test_a_tiered_price_is_its_unit_prices_alone_plus_the_flat_amounts_of_tiers_reached(
    tiers, quantity
):
    units_only = tuple(
        Tier(t.start_unit, t.end_unit, raw_unit(t), PriceFormat.PER_UNIT) for t in tiers
    )
    flats = sum(raw_flat(t) for t in tiers if quantity > t.start_unit)
    with_flats = period_amount(CM.TIERED, Interval(DurationUnit.INFINITY, tiers=tiers), quantity)
    without = period_amount(CM.TIERED, Interval(DurationUnit.INFINITY, tiers=units_only), quantity)
    assert with_flats == without + flats


@counted
@QUICK
@given(tiers=any_tiers, quantity=some_units)
@tally
def test_a_volume_price_is_the_flat_amount_plus_every_unit_at_the_price_of_its_tier(
    tiers, quantity
):
    interval = Interval(DurationUnit.INFINITY, tiers=tiers)
    amount = period_amount(CM.VOLUME, interval, quantity)
    if quantity == 0:
        assert amount == 0
        return
    # The tier (start, end] holding the quantity; beyond a closed last tier, the last tier.
    inside = [t for t in tiers if t.start_unit < quantity and (t.end_unit or quantity) >= quantity]
    tier = inside[0] if inside else tiers[-1]
    assert len(inside) <= 1
    assert amount == raw_flat(tier) + quantity * raw_unit(tier)


# --- Flat at zero ------------------------------------------------------------------------------


@pytest.mark.parametrize("model_name", ALL)
@counted
@PER_MODEL
@given(data=st.data(), quantity=some_units, deliveries=deliveries)
@tally
def test_flat_at_zero_bills_the_first_tiers_flat_amount_at_zero_and_changes_nothing_else(
    model_name, data, quantity, deliveries
):
    interval, _ = data.draw(one_interval(model_name))

    def amount(quantity, flat_at_zero):
        return period_amount(
            model_name, interval, quantity, deliveries=deliveries, flat_at_zero=flat_at_zero
        )

    if REGISTRY[model_name].uses("price.flat_at_zero"):
        first = min(interval.tiers, key=lambda tier: tier.start_unit)
        assert amount(0, False) == 0
        assert amount(0, True) == raw_flat(first)
    else:
        assert amount(0, True) == amount(0, False)
    if quantity > 0:
        assert amount(quantity, True) == amount(quantity, False)


def test_flat_at_zero_is_an_option_of_the_tier_models_exactly():
    uses = {name for name, model in REGISTRY.items() if model.uses("price.flat_at_zero")}
    assert uses == {CM.TIERED, CM.VOLUME, CM.TIERED_WITH_OVERAGE}


# --- Minimum and maximum per period ------------------------------------------------------------

terms = {
    "start": days_,
    "periods": st.integers(1, 12),
    "period_months": st.sampled_from([1, 1, 3, 12]),
    "one_time": st.booleans(),
}


@pytest.mark.parametrize("model_name", LIMITED)
@counted
@PER_MODEL_SLOW
@given(data=st.data(), quantity=some_units, **terms)
@tally
def test_each_periods_total_is_kept_within_the_minimum_and_maximum_by_one_extra_line(
    model_name, data, quantity, start, periods, period_months, one_time
):
    book = data.draw(price_books(model_name, limits=True))
    term = {"start": start, "periods": periods, "period_months": period_months}
    limited = schedule(book, quantity=quantity, one_time=one_time, **term)
    plain_book = dataclasses.replace(book, minimum_amount=None, maximum_amount=None)
    plain = schedule(plain_book, quantity=quantity, one_time=one_time, **term)

    extra = [line for line in limited.lines if line.kind != CHARGE]
    assert tuple(line for line in limited.lines if line.kind == CHARGE) == plain.lines
    assert limited.total == plain.total + sum(line.amount for line in extra)
    assert limited.total == sum(line.amount for line in limited.lines)

    low = None if book.minimum_amount is None else round_money(book.minimum_amount, book.currency)
    high = None if book.maximum_amount is None else round_money(book.maximum_amount, book.currency)
    for period in sorted({line.period_index for line in plain.lines}):
        lines = [line for line in limited.lines if line.period_index == period]
        charged = sum(line.amount for line in lines if line.kind == CHARGE)
        added = [line for line in lines if line.kind != CHARGE]
        total = charged + sum(line.amount for line in added)
        assert low is None or total >= low
        assert high is None or total <= high
        if low is not None and charged < low:
            event("minimum line")
            assert [(line.kind, line.amount) for line in added] == [(MINIMUM, low - charged)]
            assert added[0].amount > 0
        elif high is not None and charged > high:
            event("maximum line")
            assert [(line.kind, line.amount) for line in added] == [(MAXIMUM, high - charged)]
            assert added[0].amount < 0
        else:
            event("within the limits")
            assert added == []
        assert lines[-1] in added or not added, "the extra line closes its period"


# --- The registry is complete ------------------------------------------------------------------


@pytest.mark.parametrize("model_name", ALL)
@counted
@PER_MODEL
@given(data=st.data(), quantity=some_units, deliveries=deliveries)
@tally
def test_every_model_prices_any_valid_price_as_a_finite_amount_of_at_least_zero(
    model_name, data, quantity, deliveries
):
    book = data.draw(price_books(model_name))
    assert price_problems(spec_of(book)) == []
    for interval in book.intervals:
        amount = period_amount(
            model_name, interval, quantity, deliveries=deliveries, flat_at_zero=book.flat_at_zero
        )
        assert type(amount) is type(quantity)  # a Decimal, not an int or a float
        assert amount.is_finite()
        assert amount >= 0


@pytest.mark.parametrize("model_name", ALL)
@counted
@PER_MODEL_SLOW
@given(data=st.data())
@tally
def test_every_model_words_any_valid_price(model_name, data):
    book = data.draw(price_books(model_name))
    sentence = price_sentence(book, WORDING)
    assert isinstance(sentence, str)
    assert sentence and not sentence[0].islower()
    assert ("at least" in sentence) == (book.minimum_amount is not None)
    assert ("at most" in sentence) == (book.maximum_amount is not None)


# --- Snapshots ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model_name", ALL)
@counted
@PER_MODEL_SLOW
@given(data=st.data(), quantity=some_units, **terms)
@tally
def test_a_snapshot_reads_back_the_same_price_and_the_same_schedule(
    model_name, data, quantity, start, periods, period_months, one_time
):
    book = data.draw(price_books(model_name))
    dumped = snapshots.dump(book, role="charge", period_months=period_months, one_time=one_time)
    loaded = snapshots.load(json.loads(json.dumps(dumped)))  # stored as JSON
    assert loaded.book == book
    assert (loaded.role, loaded.period_months, loaded.one_time) == (
        "charge",
        period_months,
        one_time,
    )
    term = {"quantity": quantity, "start": start, "periods": periods, "one_time": one_time}
    term["period_months"] = period_months
    assert schedule(loaded.book, **term) == schedule(book, **term)
