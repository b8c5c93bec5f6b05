"""Hypothesis strategies and counting helpers shared by the pricing engine's property tests.

``counted`` / ``tally`` count the examples Hypothesis fed a test (per charge model when the
test is parametrized with ``model_name``), print them and fail on none; ``QUICK`` / ``SLOW``
scale the example counts by test profile (``catalog.tests.profiles.cases``). There is no
example database: it would leave a .hypothesis/ folder in the checkout.
"""

import functools
from collections import Counter
from datetime import date
from decimal import Decimal
from enum import StrEnum

from hypothesis import settings
from hypothesis import strategies as st

from catalog.tests.generated import report
from catalog.tests.profiles import cases
from pricing.pricebook import (
    REGISTRY,
    DurationUnit,
    Interval,
    IntervalSpec,
    PriceBook,
    PriceFormat,
    PriceSpec,
    Tier,
    TierSpec,
    charge_model,
)
from pricing.pricebook.fields import INTERVAL, PRICE, TIER, values
from pricing.pricebook.validation import INTERVAL_PRICING, REGULAR

CM = StrEnum("CM", {name.upper(): name for name in REGISTRY})  # CM.TIERED == "tiered"
EXAMPLES: Counter[str] = Counter()
QUICK = settings(max_examples=cases(200), deadline=None, database=None)
SLOW = settings(max_examples=cases(80), deadline=None, database=None)


def _key(name: str, kwargs: dict) -> str:
    """The test's name, with the charge model of a test parametrized by ``model_name``."""
    model_name = kwargs.get("model_name")
    return f"{name}[{model_name}]" if model_name else name


