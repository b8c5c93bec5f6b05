"""Selling benchmark: quotes processed on one hot offering, in threads, against a bare baseline.

PostgreSQL only (row locks are the point). It creates and migrates a database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/catalog_bench_selling \\
        .venv/bin/python benchmarks/bench_selling.py
    # PROCESSES=1: forked processes instead of threads of one process (as gunicorn's workers)

For 1, 4 and 8 threads: N draft quotes (``QUOTES``, default 200), each with two lines on the
same offering (10 seats at 12.00 a month, a 1,500.00 one-time fee, 12 months: 2,940.00), are
made first (not measured), then processed by ``selling.quote_process`` from that many threads
at once. The threads live for the whole round and keep their connections open from turn to
turn, as a server's workers do with ``CONN_MAX_AGE``, so a connection's prepared statements
(``catalog.prepared``, ``DATABASE_PREPARE_THRESHOLD``) outlive a turn. With ``PROCESSES=1``
each turn forks new processes, each with a new connection.

The baseline, in the same run and the same threads, is the least a sale under the
offering's row lock could cost: a transaction that takes ``select_for_update`` on the offering
row and inserts one row (a quote, without history or checks), N times. The loops take turns
(``SLICES``, default 5: each runs a fifth of its quotes, then the next loop does), so a change
of the machine's speed during the run falls on all of them alike. Printed: quotes/s of both,
their ratio, and the queries of one two-line quote. Every processed total is checked.

A third loop, the **floor**, on drafts of its own: the reads and writes no sale through the
ORM can do without, each as its plainest ORM call, and nothing else (no check, no price
chosen): the quote's row lock, its lines, the offering's share lock, an update per line, the
lines' and the quote's history (as the sale writes them: one ``INSERT … SELECT`` each). Its
ratio to the baseline is the most that a sale of a two-line quote that keeps its history could
reach through Django's own cursors, which put the values into the SQL, so that PostgreSQL
parses and plans every statement (the sale's prepared statements do not: it passes the floor).
A fourth, the **SQL floor**, runs the same statements written by hand through the cursor: the
ORM's own share of the floor's cost is the gap between the two.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog_site.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/catalog_bench_selling")

from benchmarks.bench_clone import ensure_database

THREADS = (1, 4, 8)
QUOTES = int(os.environ.get("QUOTES", "200"))
ROUNDS = int(os.environ.get("ROUNDS", "1"))
SLICES = int(os.environ.get("SLICES", "5"))  # each loop runs in this many turns, interleaved
PROCESSES = os.environ.get("PROCESSES") == "1"  # processes instead of threads of one process
EXPECTED_TOTAL = Decimal("2940.00")  # 10 × 12.00 × 12 months + 1,500.00 once


def build():
    """A vendor's offering of seats and a fee, with an active USD rate (setup)."""
    from catalog.models import Item, Product, Vendor
    from pricing import rates, services
    from pricing.pricebook import IntervalSpec

    vendor, _ = Vendor.objects.get_or_create(slug="bench", defaults={"name": "Bench vendor"})
    product = Product.objects.create(vendor=vendor, name=f"Selling bench {time.time_ns()}")
    seats, fee = (
        Item.objects.create(
            product=product,
            mpn=f"{mpn}-{product.pk}",
            name=mpn,
            kind=kind,
            billing_period="monthly" if kind == Item.Kind.SUBSCRIPTION else "one_time",
        )
        for mpn, kind in (("SEATS", Item.Kind.SUBSCRIPTION), ("FEE", Item.Kind.ONE_TIME))
    )
    offering = services.offering_create(
        vendor=vendor, name=f"Hot {product.pk}", start_date=date(2026, 1, 1)
    )
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(item=seats, default_quantity=10, required=True),
            services.OfferingLine(item=fee, default_quantity=1, required=True),
        ],
    )
    rate = rates.rate_create(offering=offering, name="USD monthly", currency="USD")
    for item, model, price in ((seats, "per_unit", "12"), (fee, "flat_fee", "1500")):
        rates.price_book_item_save(
            rate=rate, item=item, charge_model=model, intervals=[IntervalSpec(price=Decimal(price))]
        )
    rates.rate_activate(rate=rate)
    return {"vendor": vendor, "offering": offering, "rate": rate, "seats": seats, "fee": fee}


