"""Clone benchmark: a big offering copied with ``offering_clone``, timed and its queries counted.

Run against PostgreSQL (it creates and migrates a database of its own, catalog_bench):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/catalog_bench \\
        .venv/bin/python benchmarks/bench_clone.py

Sizes: 50 items, 10 rates, 500 price book items, 10 intervals each, 3 tiers per interval
(the issue's bar: under 2 s, with the same query count at a tenth of the size). The
baseline, in the same process, copies the same rows with plain ``bulk_create`` (no history,
no checks): the least any deep copy could cost.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog_site.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/catalog_bench")


def ensure_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        return
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def build(vendor, product, *, items: int, rates: int, intervals: int, tiers: int):
    """A source offering of the given size, inserted in bulk (setup, not measured)."""
    from catalog.models import Item
    from pricing.models import (
        Offering,
        OfferingItem,
        PriceBookItem,
        PriceInterval,
        PriceTier,
        Rate,
    )

    offering = Offering.objects.create(
        vendor=vendor, name=f"Bench {items}x{rates}", start_date=date(2026, 1, 1)
    )
    skus = Item.objects.bulk_create(
        Item(
            product=product,
            mpn=f"B-{offering.pk}-{i}",
            name=f"Bench item {i}",
            kind="subscription",
            billing_period="monthly",
        )
        for i in range(items)
    )
    OfferingItem.objects.bulk_create(OfferingItem(offering=offering, item=s) for s in skus)
    rate_rows = Rate.objects.bulk_create(
        Rate(offering=offering, name=f"Rate {r}", currency="USD") for r in range(rates)
    )
    pbis = PriceBookItem.objects.bulk_create(
        PriceBookItem(rate=rate, item=sku, charge_model="tiered", pricing_type="interval")
        for rate in rate_rows
        for sku in skus
    )
    interval_rows = PriceInterval.objects.bulk_create(
        PriceInterval(
            price_book_item=pbi,
            sequence=n + 1,
            duration_unit="infinity" if n == intervals - 1 else "month",
            duration=None if n == intervals - 1 else 3,
            price=Decimal(0),
        )
        for pbi in pbis
        for n in range(intervals)
    )
    PriceTier.objects.bulk_create(
        PriceTier(
            interval=interval,
            start_unit=Decimal(t * 10),
            end_unit=None if t == tiers - 1 else Decimal(t * 10 + 10),
            price=Decimal("1.00") - Decimal(t) / 10,
        )
        for interval in interval_rows
        for t in range(tiers)
    )
    return offering


def baseline_copy(offering) -> None:
    """The same deep copy with plain bulk_create: no history, no validation, no lock."""
    from pricing.models import Offering, OfferingItem, PriceBookItem, PriceInterval, PriceTier, Rate

    copy = Offering.objects.create(
        vendor_id=offering.vendor_id,
        name="baseline",
        type=offering.type,
        start_date=offering.start_date,
    )
    OfferingItem.objects.bulk_create(
        OfferingItem(offering=copy, item_id=line.item_id) for line in offering.offering_items.all()
    )
    rates = list(offering.rates.all())
    new_rates = Rate.objects.bulk_create(
        Rate(offering=copy, name=r.name, currency=r.currency) for r in rates
    )
    rate_map = {old.pk: new for old, new in zip(rates, new_rates, strict=True)}
    pbis = list(PriceBookItem.objects.filter(rate__offering=offering).order_by("pk"))
    new_pbis = PriceBookItem.objects.bulk_create(
        PriceBookItem(
            rate=rate_map[p.rate_id],
            item_id=p.item_id,
            charge_model=p.charge_model,
            pricing_type=p.pricing_type,
        )
        for p in pbis
    )
    pbi_map = {old.pk: new for old, new in zip(pbis, new_pbis, strict=True)}
    intervals = list(
        PriceInterval.objects.filter(price_book_item__rate__offering=offering).order_by("pk")
    )
    new_intervals = PriceInterval.objects.bulk_create(
        PriceInterval(
            price_book_item=pbi_map[i.price_book_item_id],
            sequence=i.sequence,
            duration_unit=i.duration_unit,
            duration=i.duration,
            price=i.price,
        )
        for i in intervals
    )
    interval_map = {old.pk: new for old, new in zip(intervals, new_intervals, strict=True)}
    PriceTier.objects.bulk_create(
        PriceTier(
            interval=interval_map[t.interval_id],
            start_unit=t.start_unit,
            end_unit=t.end_unit,
            price=t.price,
        )
        for t in PriceTier.objects.filter(
            interval__price_book_item__rate__offering=offering
        ).order_by("pk")
    )


def measure(func, repeats: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return min(times), statistics.median(times), queries


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from catalog.models import Product, Vendor
    from pricing.clone import offering_clone

    vendor, _ = Vendor.objects.get_or_create(slug="bench", defaults={"name": "Bench vendor"})
    product = Product.objects.create(vendor=vendor, name=f"Bench product {time.time_ns()}")
    full = build(vendor, product, items=50, rates=10, intervals=10, tiers=3)
    tenth = build(vendor, product, items=5, rates=10, intervals=10, tiers=3)

    version = getattr(connection, "pg_version", "")
    print(f"database: {connection.vendor} {version}")
    print("size                                 best s  median s  queries")
    for label, offering in (
        ("full (500 PBIs, 5000 int, 15000 tiers)", full),
        ("tenth (50 PBIs, 500 int, 1500 tiers)", tenth),
    ):
        best, median, queries = measure(lambda o=offering: offering_clone(offering=o), 3)
        base_best, base_median, base_queries = measure(lambda o=offering: baseline_copy(o), 3)
        print(f"{label:<37} {best:6.3f}  {median:8.3f}  {queries:7d}   clone")
        print(
            f"{'':<37} {base_best:6.3f}  {base_median:8.3f}  {base_queries:7d}   baseline "
            f"(bulk_create, no history); clone/baseline = {best / base_best:.2f}"
        )


if __name__ == "__main__":
    main()
