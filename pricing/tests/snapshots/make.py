#!/usr/bin/env python
"""Freeze what ``quote_process`` stores: writes ``v<N>.json`` here, N the snapshot version
the code writes (``pricing.pricebook.snapshot.VERSION``).

Each version's file is written once, by the code of that version, and kept: ``v2.json`` at
commit 160d6c8, ``v3.json`` after it. ``v1.json`` came from ``make_v1.py``, which ran on the
code before ``pricing.pricebook`` (commit adb8968) and was retired with it (``git show
b35504f``). The catalog and quotes: every charge model and option (package, flat amount + unit
price tiers, minimum and maximum per period, flat at zero) × item kinds × billing periods ×
currencies, percent-of-total and minimum-commit offerings (a commitment whose application
list also names a usage item of another offering), with each line's item id. Since migration
0007 a percent-of-total or minimum-commit offering holds its one item only: the items it
applies to are sold from a companion subscription offering, "<name> (sold apart)" (``v3.json``
was written before, with them in the same offering).

Run from the project root (not collected by pytest), optionally naming another output file:

    DJANGO_SETTINGS_MODULE=catalog_site.settings .venv/bin/python pricing/tests/snapshots/make.py

It builds, on a throwaway in-memory SQLite test database, a catalog through the real
services, processes quotes with ``quote_process``, writes every processed line's snapshot
and amount as read back from the database, and checks each against ``quote_recompute``.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUTPUT = None  # set in main(): v<VERSION>.json

ON = date(2026, 1, 1)  # the processing date (offerings are available from 2020 on)
CURRENCY_FACTOR = {"USD": Decimal(1), "JPY": Decimal("113.7"), "KWD": Decimal("0.3071")}
# Each interval of an interval price is priced differently, so the amounts tell them apart.
INTERVAL_FACTOR = (Decimal(1), Decimal("0.75"), Decimal("1.2"))
SIX_PLACES = Decimal("0.000001")

# Interval shapes: (pricing type, [(duration unit, duration)]).
SHAPES = {
    "R": ("regular", [("infinity", None)]),
    "D": ("interval", [("day", 45), ("infinity", None)]),
    "M": ("interval", [("month", 2), ("month", 3), ("infinity", None)]),
    "F": ("interval", [("month", 1), ("day", 40)]),  # finite last interval
}
# The items of each charge model's offering: (suffix, item kind, shape).
CM_ITEMS = (
    ("S-R", "subscription", "R"),
    ("S-D", "subscription", "D"),
    ("S-M", "subscription", "M"),
    ("S-F", "subscription", "F"),
    ("O-R", "one_time", "R"),
    ("O-D", "one_time", "D"),
    ("O-F", "one_time", "F"),
    ("U-R", "usage", "R"),
    ("U-M", "usage", "M"),
)
CHARGE_MODELS = (
    "flat_fee",
    "per_unit",
    "volume",
    "tiered",
    "overage",
    "tiered_with_overage",
    "delivery",
    "package",
    "flat_unit_tiered",
    "flat_unit_volume",
    "limited_per_unit",
    "limited_tiered",
)
# The charge model each name above prices with (the last four are options of a model).
MODEL = {
    "flat_unit_tiered": "tiered",
    "flat_unit_volume": "volume",
    "limited_per_unit": "per_unit",
    "limited_tiered": "tiered",
}
QUANTITIES = {
    "flat_fee": ("0", "1", "2.5"),
    "per_unit": ("0", "1", "7.125", "0.3333"),
    "volume": ("0", "2.5", "5", "10", "17.25", "50", "150"),
    "tiered": ("0", "2.5", "5", "10", "17.25", "50", "150"),
    "overage": ("0", "2.5", "10", "11", "23.75", "100"),
    "tiered_with_overage": ("0", "7", "10", "25", "42.5", "250"),
    "delivery": ("0", "1", "3.5"),
    "package": ("0", "1", "10", "10.5", "25", "1001"),
    "flat_unit_tiered": ("0", "2.5", "10", "17.25", "150"),
    "flat_unit_volume": ("0", "2.5", "10", "17.25", "150"),
    "limited_per_unit": ("0", "1", "3", "40"),
    "limited_tiered": ("0", "2.5", "17.25", "150"),
}
FLAT_UNIT_TIERS = ((0, 10, "2", "9.5"), (10, 50, "30", "4"), (50, None, "50", "1.25"))
# Tiers: (start, end or None, format, price). An open last tier and a finite one.
OPEN_TIERS = ((0, 10, "per_unit", "9.5"), (10, 50, "flat", "400"), (50, None, "per_unit", "6.25"))
FINITE_TIERS = ((0, 5, "flat", "20"), (5, 20, "per_unit", "3.333"), (20, 100, "per_unit", "2.1"))
OVERAGE_TIERS = ((0, 10, "per_unit", "5"), (10, 25, "flat", "60"))

# Rates every offering has: (currency, billing frequency).
RATES = (
    ("USD", "monthly"),
    ("USD", "quarterly"),
    ("USD", "yearly"),
    ("JPY", "monthly"),
    ("KWD", "quarterly"),
)
# Quotes: (currency, frequency or "mixed", start date, periods, commit offering, usage level).
QUOTES = (
    ("USD", "monthly", date(2026, 1, 31), 12, "Commit flat", "low"),
    ("USD", "quarterly", date(2028, 2, 29), 4, "Commit interval", "high"),
    ("USD", "yearly", date(2026, 1, 31), 3, "Commit flat", "high"),
    ("JPY", "monthly", date(2028, 2, 29), 7, "Commit interval", "low"),
    ("KWD", "quarterly", date(2027, 8, 31), 5, "Commit flat", "mid"),
    ("USD", "mixed", date(2028, 2, 29), 2, "Commit interval", "mid"),
    ("USD", "monthly", date(2027, 5, 31), 1, "Commit flat", "high"),
)
USAGE = {"low": "1", "mid": "40", "high": "800"}


def money(value, currency: str, factor: Decimal = Decimal(1)) -> Decimal:
    return (Decimal(value) * CURRENCY_FACTOR[currency] * factor).quantize(SIX_PLACES)


def interval_specs(charge_model: str, shape: str, currency: str, variant: int):
    """The IntervalSpecs of one price; ``variant`` picks open or finite tiers and weekdays."""
    from pricing.pricebook import IntervalSpec, TierSpec

    pricing_type, steps = SHAPES[shape]
    specs = []
    for index, (unit, duration) in enumerate(steps):
        factor = INTERVAL_FACTOR[index]
        fields = {}
        if charge_model == "flat_fee":
            fields["price"] = money("49.99", currency, factor)
        elif charge_model == "per_unit":
            fields["price"] = money("12.345", currency, factor)
        elif charge_model in ("volume", "tiered", "tiered_with_overage"):
            if charge_model == "tiered_with_overage":
                tiers = OVERAGE_TIERS if variant % 2 == 0 else FINITE_TIERS
                fields["overage_price"] = money("1.75", currency, factor)
            else:
                tiers = OPEN_TIERS if variant % 2 == 0 else FINITE_TIERS
            fields["tiers"] = tuple(
                TierSpec(
                    start_unit=Decimal(start),
                    end_unit=None if end is None else Decimal(end),
                    price=money(price, currency, factor),
                    price_format=fmt,
                )
                for start, end, fmt, price in tiers
            )
        elif charge_model == "overage":
            # The price is not used by the overage model today; one variant sets it anyway.
            fields["price"] = money("15", currency, factor) if variant % 2 else Decimal(0)
            fields["included_units"] = Decimal("10") if variant % 2 == 0 else Decimal("2.5")
            fields["overage_price"] = money("2.75", currency, factor)
        elif charge_model == "delivery":
            fields["price"] = money("7.5", currency, factor)
        elif charge_model == "package":
            fields["price"] = money("40", currency, factor)
            fields["package_size"] = Decimal(10) if variant % 2 == 0 else Decimal("2.5")
            fields["included_units"] = Decimal(0) if variant % 3 else Decimal(5)
        elif charge_model in ("flat_unit_tiered", "flat_unit_volume", "limited_tiered"):
            fields["tiers"] = tuple(
                TierSpec(
                    start_unit=Decimal(start),
                    end_unit=None if end is None else Decimal(end),
                    price=money(price, currency, factor),
                    flat_amount=money(flat, currency, factor),
                )
                for start, end, flat, price in FLAT_UNIT_TIERS
            )
        elif charge_model == "limited_per_unit":
            fields["price"] = money("12.345", currency, factor)
        specs.append(IntervalSpec(duration_unit=unit, duration=duration, **fields))
    return pricing_type, specs


def weekdays_for(charge_model: str, variant: int) -> list[int]:
    if charge_model != "delivery":
        return []
    return [0, 2, 4] if variant % 2 == 0 else [5, 6]


def options_for(charge_model: str, currency: str, variant: int) -> dict:
    """The price-level options of the version 2 charge models."""
    options = {"delivery_weekdays": weekdays_for(charge_model, variant)}
    if charge_model == "limited_per_unit":
        options["minimum_amount"] = money("20", currency)
        options["maximum_amount"] = money("300", currency) if variant % 2 else None
    elif charge_model == "limited_tiered":
        options["maximum_amount"] = money("250", currency)
        options["minimum_amount"] = money("15", currency) if variant % 2 else None
    elif charge_model in ("flat_unit_tiered", "flat_unit_volume"):
        options["flat_at_zero"] = variant % 2 == 1
    return options


class World:
    """What the script builds, by name."""

    def __init__(self):
        self.offerings = {}  # name → Offering
        self.items = {}  # mpn → Item
        self.rates = {}  # (offering name, currency, frequency) → Rate
        self.offering_items = {}  # offering name → [mpn, ...] in order
        self.home = {}  # mpn → the name of the offering that sells it


def build_catalog(world: World) -> None:
    from catalog import services as catalog_services
    from catalog.tests.factories import VendorFactory
    from pricing import rates, services

    vendor = VendorFactory(name="Snapshot Vendor", slug="snapshot-vendor")
    world.vendor = vendor
    product = catalog_services.product_create(vendor=vendor, name="Snapshot product")

    def item(mpn, kind):
        world.items[mpn] = catalog_services.item_create(
            product=product, mpn=mpn, name=mpn, kind=kind
        )
        return world.items[mpn]

    # prices[offering name] = [(mpn, charge model, shape, variant)]
    prices = {}

    def offering(name, type_, lines):
        """lines: (mpn, kind, charge model, shape, variant, scope mpns). A percent or commit
        offering keeps its one item; the others go to a companion subscription offering."""
        if type_ in ("percent_of_total", "minimum_commit"):
            apart = [line for line in lines if line[1] != type_]
            lines = [line for line in lines if line[1] == type_]
            if apart and not any(line[1] == "subscription" for line in apart):
                apart.insert(0, (f"{lines[0][0]}-BASE", "subscription", "flat_fee", "R", 0, ()))
            if apart:
                offering(f"{name} (sold apart)", "subscription", apart)
        for mpn, kind, *_ in lines:
            item(mpn, kind)
            world.home[mpn] = name
        world.offerings[name] = services.offering_create(
            vendor=vendor, name=name, type=type_, start_date=date(2020, 1, 1)
        )
        services.offering_set_items(
            offering=world.offerings[name],
            lines=[
                services.OfferingLine(
                    item=world.items[mpn],
                    applies_to=tuple(world.items[target] for target in scope),
                )
                for mpn, _kind, _cm, _shape, _variant, scope in lines
            ],
        )
        world.offering_items[name] = [line[0] for line in lines]
        prices[name] = [(mpn, cm, shape, variant) for mpn, _k, cm, shape, variant, _s in lines]

    for cm in CHARGE_MODELS:
        offering(
            cm,
            "subscription",
            [
                (f"{cm.upper()}-{suffix}", kind, cm, shape, number, ())
                for number, (suffix, kind, shape) in enumerate(CM_ITEMS)
            ],
        )
    offering(
        "One-time bundle",
        "one_time",
        [
            ("OT-FEE", "one_time", "flat_fee", "R", 0, ()),
            ("OT-SEATS", "subscription", "per_unit", "D", 0, ()),
        ],
    )
    offering(
        "Percent flat",
        "percent_of_total",
        [
            ("PA-SEATS", "subscription", "per_unit", "R", 0, ()),
            ("PA-TIERS", "subscription", "tiered", "M", 1, ()),
            ("PA-OUT", "subscription", "flat_fee", "R", 0, ()),  # not in the scope
            ("PA-PCT", "percent_of_total", "flat_fee", "R", 0, ("PA-SEATS", "PA-TIERS")),
        ],
    )
    offering(
        "Percent interval",
        "percent_of_total",
        [
            ("PB-SEATS", "subscription", "per_unit", "D", 0, ()),
            ("PB-VOLUME", "subscription", "volume", "R", 0, ()),
            # percent with interval pricing: 10 for one month, then 20
            ("PB-PCT", "percent_of_total", "per_unit", "PCT", 0, ("PB-SEATS", "PB-VOLUME")),
        ],
    )
    offering(
        "Percent no scope",
        "percent_of_total",
        [
            ("PC-PCT", "percent_of_total", "flat_fee", "PCT0", 0, ()),
            ("PC-SEATS", "subscription", "per_unit", "R", 0, ()),
        ],
    )
    offering(
        "Commit flat",
        "minimum_commit",
        [
            (
                "CA-COMMIT",
                "minimum_commit",
                "flat_fee",
                "COMMIT",
                0,
                ("CA-USE", "CA-TIERS", "PER_UNIT-U-R"),  # and a usage item of another offering
            ),
            ("CA-USE", "usage", "per_unit", "R", 0, ()),
            ("CA-TIERS", "usage", "tiered", "R", 0, ()),
            ("CA-OUT", "usage", "overage", "R", 0, ()),  # not in the scope
        ],
    )
    offering(
        "Commit interval",
        "minimum_commit",
        [
            ("CB-COMMIT", "minimum_commit", "per_unit", "COMMIT-I", 0, ("CB-VOL", "CB-TWO")),
            ("CB-VOL", "usage", "volume", "D", 1, ()),
            ("CB-TWO", "usage", "tiered_with_overage", "R", 0, ()),
            ("CB-OUT", "usage", "delivery", "R", 0, ()),  # not in the scope
        ],
    )

    from pricing.pricebook import IntervalSpec

    def special(shape, currency):
        """Percent and commitment prices: (pricing type, intervals)."""
        if shape == "PCT":  # a percent: 10 for one month, then 20
            return "interval", [
                IntervalSpec(duration_unit="month", duration=1, price=Decimal(10)),
                IntervalSpec(price=Decimal(20)),
            ]
        if shape == "PCT0":
            return "regular", [IntervalSpec(price=Decimal("12.5"))]
        if shape == "COMMIT":
            return "regular", [IntervalSpec(price=money("500", currency))]
        if shape == "COMMIT-I":
            return "interval", [
                IntervalSpec(duration_unit="month", duration=3, price=money("100", currency)),
                IntervalSpec(price=money("250", currency)),
            ]
        raise AssertionError(shape)

    for name, priced in prices.items():
        for currency, frequency in RATES:
            rate = rates.rate_create(
                offering=world.offerings[name],
                name=f"{currency} {frequency}",
                currency=currency,
                billing_frequency=frequency,
            )
            world.rates[name, currency, frequency] = rate
            for mpn, cm, shape, variant in priced:
                if shape in SHAPES:
                    pricing_type, intervals = interval_specs(cm, shape, currency, variant)
                else:
                    pricing_type, intervals = special(shape, currency)
                rates.price_book_item_save(
                    rate=rate,
                    item=world.items[mpn],
                    charge_model=MODEL.get(cm, cm),
                    pricing_type=pricing_type,
                    intervals=intervals,
                    **options_for(cm, currency, variant),
                )
    for rate in world.rates.values():
        rates.rate_activate(rate=rate)


def quote_lines(world: World, number: int, currency: str, frequency: str, commit: str, usage):
    """The (offering, mpn, quantity, frequency) of one quote's lines, in order."""
    frequencies = ("monthly", "quarterly", "yearly")

    def freq(index):
        return frequencies[index % 3] if frequency == "mixed" else frequency

    lines = []
    for cm in CHARGE_MODELS:
        quantities = QUANTITIES[cm]
        for index, mpn in enumerate(world.offering_items[cm]):
            quantity = quantities[(number + index) % len(quantities)]
            lines.append((cm, mpn, quantity, freq(number + index)))
    lines += [
        ("One-time bundle", "OT-FEE", "1", freq(number)),
        ("One-time bundle", "OT-SEATS", ("3", "0.5", "12")[number % 3], freq(number + 1)),
        ("Percent flat", "PA-SEATS", ("5", "2.25", "0")[number % 3], freq(number)),
        ("Percent flat", "PA-TIERS", ("17.25", "3", "150")[number % 3], freq(number + 1)),
        ("Percent flat", "PA-SEATS", "1", freq(number + 2)),  # the same item on a second line
        ("Percent flat", "PA-OUT", "1", freq(number)),
        ("Percent flat", "PA-PCT", "1", freq(number)),
        ("Percent interval", "PB-SEATS", ("4", "1.5", "10")[number % 3], freq(number)),
        ("Percent interval", "PB-VOLUME", ("12", "60", "0.75")[number % 3], freq(number + 1)),
        ("Percent interval", "PB-PCT", "2", freq(number)),
        ("Percent no scope", "PC-SEATS", "3", freq(number)),
        ("Percent no scope", "PC-PCT", "1", freq(number)),
    ]
    level = USAGE[usage]
    prefix = "CA" if commit == "Commit flat" else "CB"
    commit_quantity = "1" if prefix == "CA" else "2"
    scoped = ("USE", "TIERS") if prefix == "CA" else ("VOL", "TWO")
    lines += [
        (commit, f"{prefix}-COMMIT", commit_quantity, freq(number)),
        (commit, f"{prefix}-{scoped[0]}", level, freq(number)),
        (commit, f"{prefix}-{scoped[1]}", level, freq(number + 1)),
        (commit, f"{prefix}-OUT", "15", freq(number)),  # not in the scope: not counted
    ]
    return lines


