"""What every writer of an offering does first: take its row lock, then refuse if it is locked.

``lock_offering`` takes the offering's row lock (``SELECT … FOR UPDATE``); a sale takes it in
share mode instead (``share_quote_offerings``: ``FOR SHARE``), so many quotes of one offering
are processed at once while a writer waits for them all, and they for it; ``require_unlocked``
and ``require_rate_unlocked`` raise OFFERING_LOCKED / RATE_LOCKED under it; every such
refusal is recorded as a ``LockRefusal`` (``records_refusals`` for services, ``refusal_for``
for forms), in its own transaction, so the record outlives the refused write.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from django.db import connection
from django.db.models import F

from catalog.concurrency import service
from catalog.prepared import Param, Prepared, Sent
from pricing import price_cache
from pricing.errors import OfferingLocked, RateLocked
from pricing.lock import lock_reasons, rate_lock_reasons
from pricing.models import LockRefusal, Offering, QuoteLine, Rate


def lock_offering(offering: Offering) -> Offering:
    """Take the offering's row lock: every writer of an offering goes through here first.
    The offering gets a new revision token with it: what sales kept of it is stale once the
    writer commits (``pricing.price_cache``)."""
    locked = Offering.objects.select_for_update().get(pk=offering.pk)
    price_cache.revise(locked.pk)
    return locked


def _for_share(sql: str, connection) -> str:
    """PostgreSQL's ``FOR SHARE`` in place of the ``FOR UPDATE`` Django writes."""
    if connection.vendor != "postgresql":
        return sql
    head, found, tail = sql.rpartition(" FOR UPDATE")
    # Absent only when the races' RACE_UNLOCKED takes every row lock out.
    return f"{head} FOR SHARE{tail}" if found else sql


def _quote_offerings():
    """The ids of the offerings a quote's lines sell."""
    return QuoteLine.objects.filter(quote_id=Param("quote")).values("offering_id")


SHARE_LOCKS = Prepared(
    lambda: (
        Offering.objects.filter(pk__in=_quote_offerings())
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk")
    ),
    finish=_for_share,
)
# Each with its revision token (``pricing.price_cache``): what a sale kept of it is good for it.
OFFERINGS_READ = Prepared(
    lambda: (
        Offering.objects.annotate(token=F("revision__token"))
        .filter(pk__in=_quote_offerings())
        .order_by("pk")
    )
)


def share_quote_offerings(quote_id: int) -> Sent:
    """The offerings a quote's lines sell, in id order, each with its revision ``token``,
    read once their row locks are held in share mode (PostgreSQL's ``FOR SHARE``; elsewhere
    the writers' ``FOR UPDATE``, nothing on SQLite). Sent, not yet read (``Sent.all()``):
    inside ``pipelined`` the caller sends its own reads with them and waits once.

    What a sale takes, under the quote's row lock (so the quote's lines cannot change): sales
    of one offering go on together, and every writer (``lock_offering``) waits until they
    have committed, as they wait for a writer. A sale never writes the offering row under it
    (two sales would wait for each other).

    The locks are taken by a statement of their own, and the rows read by the next: a
    statement that waited for a writer's lock sees the locked row as the writer left it, but
    every other table, and so the revision token, as it was before the writer committed.
    Both are prepared statements (``catalog.prepared``): a sale runs them every time."""
    if connection.features.has_select_for_update:
        SHARE_LOCKS.execute(quote=quote_id)
    return OFFERINGS_READ.send(quote=quote_id)


def changed_fields(obj, changes: Mapping, always_editable) -> list[str]:
    """The fields ``changes`` really changes that the lock guards (outside always_editable)."""
    return sorted(
        name for name in set(changes) - set(always_editable) if getattr(obj, name) != changes[name]
    )


def require_unlocked(offering: Offering, *, attempted: str, by=None) -> None:
    """Refuse with OFFERING_LOCKED while a processed quote, contract or active rate holds it."""
    if reasons := lock_reasons(offering):
        raise OfferingLocked(
            f"Offering {offering.name!r} is locked ({'; '.join(reasons)}); clone it and change "
            "the copy.",
            reasons=reasons,
            offering_id=offering.pk,
            attempted=attempted,
            user=by,
        )


def require_rate_unlocked(rate: Rate, *, attempted: str, by=None) -> None:
    """Refuse with RATE_LOCKED when the rate priced a processed quote or a contract."""
    if reasons := rate_lock_reasons(rate):
        raise RateLocked(
            f"Rate {rate.name!r} is locked ({'; '.join(reasons)}); inactivate it instead.",
            reasons=reasons,
            offering_id=rate.offering_id,
            attempted=attempted,
            user=by,
        )


@service
def _record_refusal(exc: OfferingLocked | RateLocked) -> None:
    """Keep the refusal on record, in its own transaction (the refused one rolled back)."""
    user = exc.details.get("user")
    LockRefusal.objects.create(
        offering_id=exc.details["offering_id"],
        user=user if getattr(user, "pk", None) else None,
        code=exc.code,
        attempted=exc.details["attempted"][:300],
        reasons=exc.details["reasons"],
    )


def refusal_for(
    *, offering: Offering | None = None, rate: Rate | None = None, attempted: str, by=None
) -> OfferingLocked | RateLocked | None:
    """For forms: the recorded refusal if the offering (or rate) is locked, else None."""
    try:
        if offering is not None:
            require_unlocked(offering, attempted=attempted, by=by)
        if rate is not None:
            require_rate_unlocked(rate, attempted=attempted, by=by)
    except (OfferingLocked, RateLocked) as exc:
        _record_refusal(exc)
        return exc
    return None


def records_refusals(func):
    """Write a LockRefusal for every OFFERING_LOCKED / RATE_LOCKED the service raises.

    The service's own transaction has rolled back by then, so the record survives it.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (OfferingLocked, RateLocked) as exc:
            _record_refusal(exc)
            raise

    return wrapper
