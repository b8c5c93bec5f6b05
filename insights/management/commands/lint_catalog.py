"""``manage.py lint_catalog --vendor SLUG``: the price-book linter's findings for a vendor.

Prints each finding (severity, code, subject, message and fix) grouped by offering, then a
count. Exits 1 when any finding is an error, so a vendor's CI can fail on it; 0 otherwise
(warnings only, or none); 2 for a vendor that does not exist.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Vendor
from insights.lint import ERROR, error_count, lint_vendor


class Command(BaseCommand):
    help = "Lint a vendor's price books and catalog; exit 1 on any error-level finding."

    def add_arguments(self, parser):
        parser.add_argument("--vendor", required=True, help="The vendor's slug.")
        parser.add_argument(
            "--json", action="store_true", help="Print the findings as a JSON list."
        )

    def handle(self, *args, vendor: str, json: bool = False, **options):
        found = Vendor.objects.filter(slug=vendor).first()
        if found is None:
            raise CommandError(f"No vendor has the slug {vendor!r}.", returncode=2)
        findings = lint_vendor(found)
        if json:
            self.stdout.write(_dumps([finding.as_dict() for finding in findings]))
        else:
            self._print(found, findings)
        errors = error_count(findings)
        if errors:
            raise CommandError(
                f"{errors} error-level finding(s) in {found.name}'s catalog.", returncode=1
            )

    def _print(self, vendor, findings) -> None:
        group = object()
        for finding in findings:
            if finding.offering_id != group:
                group = finding.offering_id
                title = f"Offering {finding.offering}" if group else "Products (upgrade paths)"
                self.stdout.write(self.style.MIGRATE_HEADING(title))
            style = self.style.ERROR if finding.severity == ERROR else self.style.WARNING
            self.stdout.write(
                f"  {style(finding.severity.upper()):<7} [{finding.code}] {finding.subject}: "
                f"{finding.message}\n      Fix: {finding.fix}"
            )
        errors = error_count(findings)
        self.stdout.write(f"{vendor.name}: {errors} error(s), {len(findings) - errors} warning(s).")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
