"""``manage.py catalog_export --vendor SLUG --book catalog|prices [--out FILE]``: a vendor's
catalog or prices as an XLSX workbook; ``--sheet TITLE`` writes one sheet as CSV instead
(named ``items.csv``, ``item_translations.csv`` by default: the name the import reads the
sheet's title from). A vendor, book or sheet that does not exist is an error (exit 1)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Vendor
from exchange.api import csv_name
from exchange.books import BOOKS, SHEETS
from exchange.export import file_name, sheet_csv, workbook


def vendor_by_slug(slug: str) -> Vendor:
    vendor = Vendor.objects.filter(slug=slug).first()
    if vendor is None:
        known = ", ".join(Vendor.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No vendor {slug!r}. The vendors are: {known or '(none)'}.")
    return vendor


class Command(BaseCommand):
    help = "Export a vendor's catalog or prices as an XLSX workbook, or one sheet as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--vendor", required=True, help="The vendor's slug.")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--book", help=f"The workbook: {' or '.join(BOOKS)}.")
        which.add_argument("--sheet", help="One sheet as CSV, by title (e.g. 'items').")
        parser.add_argument(
            "--out", help="The file to write (default: SLUG-BOOK.xlsx or SHEET.csv, here)."
        )

    def handle(self, *args, vendor, book, sheet, out, **options):
        vendor = vendor_by_slug(vendor)
        if book is not None:
            if book not in BOOKS:
                raise CommandError(f"No book {book!r}. The books are: {', '.join(BOOKS)}.")
            content, default = workbook(vendor, book), file_name(vendor, book)
        else:
            title = sheet.replace("_", " ").strip().lower()
            if title not in SHEETS:
                raise CommandError(f"No sheet {sheet!r}. The sheets are: {', '.join(SHEETS)}.")
            content, default = sheet_csv(vendor, title), csv_name(title)
        path = Path(out or default)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
