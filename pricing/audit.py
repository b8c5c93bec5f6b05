"""An offering's audit trail: versions with their differences, the lock, refused attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from catalog.history import in_words, versions
from pricing.lock import PROCESSED_QUOTES, holding, lock_reasons
from pricing.models import (
    ContractOffering,
    LockRefusal,
    Offering,
    OfferingItem,
    PriceBookItem,
    Quote,
    Rate,
)
from pricing.price_history import prices_versions

#: Sales and the contracts that hold an offering grow with trade: of each, the audit lists
#: the first (when it locked) and this many of the newest, and says how many there are.
EVENTS_LISTED = 20


@dataclass
class LockEvent:
    date: datetime
    why: str


def offering_audit(offering: Offering) -> dict:
    """Everything the audit page shows, newest first, in a fixed number of queries.

    Versions are of the offering, its items, its rates and its prices (with their intervals
    and tiers, ``pricing.price_history``), every change in words (``catalog.wording``)."""
    own = versions(
        offering.history.order_by("history_date", "history_id").select_related("history_user"),
        lambda r: "offering",
    )
    items = versions(
        OfferingItem.history.filter(offering_id=offering.pk)
        .order_by("history_date", "history_id")
        .select_related("history_user", "item"),
        lambda r: f"item {r.item.mpn if r.item else r.item_id}",
    )
    rate_records = list(
        Rate.history.filter(offering_id=offering.pk)
        .order_by("history_date", "history_id")
        .select_related("history_user")
    )
    rates = versions(rate_records, lambda r: f"rate {r.name!r}")
    prices = prices_versions(
        PriceBookItem.history.filter(
            rate_id__in=Rate.history.filter(offering_id=offering.pk).values("id")
        )
    )
    lock_events, was_active = [], {}
    for record in rate_records:  # each time a rate became active, the offering locked
        active = record.status == Rate.Status.ACTIVE
        if active and not was_active.get(record.id):
            lock_events.append(LockEvent(record.history_date, f"rate {record.name!r} activated"))
        was_active[record.id] = active
    sales, sold = first_and_newest(
        Quote.objects.filter(pk__in=holding(PROCESSED_QUOTES, offering).values("quote_id")),
        "processed_at",
    )
    lock_events += [
        LockEvent(quote.processed_at, f"quote {quote.reference} processed") for quote in sales
    ]
    contracts, held = first_and_newest(
        ContractOffering.history.filter(offering_id=offering.pk, history_type="+"),
        "history_date",
    )
    lock_events += [
        LockEvent(record.history_date, f"contract C-{record.contract_id} made")
        for record in contracts
    ]
    return {
        "reasons": lock_reasons(offering),
        "versions": in_words(
            sorted(own + items + rates + prices, key=lambda v: v.date, reverse=True)
        ),
        "lock_events": sorted(lock_events, key=lambda e: e.date, reverse=True),
        "sales": sold,
        "contracts": held,
        "events_listed": EVENTS_LISTED,
        "refusals": list(LockRefusal.objects.filter(offering=offering).select_related("user")),
    }


def first_and_newest(rows: QuerySet, date: str) -> tuple[list, int]:
    """The first of ``rows`` by ``date`` (when the offering locked) and the newest
    ``EVENTS_LISTED``, each once, and how many there are: three queries, however many."""
    newest = list(rows.order_by(f"-{date}", "-pk")[:EVENTS_LISTED])
    first = list(rows.order_by(date, "pk")[:1])
    listed = {row.pk for row in newest}
    return newest + [row for row in first if row.pk not in listed], rows.count()
