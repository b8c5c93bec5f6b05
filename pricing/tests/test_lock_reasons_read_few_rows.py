"""On PostgreSQL the lock's reasons read a few rows per offering, however often it sold: each
offering's first holders are found by walking an index in their order and stopping there,
not by ranking every holder row (an offering sold a million times would read a million)."""

import json

import pytest
from django.db import connection

from pricing.lock import CONTRACTS, OFFERING_HOLDERS, PROCESSED_QUOTES, RATE_HOLDERS, REASONS_LISTED
from pricing.models import ContractOffering, QuoteLine
from pricing.tests.factories import ContractFactory, OfferingFactory, QuoteFactory
from pricing.tests.test_lock_reasons_bounded import sold_times

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

SALES = 40  # each of two lines: 80 holder rows per offering


def rows_read(sql: str, params, table: str) -> int:
    """The rows the statement's plan read from ``table``, over all its loops. The test tables
    are small enough that reading every row of an offering (a sequential or bitmap scan, then a
    sort) costs less than walking an index; the planner is asked to walk the indexes, as it
    does on tables of real size (``benchmarks/RESULTS.md``)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node):
        here = (
            node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == table else 0
        )
        return here + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan["Plan"])


def test_an_offering_sold_many_times_reads_a_few_of_its_quote_lines():
    offerings = [OfferingFactory(), OfferingFactory()]
    for offering in offerings:
        sold_times(offering, SALES)
    ids = [offering.pk for offering in offerings]

    sql, params = PROCESSED_QUOTES.statement(ids, first=REASONS_LISTED + 1)
    read = rows_read(sql, params, "pricing_quoteline")

    # Two lines per quote, the first REASONS_LISTED + 1 quotes, for each offering.
    assert read <= 2 * 2 * (REASONS_LISTED + 1)


def test_an_offering_held_by_many_contracts_reads_a_few_of_them():
    offering = OfferingFactory()
    for _ in range(SALES):
        contract = ContractFactory(quote=QuoteFactory(vendor=offering.vendor))
        ContractOffering.objects.create(contract=contract, offering=offering)

    sql, params = CONTRACTS.statement([offering.pk], first=REASONS_LISTED + 1)

    assert rows_read(sql, params, "pricing_contractoffering") <= REASONS_LISTED + 1


def test_a_rate_that_priced_many_quotes_reads_a_few_of_its_lines():
    offering = OfferingFactory()
    quotes = sold_times(offering, SALES)
    rate = quotes[0].lines.first().rate
    QuoteLine.objects.filter(quote__in=quotes).update(rate=rate)
    priced = RATE_HOLDERS[0]

    sql, params = priced.statement([rate.pk], first=REASONS_LISTED + 1)

    assert rows_read(sql, params, "pricing_quoteline") <= 2 * (REASONS_LISTED + 1)


@pytest.mark.parametrize("holders", [OFFERING_HOLDERS, RATE_HOLDERS], ids=["offering", "rate"])
def test_the_statement_gives_what_the_window_gives(holders):
    """The bounded statement and the window that SQLite still uses agree, row for row."""
    busy, quiet = OfferingFactory(), OfferingFactory()
    contract = ContractFactory(quote=sold_times(busy, REASONS_LISTED + 4)[0])
    ContractOffering.objects.create(contract=contract, offering=busy)
    sold_times(quiet, 2)
    lines = QuoteLine.objects.filter(offering__in=[busy, quiet])
    ids = (
        [busy.pk, quiet.pk]
        if holders is OFFERING_HOLDERS
        else sorted({rate for rate in lines.values_list("rate_id", flat=True) if rate})
    )
    first = REASONS_LISTED + 1
    compared = 0
    for holder in holders:
        rows = holder.of(ids, first)
        assert rows == list(holder.ranked(ids, first))
        compared += len(rows)
    assert compared >= first + 1  # the busy one's first quotes, and more
