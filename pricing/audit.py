"""An offering's audit trail: versions with their differences, the lock, refused attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pricing.lock import PROCESSED_QUOTES, holding, lock_reasons
from pricing.models import ContractOffering, LockRefusal, Offering, OfferingItem, Quote, Rate


@dataclass
class Version:
    date: datetime
    user: object
    kind: str
    reason: str
    what: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class LockEvent:
    date: datetime
    why: str


KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _versions(records, what) -> list[Version]:
    """History records (oldest first) as versions with field-by-field differences."""
    versions, previous = [], {}
    for record in records:
        changes = []
        prior = previous.get(record.id)
        if prior is not None:
            delta = record.diff_against(prior)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        previous[record.id] = record
        versions.append(
            Version(
                record.history_date,
                record.history_user,
                KINDS[record.history_type],
                record.history_change_reason or "",
                what(record),
                changes,
            )
        )
    return versions


def offering_audit(offering: Offering) -> dict:
    """Everything the audit page shows, newest first, in a fixed number of queries."""
    own = _versions(
        offering.history.order_by("history_date", "history_id").select_related("history_user"),
        lambda r: "offering",
    )
    items = _versions(
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
    rates = _versions(rate_records, lambda r: f"rate {r.name!r}")
    lock_events, was_active = [], {}
    for record in rate_records:  # each time a rate became active, the offering locked
        active = record.status == Rate.Status.ACTIVE
        if active and not was_active.get(record.id):
            lock_events.append(LockEvent(record.history_date, f"rate {record.name!r} activated"))
        was_active[record.id] = active
    lock_events += [
        LockEvent(quote.processed_at, f"quote {quote.reference} processed")
        for quote in Quote.objects.filter(
            pk__in=holding(PROCESSED_QUOTES, offering).values("quote_id")
        )
    ]
    lock_events += [
        LockEvent(record.history_date, f"contract C-{record.contract_id} made")
        for record in ContractOffering.history.filter(offering_id=offering.pk, history_type="+")
    ]
    return {
        "reasons": lock_reasons(offering),
        "versions": sorted(own + items + rates, key=lambda v: v.date, reverse=True),
        "lock_events": sorted(lock_events, key=lambda e: e.date, reverse=True),
        "refusals": list(LockRefusal.objects.filter(offering=offering).select_related("user")),
    }