def draft_quotes(world, count: int) -> list:
    """``count`` draft quotes of 10 seats and the fee (setup)."""
    from pricing import selling
    from pricing.quote_lines import QuoteLineSpec

    lines = [
        QuoteLineSpec(world["offering"], world["rate"], world["seats"], Decimal(10)),
        QuoteLineSpec(world["offering"], world["rate"], world["fee"], Decimal(1)),
    ]
    return [
        selling.quote_create(
            vendor=world["vendor"],
            customer=f"Customer {n}",
            currency="USD",
            start_date=date(2026, 1, 1),
            periods=12,
            lines=lines,
        )
        for n in range(count)
    ]


class Threads:
    """``count`` threads that live for a whole round, each with its own connection, kept
    open from one turn to the next as a server's workers keep theirs (``CONN_MAX_AGE``):
    opening connections is not what is measured, nor does each turn start on a cold one."""

    def __init__(self, count: int):
        self.count = count
        self.turns: list[queue.Queue] = [queue.Queue() for _ in range(count)]
        self.done: queue.Queue = queue.Queue()
        self.threads = [
            threading.Thread(target=self._serve, args=(turns,), daemon=True) for turns in self.turns
        ]
        for thread in self.threads:
            thread.start()

    def _serve(self, turns: queue.Queue) -> None:
        from django.db import connection

        connection.ensure_connection()
        try:
            while (turn := turns.get()) is not None:
                barrier, work, todo = turn
                error = None
                try:
                    barrier.wait()
                    while True:
                        try:
                            job = todo.get_nowait()
                        except queue.Empty:
                            break
                        work(job)
                except Exception as exc:  # reported after the turn
                    error = exc
                self.done.put((time.perf_counter(), error))
        finally:
            connection.close()

    def __call__(self, threads: int, work, jobs: list) -> float:
        """Run ``work(job)`` for every job from all the threads at once: the wall time, from
        their release to the last one's end."""
        assert threads == self.count
        todo: queue.Queue = queue.Queue()
        for job in jobs:
            todo.put(job)
        barrier = threading.Barrier(self.count + 1)
        for turns in self.turns:
            turns.put((barrier, work, todo))
        barrier.wait()
        started = time.perf_counter()
        ends = [self.done.get() for _ in range(self.count)]
        if errors := [error for _, error in ends if error is not None]:
            raise errors[0]
        return max(end for end, _ in ends) - started

    def close(self) -> None:
        for turns in self.turns:
            turns.put(None)
        for thread in self.threads:
            thread.join()


def timed(workers: list, barrier) -> float:
    """Start the workers, release them together at ``barrier``, and wait for them all: the
    seconds from the release to the last one's end."""
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def in_processes(processes: int, work, jobs: list) -> float:
    """Run ``work(job)`` for every job from ``processes`` forked processes at once (each takes
    every ``processes``-th job): the wall time. As gunicorn's workers sell, no interpreter
    lock is shared."""
    import multiprocessing

    from django.db import connection

    connection.close()  # each process opens its own
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes + 1)
    failed = context.Value("i", 0)

    def run(share: list) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            for job in share:
                work(job)
        except Exception:
            failed.value += 1
            raise
        finally:
            connection.close()

    workers = [context.Process(target=run, args=(jobs[k::processes],)) for k in range(processes)]
    elapsed = timed(workers, barrier)
    if failed.value or any(worker.exitcode for worker in workers):
        raise RuntimeError(f"{failed.value} of {processes} processes failed")
    return elapsed


def baseline_sale(world) -> None:
    """The least a sale under the offering's row lock costs: the lock and one insert."""
    from django.db import transaction

    from pricing.models import Offering, Quote

    with transaction.atomic():
        Offering.objects.select_for_update().get(pk=world["offering"].pk)
        Quote.objects.bulk_create(
            [Quote(vendor_id=world["vendor"].pk, customer="Baseline", currency="USD")]
        )


