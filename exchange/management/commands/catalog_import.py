"""``manage.py catalog_import --vendor SLUG FILE [FILE ...] [--confirm] [--user USERNAME]``.

Imports XLSX workbooks and CSV sheets (``items.csv``) into a vendor's catalog and prices
through ``exchange.importer.run_import``. A dry run by default: it prints what each sheet
would create, change (which fields) and refuse (why), and writes nothing; ``--confirm``
writes it, all or nothing, with ``--user`` (who must be allowed to import for the vendor,
``exchange.access.vendor_for``) and the files' names in the history. A file that cannot be
imported or any refused row is an error (exit 1) and nothing is written. While it runs, a
progress bar per sheet is drawn on stderr.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from exchange.access import vendor_for
from exchange.importer import run_import
from exchange.management.commands.catalog_export import vendor_by_slug
from exchange.outcomes import CHANGED, CREATED, REFUSED, RESULTS
from exchange.reader import FileProblem

BAR_WIDTH = 30


class ProgressBar:
    """A carriage-return bar per sheet on ``stream`` (the command's stderr):
    ``items  [#####-----] 2,500/5,000``."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, title: str, done: int, total: int | None) -> None:
        if total:
            filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            line = f"\r{title:<18} [{bar}] {done:,}/{total:,}"
        else:
            line = f"\r{title:<18} {done:,} rows"
        self.stream.write(line, style_func=str, ending="")
        if total is not None and done >= total:
            self.stream.write("")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import spreadsheets into a vendor's catalog and prices (a dry run unless --confirm)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="XLSX workbooks or CSV sheets (items.csv).")
        parser.add_argument("--vendor", required=True, help="The vendor's slug.")
        parser.add_argument(
            "--confirm", action="store_true", help="Write the import (else a dry run)."
        )
        parser.add_argument("--user", help="The user the history records (vendor staff or admin).")

    def handle(self, *args, files, vendor, confirm, user, **options):
        vendor = vendor_by_slug(vendor)
        by = self.user(user, vendor) if user else None
        paths = [Path(name) for name in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No file {path}.")
        progress = ProgressBar(self.stderr)
        with ExitStack() as stack:
            opened = [(path.name, stack.enter_context(path.open("rb"))) for path in paths]
            try:
                report = run_import(
                    vendor=vendor, files=opened, by=by, dry_run=not confirm, progress=progress
                )
            except FileProblem as problem:
                raise CommandError(f"{problem} Nothing was imported.") from problem
        self.print_report(report, verbosity=options["verbosity"])
        if not report.ok:
            raise CommandError(f"{report.refused:,} row(s) refused; nothing was imported.")
        if report.applied:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Dry run: nothing written. Run again with --confirm to apply.")

    def user(self, username: str, vendor):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            vendor_for(user, vendor.slug)
        except Http404:
            raise CommandError(
                f"User {username!r} may not import for vendor {vendor.slug!r}."
            ) from None
        return user

    def print_report(self, report, verbosity: int = 1) -> None:
        shown = {REFUSED, CHANGED} | ({CREATED} if verbosity >= 2 else set())
        for sheet in report.sheets.values():
            counts = ", ".join(f"{sheet.counts.get(result, 0):,} {result}" for result in RESULTS)
            self.stdout.write(f"{sheet.name}: {counts}")
            for row in sheet.rows:
                if row.result not in shown:
                    continue
                line = f"  row {row.row} {row.key}: {row.result}"
                if row.fields:
                    line += f" ({', '.join(row.fields)})"
                if row.reason:
                    line += f": {row.reason}"
                self.stdout.write(line)
            hidden = sum(
                sheet.counts[result] - sum(1 for r in sheet.rows if r.result == result)
                for result in shown
            )
            if hidden:
                self.stdout.write(f"  … and {hidden:,} more rows like these.")
        totals = report.counts
        self.stdout.write(
            "In all: " + ", ".join(f"{totals.get(result, 0):,} {result}" for result in RESULTS)
        )