def counted(test):
    """Run a @given test, report how many examples it tried, and fail if it tried none."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        key = _key(test.__name__, kwargs)
        EXAMPLES[key] = 0
        test(*args, **kwargs)
        print(f"{key}: {EXAMPLES[key]} examples")
        report(f"hypothesis {key}", EXAMPLES[key])
        assert EXAMPLES[key] > 0, f"{key} tried no examples"

    return run


def tally(body):
    """Count one example each time Hypothesis calls the test body."""

    @functools.wraps(body)
    def call(*args, **kwargs):
        EXAMPLES[_key(body.__name__, kwargs)] += 1
        return body(*args, **kwargs)

    return call


# --- Values ----------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False)
positive_money = st.decimals(
    min_value="0.001", max_value=1000, places=3, allow_nan=False, allow_infinity=False
)
quantities = st.decimals(
    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
)
days_ = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
weekday_sets = st.frozensets(st.integers(0, 6))
package_sizes = st.decimals(
    min_value="0.5", max_value=1000, places=1, allow_nan=False, allow_infinity=False
)
currencies = st.sampled_from(["USD", "EUR", "JPY", "KRW", "KWD", "BHD", "CLF", "XYZ"])


# --- Tiers -----------------------------------------------------------------------------------


def tier(draw, start, end, *, flat: bool = False) -> Tier:
    """A flat tier, a per-unit tier, or a per-unit tier with a flat amount too; with
    ``flat``, one whose flat amount is above 0."""
    price_format = draw(st.sampled_from(PriceFormat))
    if price_format == PriceFormat.FLAT:
        return Tier(start, end, draw(positive_money if flat else money), price_format)
    has_flat = flat or draw(st.booleans())
    amount = draw(positive_money if flat else money) if has_flat else 0
    return Tier(start, end, draw(money), price_format, Decimal(amount))


@st.composite
def tier_lists(draw, open_last: bool = True, first_flat: bool = False) -> tuple[Tier, ...]:
    """Contiguous tiers from 0, as the price services accept them, some flat; with
    ``first_flat``, the first tier has a flat amount above 0."""
    widths = draw(st.lists(st.integers(1, 500), min_size=0 if open_last else 1, max_size=5))
    ends = [*widths, None] if open_last else widths
    tiers = []
    start = Decimal(0)
    for width in ends:
        end = None if width is None else start + width
        tiers.append(tier(draw, start, end, flat=first_flat and not tiers))
        start = end
    return tuple(tiers)


# --- Valid prices of any charge model --------------------------------------------------------


def _interval(draw, model, unit: DurationUnit, duration: int | None, first_flat: bool):
    """An interval holding values for exactly the fields ``model`` reads, valid for it."""
    uses = model.uses
    tiers = ()
    if model.uses_tiers:
        # With overage, the last tier ends where overage begins; otherwise either is fine.
        open_last = not uses("interval.overage_price") and draw(st.booleans())
        tiers = draw(tier_lists(open_last=open_last, first_flat=first_flat))
    return Interval(
        unit,
        duration,
        price=draw(money) if uses("interval.price") else Decimal(0),
        included_units=draw(quantities) if uses("interval.included_units") else Decimal(0),
        overage_price=draw(positive_money) if uses("interval.overage_price") else Decimal(0),
        tiers=tiers,
        package_size=draw(package_sizes) if uses("interval.package_size") else None,
    )


@st.composite
def price_books(
    draw,
    model_name: str,
    *,
    regular: bool | None = None,
    limits: bool | None = None,
    currency: str | None = None,
) -> PriceBook:
    """A price of one charge model, valid by construction (``price_problems`` finds nothing).

    ``regular``: one Infinity interval (True), 1 to 4 Day/Month intervals the last maybe
    Infinity (False), or either (None). ``limits``: a minimum and/or maximum per period
    (True), none (False), or either (None); only models that read them get them.
    """
    model = charge_model(model_name)
    if regular is None:
        regular = draw(st.booleans())
    flat_at_zero = model.uses("price.flat_at_zero") and draw(st.booleans())
    shapes: list[tuple[DurationUnit, int | None]] = []
    count = 1 if regular else draw(st.integers(1, 4))
    for index in range(count):
        last = index == count - 1
        if regular:
            unit = DurationUnit.INFINITY
        else:
            units = [DurationUnit.DAY, DurationUnit.MONTH]
            unit = draw(st.sampled_from([*units, DurationUnit.INFINITY] if last else units))
        duration = {
            DurationUnit.DAY: lambda: draw(st.integers(1, 400)),
            DurationUnit.MONTH: lambda: draw(st.integers(1, 14)),
            DurationUnit.INFINITY: lambda: None,
        }[unit]()
        shapes.append((unit, duration))
    intervals = tuple(_interval(draw, model, unit, days, flat_at_zero) for unit, days in shapes)
    weekdays = frozenset()
    if model.uses("price.delivery_weekdays"):
        weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    low = high = None
    if model.uses("price.minimum_amount") and limits is not False:
        which = ["minimum", "maximum", "both"] + ([] if limits else ["neither"])
        which = draw(st.sampled_from(which))
        if which in ("minimum", "both"):
            low = draw(money)
        if which in ("maximum", "both"):
            high = draw(money)
        if low is not None and high is not None and low > high:
            low, high = high, low
    return PriceBook(
        model.name,
        intervals,
        currency or draw(currencies),
        weekdays,
        minimum_amount=low,
        maximum_amount=high,
        flat_at_zero=flat_at_zero,
    )


def spec_of(book: PriceBook) -> PriceSpec:
    """The spec a writer would receive for ``book`` (to check it with ``price_problems``)."""
    intervals = tuple(
        IntervalSpec(
            duration_unit=str(interval.duration_unit),
            duration=interval.duration,
            tiers=tuple(TierSpec(**values(tier, TIER)) for tier in interval.tiers),
            **values(interval, INTERVAL),
        )
        for interval in book.intervals
    )
    regular = len(intervals) == 1 and intervals[0].duration_unit == "infinity"
    options = values(book, PRICE)
    options["delivery_weekdays"] = tuple(sorted(options["delivery_weekdays"]))
    return PriceSpec(
        book.charge_model,
        intervals,
        pricing_type=REGULAR if regular else INTERVAL_PRICING,
        **options,
    )