def process_quotes(world: World) -> list[int]:
    from pricing import quote_lines, selling

    quote_ids = []
    for number, (currency, frequency, start, periods, commit, usage) in enumerate(QUOTES):
        specs = [
            quote_lines.QuoteLineSpec(
                offering=world.offerings[world.home[mpn]],
                rate=world.rates[world.home[mpn], currency, line_frequency],
                item=world.items[mpn],
                quantity=Decimal(quantity),
            )
            for _named, mpn, quantity, line_frequency in quote_lines(
                world, number, currency, frequency, commit, usage
            )
        ]
        quote = selling.quote_create(
            vendor=world.vendor,
            customer=f"Snapshot customer {number + 1}",
            currency=currency,
            start_date=start,
            periods=periods,
            lines=specs,
        )
        selling.quote_process(quote=quote, on=ON)
        quote_ids.append(quote.pk)
    return quote_ids


def read_back(quote_ids: list[int]) -> list[dict]:
    """The processed quotes and lines, as the database holds them."""
    from pricing.models import OfferingItem, Quote

    quotes = []
    for quote in Quote.objects.filter(pk__in=quote_ids).order_by("pk"):
        assert quote.status == Quote.Status.PROCESSED, quote
        lines = []
        for number, line in enumerate(
            quote.lines.select_related("offering", "rate", "item").order_by("pk"), start=1
        ):
            offering_item = OfferingItem.objects.get(offering=line.offering, item=line.item)
            scope = sorted(s.item.mpn for s in offering_item.scopes.select_related("item"))
            lines.append(
                {
                    "line": number,
                    "offering": line.offering.name,
                    "offering_type": line.offering.type,
                    "item_mpn": line.item.mpn,
                    "item": line.item_id,
                    "item_kind": line.item.kind,
                    "rate_period_months": line.rate.period_months,
                    "quantity": str(line.quantity),
                    "scope": scope,
                    "price_snapshot": line.price_snapshot,
                    "amount": str(line.amount),
                }
            )
        quotes.append(
            {
                "start_date": quote.start_date.isoformat(),
                "periods": quote.periods,
                "currency": quote.currency,
                "lines": lines,
            }
        )
    return quotes


