"""On PostgreSQL a connection that keeps selling runs the sale's statements prepared: each is
parsed and planned once on the server, not at every sale (``catalog.prepared``)."""

from __future__ import annotations

import pytest
from django.db import connection

from pricing.models import Quote
from pricing.tests.conftest import processed_quote

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL prepares statements on the server"
    ),
]

# The beginning of each statement a sale runs every time.
SALE_STATEMENTS = {
    "the quote's row lock": 'SELECT "pricing_quote"."id" AS "pk" FROM "pricing_quote"',
    "the offerings' share locks": 'SELECT "pricing_offering"."id" AS "pk" FROM',
    "the offerings read": 'SELECT "pricing_offering"."id", "pricing_offering"."vendor_id"',
    "the lines read": 'SELECT "pricing_quoteline"."id", "pricing_quoteline"."quote_id"',
    "the lines' prices": 'UPDATE "pricing_quoteline" SET "rate_id"',
    "the lines' history": 'INSERT INTO "pricing_historicalquoteline"',
    "the quote's fields": 'UPDATE "pricing_quote" SET "total"',
    "the quote's history": 'INSERT INTO "pricing_historicalquote" ',
}


def test_after_a_few_sales_each_of_the_sales_statements_runs_prepared(sellable):
    sales = [processed_quote(sellable) for _ in range(8)]
    assert {quote.status for quote in sales} == {Quote.Status.PROCESSED}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    for what, start in SALE_STATEMENTS.items():
        runs = [plans for statement, plans in prepared if statement.startswith(start)]
        assert len(runs) == 1, f"{what}: {len(runs)} prepared statements"
        assert runs[0] >= 2, f"{what}: run {runs[0]} times prepared"
    assert sales[-1].total == sales[0].total
