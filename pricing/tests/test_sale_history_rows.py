"""A sale writes its history rows in two statements (``catalog.history_records.
insert_history``), not through simple-history's Python records: each row still holds what
the library's own record would, the quote and every line as they stand after the sale, a
change ("~"), its reason, its user and its time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.tests.factories import vendor_staff
from pricing import selling
from pricing.models import Quote
from pricing.tests.conftest import draft_quote

pytestmark = pytest.mark.django_db


def tracked_values(record, row) -> dict:
    """The tracked fields' values of a history record, and of its row."""
    names = [
        field.attname
        for field in record._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    return {name: getattr(record, name) for name in names}, {
        name: getattr(row, name) for name in names
    }


@pytest.fixture
def sold(sellable):
    quote = draft_quote(sellable)
    user = vendor_staff(sellable["vendor"])
    before = {line.pk: line.history.count() for line in quote.lines.all()}
    selling.quote_process(quote=quote, by=user)
    return Quote.objects.get(pk=quote.pk), user, before


def test_the_quote_history_row_holds_the_processed_quote_its_reason_and_user(sold):
    quote, user, _ = sold

    record = quote.history.latest()

    recorded, stands = tracked_values(record, quote)
    assert recorded == stands
    assert record.status == Quote.Status.PROCESSED and record.total == Decimal("2940.00")
    assert record.history_type == "~"
    assert record.history_change_reason == f"quote {quote.reference} processed"
    assert record.history_user == user
    assert abs(record.history_date - quote.processed_at).total_seconds() < 5


def test_every_line_gets_one_history_row_holding_its_frozen_price(sold):
    quote, user, before = sold

    for line in quote.lines.order_by("pk"):
        assert line.history.count() == before[line.pk] + 1
        record = line.history.latest()
        recorded, stands = tracked_values(record, line)
        assert recorded == stands
        assert record.amount == line.amount and record.price_snapshot == line.price_snapshot
        assert record.history_type == "~"
        assert record.history_change_reason == f"quote {quote.reference} processed"
        assert record.history_user == user


def test_the_lines_history_rows_are_written_in_line_order(sold):
    quote, _, _ = sold

    records = [line.history.latest() for line in quote.lines.order_by("pk")]

    assert [r.history_id for r in records] == sorted(r.history_id for r in records)