def floor_sale(quote) -> None:
    """What any sale must do, each by its plainest ORM call: no check, no price chosen. The
    history rows as the sale writes them (``insert_history``: one statement each)."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from catalog.history_records import insert_history
    from pricing.models import Quote, QuoteLine
    from pricing.refusals import share_quote_offerings

    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        lines = list(quote.lines.order_by("pk"))
        share_quote_offerings(quote.pk).all()
        for line in lines:
            QuoteLine.objects.filter(pk=line.pk).update(amount=F("quantity"))
        insert_history(QuoteLine, "r.quote_id = %s", [quote.pk], by=None, reason="floor")
        Quote.objects.filter(pk=quote.pk).update(
            status=Quote.Status.PROCESSED, processed_at=timezone.now()
        )
        insert_history(Quote, "r.id = %s", [quote.pk], by=None, reason="floor")


def sql_floor_sale(quote) -> None:
    """The floor's statements written by hand, through the connection's cursor: what a sale
    would reach without the ORM's cost of building each statement and its rows. Measured to
    show where the time goes; no path of the app writes a sale this way."""
    from django.db import connection, transaction

    from catalog.history_records import insert_history
    from pricing.models import Quote, QuoteLine

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM pricing_quote WHERE id = %s FOR UPDATE", [quote.pk])
        cursor.execute(
            "SELECT id, offering_id FROM pricing_quoteline WHERE quote_id = %s ORDER BY id",
            [quote.pk],
        )
        lines = cursor.fetchall()
        cursor.execute(
            "SELECT id FROM pricing_offering WHERE id = ANY(%s) ORDER BY id FOR SHARE",
            [sorted({offering for _, offering in lines})],
        )
        for line, _ in lines:
            cursor.execute("UPDATE pricing_quoteline SET amount = quantity WHERE id = %s", [line])
        insert_history(QuoteLine, "r.quote_id = %s", [quote.pk], by=None, reason="floor")
        cursor.execute(
            "UPDATE pricing_quote SET status = 'processed', processed_at = now() WHERE id = %s",
            [quote.pk],
        )
        insert_history(Quote, "r.id = %s", [quote.pk], by=None, reason="floor")


def analyze() -> None:
    """Statistics as autovacuum would keep them: the setup has just doubled the quote tables,
    and the planner would otherwise take the processed quotes for a handful (setup)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pricing_quote, pricing_quoteline")


def check_totals(quotes) -> None:
    from pricing.models import Quote, QuoteLine

    ids = [quote.pk for quote in quotes]
    processed = Quote.objects.filter(pk__in=ids, status=Quote.Status.PROCESSED)
    wrong = processed.exclude(total=EXPECTED_TOTAL).count()
    assert processed.count() == len(ids), f"{len(ids) - processed.count()} quotes not processed"
    assert wrong == 0, f"{wrong} processed totals are not {EXPECTED_TOTAL}"
    amounts = sorted(set(QuoteLine.objects.filter(quote__in=ids).values_list("amount", flat=True)))
    assert amounts == [Decimal("1440.00"), Decimal("1500.00")], amounts


def count_queries(world) -> tuple[int, int]:
    """The queries of making one two-line draft quote, and of processing it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pricing import selling

    with CaptureQueriesContext(connection) as made:
        (quote,) = draft_quotes(world, 1)
    with CaptureQueriesContext(connection) as processed:
        selling.quote_process(quote=quote)
    if os.environ.get("SHOW_QUERIES"):
        for query in processed.captured_queries:
            print(f"  {query['time']}  {query['sql'][:160]}")
    return len(made.captured_queries), len(processed.captured_queries)


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from pricing import selling

    if connection.vendor != "postgresql":
        sys.exit("bench_selling.py measures row locks: set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    world = build()
    print(
        f"database: {connection.vendor} {connection.pg_version}; {QUOTES} quotes per run, "
        f"in {SLICES} turns"
    )
    made, processed = count_queries(world)
    print(f"queries of one two-line quote: {made} to make it, {processed} to process it")
    workers = "processes" if PROCESSES else "threads"
    print(
        f"round  {workers}  baseline q/s  quote_process q/s  ratio  floor q/s  floor ratio"
        "  SQL floor q/s  SQL floor ratio"
    )
    for number in range(1, ROUNDS + 1):
        for threads in THREADS:
            quotes, floors, sql_floors = (draft_quotes(world, QUOTES) for _ in range(3))
            analyze()
            connection.close()  # the threads open their own
            run = in_processes if PROCESSES else Threads(threads)
            loops = {
                "baseline": (lambda _: baseline_sale(world), list(range(QUOTES))),
                "sale": (lambda quote: selling.quote_process(quote=quote), quotes),
                "floor": (floor_sale, floors),
                "SQL floor": (sql_floor_sale, sql_floors),
            }
            seconds = dict.fromkeys(loops, 0.0)
            for part in range(SLICES):  # in turns: a drift of the machine's speed hits all
                for name, (work, jobs) in loops.items():
                    seconds[name] += run(threads, work, jobs[part::SLICES])
            if not PROCESSES:
                run.close()
            base, sold, floor, sql_floor = (QUOTES / seconds[name] for name in loops)
            check_totals(quotes)
            print(
                f"{number:5d}  {threads:7d}  {base:12.1f}  {sold:17.1f}  {sold / base:5.3f}"
                f"  {floor:9.1f}  {floor / base:11.3f}  {sql_floor:13.1f}"
                f"  {sql_floor / base:15.3f}",
                flush=True,
            )
    print(f"every processed total is {EXPECTED_TOTAL}")


if __name__ == "__main__":
    main()
