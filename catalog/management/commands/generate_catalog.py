"""``manage.py generate_catalog --vendors N --items N``: a realistic catalog at scale."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from catalog.generator import GeneratorRefused, Options, generate


class Command(BaseCommand):
    help = (
        "Generate a realistic catalog with bulk inserts: N vendors selling N items in all "
        "(products, variation groups, items with a translation each, upgrade/downgrade paths, "
        "add-ons, offers with plans and the plan × feature matrix, listings on three new "
        "marketplaces, a distributor, offerings with their items and scopes, active and draft "
        "rates, prices of every charge model with intervals and tiers) and a few quotes "
        "processed by the selling services. The catalog is written in one transaction: on "
        "PostgreSQL by COPY, with the tables it writes locked against other writers until it "
        "commits. Every slug and code starts with the run's --prefix (MPNs with it in "
        "capitals): a second run needs another prefix, and a prefix already used is refused "
        "before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vendors", type=int, required=True, help="Vendors (at least 1).")
        parser.add_argument(
            "--items", type=int, required=True, help="Items in all (at least --vendors)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--history",
            action="store_true",
            default=True,
            help="Write a history row for every generated row, as the app would (default).",
        )
        parser.add_argument(
            "--no-history",
            dest="history",
            action="store_false",
            help="Write no history rows for the generated catalog (faster; the prices the "
            "quotes sell still get theirs, and processing a quote records its own history).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=10_000,
            help="Rows per COPY or INSERT batch (default 10,000).",
        )
        parser.add_argument(
            "--quotes",
            type=int,
            default=20,
            help="Quotes created and processed through the selling services (default 20).",
        )
        parser.add_argument(
            "--prefix",
            default="gen",
            help='Start of every slug, code and MPN of this run (default "gen").',
        )

    def handle(self, *args, **options):
        wanted = Options(
            vendors=options["vendors"],
            items=options["items"],
            seed=options["seed"],
            history=options["history"],
            batch_size=options["batch_size"],
            quotes=options["quotes"],
            prefix=options["prefix"],
        )
        try:
            summary = generate(wanted, progress=self.stdout.write)
        except GeneratorRefused as exc:
            raise CommandError(f"{exc} Nothing was written.") from exc
        width = max(len(table) for table in summary.rows)
        for table, count in sorted(summary.rows.items()):
            self.stdout.write(f"  {table:<{width}}  {count:>12,}")
        spent = ", ".join(
            f"{name.strip('()')} {seconds:.1f} s" for name, seconds in summary.timings.items()
        )
        self.stdout.write(f"  database: {spent}")
        kept = "with history rows" if summary.history else "without history rows (--no-history)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.total:,} rows {kept} in {summary.seconds:.1f} s "
                f"({summary.total / max(summary.seconds, 1e-9):,.0f} rows/s; catalog "
                f"{summary.catalog_seconds:.1f} s, {len(summary.quotes)} quotes "
                f"{summary.quote_seconds:.1f} s)."
            )
        )
