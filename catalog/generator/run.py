"""One generator run: check the request, write the catalog in one transaction, then process
a few quotes through the selling services; report what was written and how fast."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from catalog.generator import catalog_rows, offer_rows, pricing_rows
from catalog.generator.context import Context
from catalog.generator.options import Options
from catalog.generator.prices import PriceLibrary
from catalog.generator.quotes import write_quotes
from catalog.generator.writer import BulkWriter
from catalog.models import Distributor
from pricing.models import Quote, QuoteLine

DISTRIBUTOR_MARKETPLACES = 2  # the run's distributor browses the first two marketplaces


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)  # table → rows written
    seconds: float = 0.0
    catalog_seconds: float = 0.0
    quote_seconds: float = 0.0
    history: bool = True
    quotes: list[Quote] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # where the catalog's time went

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def vendor_sizes(rng: random.Random, vendors: int, items: int) -> list[int]:
    """Items per vendor: at least one each, the rest spread unevenly (a few large vendors,
    many small ones), in total ``items``."""
    weights = [1 / (n + 1) ** 0.7 * rng.uniform(0.8, 1.2) for n in range(vendors)]
    spare, total = items - vendors, sum(weights)
    sizes = [1 + int(spare * w / total) for w in weights]
    for n in range(items - sum(sizes)):
        sizes[n % vendors] += 1
    return sizes


def write_distributor(ctx: Context) -> None:
    """The run's distributor, admitted to its first marketplaces: through the ORM, with
    history (its marketplaces' history too) only when the run keeps history."""
    name, slug = f"{ctx.prefix.title()} Distribution", f"{ctx.prefix}-distributor"
    marketplace_ids = [m.id for m in ctx.marketplaces[:DISTRIBUTOR_MARKETPLACES]]
    if ctx.options.history:
        distributor = Distributor.objects.create(name=name, slug=slug)
        # By id: the marketplaces are still in the writer's buffer, not yet in the table.
        distributor.marketplaces.set(marketplace_ids)
    else:
        (distributor,) = Distributor.objects.bulk_create([Distributor(name=name, slug=slug)])
        through = Distributor.marketplaces.through
        through.objects.bulk_create(
            [through(distributor=distributor, marketplace_id=pk) for pk in marketplace_ids]
        )


def generate(options: Options, *, progress: Callable[[str], None] | None = None) -> Summary:
    """Write the catalog ``options`` ask for; raise ``GeneratorRefused`` before writing when
    the request cannot be run."""
    say = progress or (lambda message: None)
    options.check()
    started = time.perf_counter()
    reason = f"generate_catalog --prefix {options.prefix} --seed {options.seed}"
    prices = PriceLibrary()
    with transaction.atomic():
        writer = BulkWriter(
            history=options.history, batch_size=options.batch_size, reason=reason, progress=say
        )
        ctx = Context(options, writer, random.Random(options.seed), timezone.localdate())
        for part in (catalog_rows, pricing_rows, offer_rows):
            part.declare(ctx)
        catalog_rows.write_marketplaces(ctx)
        sizes = vendor_sizes(ctx.rng, options.vendors, options.items)
        done, step = 0, max(options.items // 10, 1)
        for number, size in enumerate(sizes, start=1):
            for product in catalog_rows.write_vendor(ctx, number=number, items=size):
                pricing_rows.write_product_pricing(ctx, product, prices)
                offer_rows.write_offers(ctx, product)
            if (done + size) // step > done // step or number == len(sizes):
                say(
                    f"  {done + size:,}/{options.items:,} items, {number:,}/{len(sizes):,} "
                    f"vendors ({time.perf_counter() - started:.1f} s)"
                )
            done += size
        write_distributor(ctx)
        say("history rows…" if options.history else "no history rows (--no-history)")
        writer.finish()
    writer.analyze()
    summary = Summary(history=options.history)
    summary.catalog_seconds = time.perf_counter() - started
    history_tables = {model._meta.db_table for model in writer.history_rows}
    for name, seconds in writer.seconds.items():
        phase = "history rows" if name in history_tables else name
        phase = phase if phase.startswith(("(", "history")) else "inserts"
        summary.timings[phase] = summary.timings.get(phase, 0.0) + seconds
    for model, count in writer.rows.items():
        summary.rows[model._meta.db_table] = count
    for model, count in writer.history_rows.items():
        summary.rows[model._meta.db_table] = count
    summary.rows[Distributor._meta.db_table] = 1
    quotes_started = time.perf_counter()
    if options.quotes:
        say(f"{options.quotes} quotes through quote_create and quote_process…")
    summary.quotes = write_quotes(ctx, options.quotes, reason=reason)
    if summary.quotes:
        summary.rows[Quote._meta.db_table] = len(summary.quotes)
        summary.rows[QuoteLine._meta.db_table] = QuoteLine.objects.filter(
            quote__in=summary.quotes
        ).count()
    summary.quote_seconds = time.perf_counter() - quotes_started
    summary.seconds = time.perf_counter() - started
    return summary
