"""Throughput of the pricing engine (``pricing.pricebook``), measured in one process against
bare Decimal code and against the engine it replaced (``pricing/engine.py`` as of commit
adb8968, read from git and loaded as a module: the "before", in the same process).

Run from the project root: ``.venv/bin/python benchmarks/bench_engine.py``. Not a pytest
module (pytest.ini collects catalog and pricing only). Each figure is the best of several
repeats, timed with time.perf_counter, so noise from other processes only ever lowers it;
the two sides of every ratio are timed in alternation, so a burst of load hits both.

Three parts:

1. every charge model's period_amount and three schedules against a bare loop of
   ``Decimal * Decimal`` (the floor any Decimal pricing pays), and the 100,000/s tiered bar;
2. the new models and options (package with free units, volume and tiered with a flat amount
   and a unit price per tier, a per-period minimum and maximum, flat_at_zero) against a bare
   Decimal function doing the same arithmetic, written out below: bar engine/bare >= 0.5;
3. the registry against the old engine, model by model (period_amount and a schedule):
   bar new/old >= 0.9 (a noise allowance: the registry must not make today's models slower).

The exit status is 1 if any bar is missed.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
import types
from collections.abc import Callable
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pricing import pricebook as new
from pricing.pricebook import (
    REGISTRY,
    DurationUnit,
    Interval,
    PriceBook,
    PriceFormat,
    Tier,
    period_amount,
    round_money,
    schedule,
)

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "adb8968:pricing/engine.py"  # the engine before the registry, its last version


def load_baseline() -> types.ModuleType:
    """The old engine as a module, from git (the repository's history keeps it whole)."""
    source = subprocess.run(
        ["git", "show", BASELINE], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("baseline_engine")
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(source, f"git:{BASELINE}", "exec"), module.__dict__)
    return module


old = load_baseline()


REPEATS = 15
TIERED_BAR = 100_000  # tiered (5-tier) period_amount computations per second on one core
BARE_BAR = 0.5  # a new model or option: engine rate / bare Decimal rate
REGRESSION_BAR = 0.9  # an old model: new engine rate / old engine rate

D = Decimal
ZERO = D(0)
START = date(2025, 1, 31)
Q750 = D(750)
OLD_MODELS = (
    "flat_fee",
    "per_unit",
    "volume",
    "tiered",
    "overage",
    "tiered_with_overage",
    "delivery",
)


def open_tiers(engine):
    return (
        engine.Tier(D(0), D(10), D("1.00")),
        engine.Tier(D(10), D(50), D("0.80")),
        engine.Tier(D(50), D(100), D("0.65")),
        engine.Tier(D(100), D(500), D("0.50")),
        engine.Tier(D(500), None, D("0.40")),
    )


def closed_tiers(engine):
    return (
        engine.Tier(D(0), D(10), D("25.00"), engine.PriceFormat.FLAT),
        engine.Tier(D(10), D(50), D("0.80")),
        engine.Tier(D(50), D(100), D("0.65")),
        engine.Tier(D(100), D(500), D("0.50")),
        engine.Tier(D(500), D(1000), D("0.40")),
    )


def interval(engine, with_overage: bool = False):
    """The interval of the old benchmark, built by either engine (same fields, same values)."""
    infinity = engine.DurationUnit.INFINITY
    if with_overage:
        return engine.Interval(infinity, overage_price=D("0.35"), tiers=closed_tiers(engine))
    return engine.Interval(
        infinity,
        price=D("4.75"),
        included_units=D(100),
        overage_price=D("0.35"),
        tiers=open_tiers(engine),
    )


# Quantities that reach the last tier, so every tier is visited: the slow case.
QUANTITY = {name: D(750) for name in OLD_MODELS} | {
    "tiered_with_overage": D(1250),
    "delivery": D(1),
}


def best_pair(first: Callable[[int], object], n1: int, second: Callable[[int], object], n2: int):
    """Best operations per second of ``first`` and ``second``, timed in alternation (the
    order swapped every repeat, so neither always runs on a warmer cache)."""
    best1, best2 = float("inf"), float("inf")
    for repeat in range(REPEATS):
        for which in (0, 1) if repeat % 2 == 0 else (1, 0):
            began = time.perf_counter()
            (first if which == 0 else second)(n1 if which == 0 else n2)
            elapsed = time.perf_counter() - began
            if which == 0:
                best1 = min(best1, elapsed)
            else:
                best2 = min(best2, elapsed)
    return n1 / best1, n2 / best2


def multiply(number: int) -> None:
    """A bare loop of Decimal multiplications: the floor any Decimal pricing pays."""
    quantity, price = D(750), D("0.80")
    for _ in range(number):
        quantity * price


def amount_loop(function, model, interval_, quantity, **options):
    def run(number: int) -> None:
        for _ in range(number):
            function(model, interval_, quantity, **options)

    return run


def schedule_loop(function, book, quantity=Q750, periods=36):
    def run(number: int) -> None:
        for _ in range(number):
            function(book, quantity=quantity, start=START, periods=periods)

    return run


MIX = (ZERO, D(7), D(50), D(750))  # a usage price's periods: some with no usage at all


def mix_loop(function, *args, **options):
    """``function(*args, quantity, **options)`` over the quantities of MIX, number times."""

    def run(number: int) -> None:
        for index in range(number):
            function(*args, MIX[index & 3], **options)

    return run


def call_loop(function, *args):
    def run(number: int) -> None:
        for _ in range(number):
            function(*args)

    return run


def rounding(number: int) -> None:
    amount = D("1234.56789")
    for _ in range(number):
        round_money(amount, "USD")


def hundred_intervals(engine, model, weekdays: frozenset[int] = frozenset()):
    """99 Day(11) intervals (about three years, so most periods are split) then Infinity."""
    unit = engine.DurationUnit
    days = [
        engine.Interval(unit.DAY, 11, price=D("4.75") + index, tiers=open_tiers(engine))
        for index in range(99)
    ]
    last = engine.Interval(unit.INFINITY, price=D("9.50"), tiers=open_tiers(engine))
    return engine.PriceBook(model, (*days, last), "USD", weekdays)


def term_book(engine, model):
    """A schedule shape with proration: 45 trial days, 11 months, then the list price."""
    unit = engine.DurationUnit
    overage = model == "tiered_with_overage"
    tiers = closed_tiers(engine) if overage else open_tiers(engine)
    fields = {"price": D("4.75"), "included_units": D(100), "overage_price": D("0.35")}
    intervals = (
        engine.Interval(unit.DAY, 45, **fields, tiers=tiers),
        engine.Interval(unit.MONTH, 11, **fields, tiers=tiers),
        engine.Interval(unit.INFINITY, **{**fields, "price": D("5.25")}, tiers=tiers),
    )
    weekdays = frozenset({0, 3}) if model == "delivery" else frozenset()
    return engine.PriceBook(model, intervals, "USD", weekdays)


# --- Part 2: the new models and options, and the bare Decimal arithmetic they do -------------

PACKAGE = Interval(
    DurationUnit.INFINITY, price=D("12.00"), package_size=D(100), included_units=D(50)
)
# Five tiers with a flat amount and a unit price each (0 flat in the first, 0 unit in the last).
FLAT_UNIT_TIERS = (
    Tier(D(0), D(10), D("1.00")),
    Tier(D(10), D(50), D("0.80"), flat_amount=D("5.00")),
    Tier(D(50), D(100), D("0.65"), flat_amount=D("7.50")),
    Tier(D(100), D(500), D("0.50"), flat_amount=D("10.00")),
    Tier(D(500), None, D("0"), flat_amount=D("400.00")),
)
FLAT_UNIT = Interval(DurationUnit.INFINITY, tiers=FLAT_UNIT_TIERS)
# The same tiers as bare tuples (start, end, unit price, flat amount) for the bare functions.
BARE_BANDS = tuple((t.start_unit, t.end_unit, t.price, t.flat_amount) for t in FLAT_UNIT_TIERS)
FIRST_FLAT = (
    Tier(D(0), D(10), D("2.00"), flat_amount=D("25.00")),
    *FLAT_UNIT_TIERS[1:],
)
AT_ZERO = Interval(DurationUnit.INFINITY, tiers=FIRST_FLAT)
# Per unit with a per-period floor and ceiling: 6 months at 0.10 (75 < the minimum of 100,
# topped up), then 0.80 (600 > the maximum of 500, capped): a limit line every period.
LIMITED = PriceBook(
    "per_unit",
    (
        Interval(DurationUnit.MONTH, 6, price=D("0.10")),
        Interval(DurationUnit.INFINITY, price=D("0.80")),
    ),
    "USD",
    minimum_amount=D("100.00"),
    maximum_amount=D("500.00"),
)
CENT = D("0.01")


def bare_package(quantity: Decimal) -> Decimal:
    billable = quantity - D50
    if billable <= 0:
        return ZERO
    return (billable / D100).to_integral_value(rounding=ROUND_CEILING) * D12


D50, D100, D12 = D(50), D(100), D("12.00")


def bare_tiered(quantity: Decimal, bands=BARE_BANDS) -> Decimal:
    total = ZERO
    for start, end, unit, flat in bands:
        if quantity <= start:
            break
        if end is None or quantity <= end:
            return total + flat + (quantity - start) * unit
        total += flat + (end - start) * unit
    return total


def bare_volume(quantity: Decimal) -> Decimal:
    for _start, end, unit, flat in BARE_BANDS:
        if end is None or quantity <= end:
            return flat + quantity * unit
    return BARE_BANDS[-1][3] + quantity * BARE_BANDS[-1][2]


BARE_AT_ZERO = tuple((t.start_unit, t.end_unit, t.price, t.flat_amount) for t in FIRST_FLAT)


def bare_flat_at_zero(quantity: Decimal) -> Decimal:
    return BARE_AT_ZERO[0][3] if not quantity else bare_tiered(quantity, BARE_AT_ZERO)


def bare_limited(quantity: Decimal, start: date, periods: int):
    """The minimum/maximum schedule by hand: month ends from the start (day clamped to the
    month's length), the period's amount rounded, then the top-up or the cap, as tuples."""
    low, high = D("100.00"), D("500.00")
    prices = (D("0.10"),) * 6 + (D("0.80"),) * (periods - 6)
    lines = []
    total = ZERO
    year, month, day = start.year, start.month, start.day
    period_start = start
    for index in range(periods):
        month0 = month + index  # 1-based month of the period's end, minus one
        end_year, end_month = year + month0 // 12, month0 % 12 + 1
        last = 29 if end_month == 2 and end_year % 4 == 0 else MONTH_DAYS[end_month - 1]
        period_end = date(end_year, end_month, min(day, last))
        amount = (quantity * prices[index]).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append((index, period_start, period_end, amount))
        total += amount
        if amount < low:
            lines.append((index, period_start, period_end, low - amount))
            total += low - amount
        elif amount > high:
            lines.append((index, period_start, period_end, high - amount))
            total += high - amount
        period_start = period_end
    return tuple(lines), total


MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def check_bare() -> None:
    """The bare functions compute what the engine does, or their ratio means nothing."""
    for quantity in (D(0), D(7), D(50), D(51), D(150), D(750), D("1234.5")):
        assert bare_package(quantity) == period_amount("package", PACKAGE, quantity), quantity
        assert bare_tiered(quantity) == period_amount("tiered", FLAT_UNIT, quantity), quantity
        if quantity:
            assert bare_volume(quantity) == period_amount("volume", FLAT_UNIT, quantity)
        engine = period_amount("tiered", AT_ZERO, quantity, flat_at_zero=True)
        assert bare_flat_at_zero(quantity) == engine, quantity
    lines, total = bare_limited(D(750), START, 12)
    result = schedule(LIMITED, quantity=D(750), start=START, periods=12)
    assert total == result.total, (total, result.total)
    assert [line[3] for line in lines] == [line.amount for line in result.lines]


def main() -> int:
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(f"best of {REPEATS}, the two sides of every ratio timed in alternation\n")
    failures: list[str] = []

    # --- Part 1 -------------------------------------------------------------------------------
    print("1. pricing.pricebook against a bare loop of Decimal * Decimal (750 x 0.80)")
    print(f"{'':60} {'per second':>12} {'baseline/s':>12}   ratio")

    def report(label: str, rate: float, base: float, extra: str = "") -> None:
        print(f"{label:60} {rate:>12,.0f} {base:>12,.0f}   {rate / base:.5f}{extra}")

    report("round_money (USD)", *best_pair(rounding, 100_000, multiply, 400_000))
    rates = {}
    for name in (*OLD_MODELS, "package"):
        if name == "package":
            interval_, quantity = PACKAGE, D(750)
        else:
            interval_ = interval(new, with_overage=name == "tiered_with_overage")
            quantity = QUANTITY[name]
        run = amount_loop(period_amount, name, interval_, quantity, deliveries=4)
        rate, base = best_pair(run, 100_000, multiply, 400_000)
        rates[name] = rate
        report(f"period_amount {name}, 5 tiers", rate, base)
    for name, weekdays in (("tiered", frozenset()), ("delivery", frozenset({6}))):
        book = hundred_intervals(new, name, weekdays)
        lines = len(schedule(book, quantity=D(750), start=START, periods=36).lines)
        rate, base = best_pair(schedule_loop(schedule, book), 200, multiply, 400_000)
        report(f"schedule {name}, 100 intervals, 36 mo", rate, base, f"   ({lines} lines)")
    # The everyday case: a promotional year, then the list price, over a 3-year term.
    book = PriceBook(
        "tiered",
        (
            Interval(DurationUnit.MONTH, 12, tiers=open_tiers(new)),
            Interval(DurationUnit.INFINITY, tiers=closed_tiers(new)[:4] + open_tiers(new)[4:]),
        ),
        "USD",
    )
    rate, base = best_pair(schedule_loop(schedule, book), 2_000, multiply, 400_000)
    report("schedule tiered, 2 intervals, 36 mo", rate, base, "   (36 lines)")
    tiered = rates["tiered"]
    verdict = "pass" if tiered >= TIERED_BAR else "FAIL"
    print(f"tiered period_amount: {tiered:,.0f}/s; bar {TIERED_BAR:,}/s: {verdict}")
    if tiered < TIERED_BAR:
        failures.append("tiered period_amount under 100,000/s")

    # --- Part 2 -------------------------------------------------------------------------------
    check_bare()
    print(f"\n2. new models and options against bare Decimal code (bar: engine/bare >= {BARE_BAR})")
    print(f"{'':60} {'engine/s':>12} {'bare/s':>12}   ratio")
    q = D(750)
    cases = (
        (
            "package of 100 @ 12.00, 50 free, q=750",
            amount_loop(period_amount, "package", PACKAGE, q),
            call_loop(bare_package, q),
            100_000,
        ),
        (
            "tiered, flat + unit per tier (5), q=750",
            amount_loop(period_amount, "tiered", FLAT_UNIT, q),
            call_loop(bare_tiered, q),
            100_000,
        ),
        (
            "volume, flat + unit per tier (5), q=750",
            amount_loop(period_amount, "volume", FLAT_UNIT, q),
            call_loop(bare_volume, q),
            100_000,
        ),
        (
            "tiered, flat_at_zero, q in 0, 7, 50, 750",
            mix_loop(period_amount, "tiered", AT_ZERO, flat_at_zero=True),
            mix_loop(bare_flat_at_zero),
            200_000,
        ),
        (
            "schedule per unit, minimum + maximum, 12 mo",
            schedule_loop(schedule, LIMITED, q, periods=12),
            call_loop(bare_limited, q, START, 12),
            5_000,
        ),
    )
    for label, engine_run, bare_run, number in cases:
        rate, bare = best_pair(engine_run, number, bare_run, number)
        ratio = rate / bare
        verdict = "pass" if ratio >= BARE_BAR else "FAIL"
        print(f"{label:60} {rate:>12,.0f} {bare:>12,.0f}   {ratio:.3f}  {verdict}")
        if ratio < BARE_BAR:
            failures.append(f"{label}: {ratio:.3f} of bare Decimal")

    # --- Part 3 -------------------------------------------------------------------------------
    print(f"\n3. new engine against the old one, per model (bar: after/before >= {REGRESSION_BAR})")
    print(f"{'':60} {'after/s':>12} {'before/s':>12}   ratio")
    for name in OLD_MODELS:
        overage = name == "tiered_with_overage"
        quantity = QUANTITY[name]
        after_run = amount_loop(period_amount, name, interval(new, overage), quantity, deliveries=4)
        before_model = old.ChargeModel(name)
        before_run = amount_loop(
            old.period_amount, before_model, interval(old, overage), quantity, deliveries=4
        )
        book_after, book_before = term_book(new, name), term_book(old, before_model)
        after_lines = schedule(book_after, quantity=D(750), start=START, periods=36)
        before_lines = old.schedule(book_before, quantity=D(750), start=START, periods=36)
        assert after_lines.total == before_lines.total, name  # same prices, same amounts
        for label, after, before, number in (
            (f"period_amount {name}", after_run, before_run, 100_000),
            (
                f"schedule {name}, 3 intervals, 36 mo ({len(after_lines.lines)} lines)",
                schedule_loop(schedule, book_after),
                schedule_loop(old.schedule, book_before),
                1_000,
            ),
        ):
            rate, base = best_pair(after, number, before, number)
            ratio = rate / base
            verdict = "pass" if ratio >= REGRESSION_BAR else "FAIL"
            print(f"{label:60} {rate:>12,.0f} {base:>12,.0f}   {ratio:.3f}  {verdict}")
            if ratio < REGRESSION_BAR:
                failures.append(f"{label}: {ratio:.3f} of the old engine")

    print()
    if failures:
        print("FAILED bars:\n  " + "\n  ".join(failures))
        return 1
    print("every bar met")
    return 0


assert set(OLD_MODELS) < set(REGISTRY), "an old charge model is missing from the registry"
assert new.period_amount is period_amount and PriceFormat.FLAT == old.PriceFormat.FLAT

if __name__ == "__main__":
    sys.exit(main())
