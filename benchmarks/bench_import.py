"""Spreadsheet import benchmark: 50,000 item rows in an XLSX workbook, imported (dry run,
then confirm) through ``exchange.importer.run_import``, against a plain ``bulk_create`` of
the same 50,000 rows (no checks, no history) in the same process.

    .venv/bin/python benchmarks/bench_import.py                 # SQLite (a file of its own)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/catalog_bench \\
        .venv/bin/python benchmarks/bench_import.py              # PostgreSQL

Options: ``--rows N`` (default 50000). It prints the times, the ratios to the baseline and
the peak memory the import added (tracemalloc), at 5,000 and 50,000 rows: constant memory
per row shows as the same peak per row at both sizes, or a falling one.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog_site.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/catalog_bench_import.sqlite3"


def ensure_database() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_clone import ensure_database as ensure

    ensure()


def workbook(rows: int) -> bytes:
    """An XLSX workbook with the items sheet only... plus every other catalog sheet, empty."""
    from openpyxl import Workbook

    from exchange.books import CATALOG

    book = Workbook(write_only=True)
    for sheet in CATALOG:
        ws = book.create_sheet(sheet.title)
        ws.append(sheet.headers())
        if sheet.title == "products":
            ws.append(["Bench product", "", "published", ""])
        if sheet.title == "items":
            for number in range(rows):
                ws.append(
                    [
                        "Bench product",
                        f"BENCH-{number:06d}",
                        f"Bench item {number}",
                        "",
                        "usage" if number % 3 == 0 else "subscription",
                        "monthly",
                        "none",
                        "GB" if number % 3 == 0 else "seat",
                        "published",
                        f"Item number {number} of the benchmark.",
                    ]
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def clear() -> None:
    from catalog.models import Item, Product, Vendor

    vendors = Vendor.objects.filter(slug__startswith="bench-")
    Item.history.filter(product_id__in=Product.objects.filter(vendor__in=vendors)).delete()
    Item.objects.filter(product__vendor__in=vendors).delete()
    Product.history.filter(vendor_id__in=vendors).delete()
    Product.objects.filter(vendor__in=vendors).delete()
    vendors.delete()


def baseline(rows: int) -> float:
    """The same rows with plain bulk_create: no reading, no checks, no history."""
    from django.db import transaction

    from catalog.models import Item, Product, Vendor

    vendor = Vendor.objects.create(name="Bench baseline", slug="bench-baseline")
    product = Product.objects.create(vendor=vendor, name="Bench product", status="published")
    started = time.perf_counter()
    with transaction.atomic():
        Item.objects.bulk_create(
            [
                Item(
                    product=product,
                    mpn=f"BENCH-{number:06d}",
                    name=f"Bench item {number}",
                    kind="usage" if number % 3 == 0 else "subscription",
                    billing_period="monthly",
                    unit="GB" if number % 3 == 0 else "seat",
                    status="published",
                    description=f"Item number {number} of the benchmark.",
                )
                for number in range(rows)
            ],
            batch_size=1000,
        )
    return time.perf_counter() - started


def timed_import(vendor, data: bytes, *, dry_run: bool) -> tuple[float, object]:
    from exchange.importer import run_import

    started = time.perf_counter()
    report = run_import(vendor=vendor, files=[("bench.xlsx", io.BytesIO(data))], dry_run=dry_run)
    return time.perf_counter() - started, report


def peak_memory(vendor, data: bytes) -> int:
    """The most memory a dry run holds at once (tracemalloc slows it: timed apart)."""
    from exchange.importer import run_import

    tracemalloc.start()
    run_import(vendor=vendor, files=[("bench.xlsx", io.BytesIO(data))], dry_run=True)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def measure(rows: int, with_memory: bool) -> dict:
    from catalog.models import Item, Vendor

    clear()
    data = workbook(rows)
    base = baseline(rows)
    vendor = Vendor.objects.create(name=f"Bench {rows}", slug=f"bench-{rows}")
    dry, report = timed_import(vendor, data, dry_run=True)
    assert report.ok and report.counts["created"] == rows + 1, report.counts
    assert not Item.objects.filter(product__vendor=vendor).exists()
    peak = peak_memory(vendor, data) if with_memory else 0
    confirm, report = timed_import(vendor, data, dry_run=False)
    assert report.applied and Item.objects.filter(product__vendor=vendor).count() == rows
    again, report = timed_import(vendor, data, dry_run=True)
    assert report.counts["unchanged"] == rows + 1
    clear()
    return {
        "rows": rows,
        "file MB": len(data) / 1e6,
        "bulk_create s": base,
        "dry run s": dry,
        "confirm s": confirm,
        "unchanged re-run s": again,
        "confirm / bulk_create": confirm / base,
        "peak MB": peak / 1e6,
        "peak bytes per row": peak / rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    for rows in sorted({args.rows // 10, args.rows}):
        result = measure(rows, not args.no_memory)
        print(
            " | ".join(
                f"{name} {value:.2f}" if isinstance(value, float) else f"{name} {value}"
                for name, value in result.items()
            )
        )


if __name__ == "__main__":
    main()