def check_against_database(quote_ids: list[int]) -> None:
    """Read the written file back; compare every line with the database and a recompute."""
    from pricing.models import Quote
    from pricing.selling import quote_recompute

    written = json.loads(OUTPUT.read_text())
    compared = same_snapshot = same_amount = same_recompute = 0
    for quote_id, quote in zip(quote_ids, written, strict=True):
        stored = Quote.objects.get(pk=quote_id)
        recomputed = quote_recompute(stored)
        db_lines = list(stored.lines.order_by("pk"))
        assert len(db_lines) == len(quote["lines"])
        for db_line, line in zip(db_lines, quote["lines"], strict=True):
            compared += 1
            same_snapshot += db_line.price_snapshot == line["price_snapshot"]
            same_amount += str(db_line.amount) == line["amount"]
            same_recompute += recomputed[db_line.pk] == Decimal(line["amount"])
    print(f"lines compared with the database: {compared}")
    print(f"  snapshot in file == QuoteLine.price_snapshot: {same_snapshot}")
    print(f"  amount in file   == str(QuoteLine.amount):    {same_amount}")
    print(f"  quote_recompute == amount:                    {same_recompute}")
    assert compared == same_snapshot == same_amount == same_recompute


def report(quotes: list[dict]) -> None:
    lines = [line for quote in quotes for line in quote["lines"]]
    print(f"quotes: {len(quotes)}, lines: {len(lines)}")
    for key, name in (
        (lambda entry: entry["price_snapshot"]["charge_model"], "charge model"),
        (lambda entry: entry["item_kind"], "item kind"),
        (lambda entry: entry["offering_type"], "offering type"),
        (lambda entry: entry["rate_period_months"], "rate period months"),
        (lambda entry: len(entry["price_snapshot"]["intervals"]), "intervals in the price"),
    ):
        counts = Counter(key(line) for line in lines)
        quotes_with = Counter(
            value for quote in quotes for value in {key(line) for line in quote["lines"]}
        )
        print(f"by {name}:")
        for value, count in sorted(counts.items(), key=lambda kv: str(kv[0])):
            print(f"  {value!s:22} {count:4d} lines in {quotes_with[value]} quotes")
    for quote in quotes:
        for line in quote["lines"]:
            if line["item_kind"] in ("percent_of_total", "minimum_commit"):
                print(
                    f"  {quote['currency']} {quote['start_date']} {line['item_mpn']:10} "
                    f"scope={line['scope']} amount={line['amount']}"
                )


def main() -> None:
    global OUTPUT
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog_site.settings")
    os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite test database
    import django

    django.setup()
    from pricing.pricebook.snapshot import VERSION

    OUTPUT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE / f"v{VERSION}.json"
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        world = World()
        build_catalog(world)
        quote_ids = process_quotes(world)
        quotes = read_back(quote_ids)
        OUTPUT.write_text(json.dumps(quotes, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {OUTPUT}")
        report(quotes)
        check_against_database(quote_ids)
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
