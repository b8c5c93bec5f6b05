"""A sale leaves the offering row alone: its first sale adds one version to the offering's
history (when and why it was first sold), later sales add none, and the audit still lists
every sale as a lock event. Processing adds a query per line (its update), and one to read
the base items of the add-ons it sells."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pricing import quote_lines, selling
from pricing.audit import offering_audit
from pricing.tests.conftest import processed_quote

pytestmark = pytest.mark.django_db


def draft(world, *items):
    quote = selling.quote_create(
        vendor=world["vendor"], customer="Contoso", currency="USD", start_date=date(2026, 1, 1)
    )
    for item in items:
        quote_lines.quote_add_line(
            quote=quote, offering=world["offering"], rate=world["rate"], item=world[item]
        )
    return quote


def locked_versions(offering) -> list[str]:
    return [
        record.history_change_reason
        for record in offering.history.order_by("history_id")
        if (record.history_change_reason or "").startswith("locked:")
    ]


def test_the_first_sale_adds_one_version_and_later_sales_none(sellable):
    offering = sellable["offering"]
    before = offering.history.count()

    first = processed_quote(sellable)
    after_first = offering.history.count()
    processed_quote(sellable)
    processed_quote(sellable)

    assert after_first == before + 1
    assert offering.history.count() == after_first
    assert locked_versions(offering) == [f"locked: quote {first.reference} processed"]
    newest = offering.history.latest()
    assert newest.history_type == "~" and newest.name == offering.name


def test_the_audit_lists_every_sale_as_a_lock_event(sellable):
    quotes = [processed_quote(sellable) for _ in range(3)]

    audit = offering_audit(sellable["offering"])

    sales = [event.why for event in audit["lock_events"] if event.why.startswith("quote ")]
    assert sales == [f"quote {quote.reference} processed" for quote in reversed(quotes)]
    assert [event.date for event in audit["lock_events"][:3]] == [
        quote.processed_at for quote in reversed(quotes)
    ]
    offering_versions = [v for v in audit["versions"] if v.what == "offering"]
    assert [v.reason for v in offering_versions if v.reason.startswith("locked:")] == [
        f"locked: quote {quotes[0].reference} processed"
    ]


def test_a_sale_writes_its_lines_in_one_statement_and_reads_once_more_for_an_add_on(sellable):
    # Not the first sale (that one adds the offering's version) nor the second (it reads that
    # the offering has sold, which the process then remembers), and the three items' prices
    # are kept (pricing.price_cache): what is counted is the sale's own reads and writes.
    for _ in range(2):
        selling.quote_process(quote=draft(sellable, "seats", "fee", "addon"))
    counts, bases_read = [], []
    for items in (("seats", "fee"), ("seats", "fee", "addon")):
        quote = draft(sellable, *items)
        with CaptureQueriesContext(connection) as captured:
            selling.quote_process(quote=quote)
        sqls = [query["sql"] for query in captured.captured_queries]
        counts.append(len([sql for sql in sqls if sql.startswith(("SELECT", "INSERT", "UPDATE"))]))
        updates = [sql for sql in sqls if sql.startswith('UPDATE "pricing_quoteline"')]
        assert len(updates) == 1, updates  # every line's frozen price: one UPDATE
        bases_read.append(any(sql.startswith('SELECT "catalog_addonrequirement"') for sql in sqls))

    assert bases_read == [False, True]  # the add-on's base items, only for the add-on
    # The quote's lock, its lines, the offerings (their share locks, then the rows; SQLite
    # has no locks), the lines' update and their history, the quote and its history; a third
    # line adds nothing.
    assert counts[1] == counts[0] + 1, counts
    assert counts[0] <= (8 if connection.vendor == "postgresql" else 7), counts


def sold_reads(sqls) -> int:
    """The queries that ask whether a processed quote sold an offering."""
    return len([sql for sql in sqls if sql.startswith('SELECT 1 AS "a" FROM "pricing_quoteline"')])


def test_a_process_asks_once_per_offering_revision_whether_it_has_sold(sellable):
    processed_quote(sellable)  # the first sale: it finds none and marks the offering
    reads = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            processed_quote(sellable)
        reads.append(sold_reads([query["sql"] for query in captured.captured_queries]))

    assert reads == [1, 0, 0]
    assert len(locked_versions(sellable["offering"])) == 1


def test_a_writer_of_the_offering_makes_the_next_sale_ask_again(sellable):
    from pricing import price_cache, rates

    for _ in range(2):
        processed_quote(sellable)
    rates.rate_create(offering=sellable["offering"], name="EUR monthly", currency="EUR")
    with CaptureQueriesContext(connection) as captured:
        processed_quote(sellable)

    assert sold_reads([query["sql"] for query in captured.captured_queries]) == 1
    price_cache.forget()
    with CaptureQueriesContext(connection) as captured:
        processed_quote(sellable)
    assert sold_reads([query["sql"] for query in captured.captured_queries]) == 1
    assert len(locked_versions(sellable["offering"])) == 1
