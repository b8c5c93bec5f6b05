"""The lock: why an offering or a rate may no longer change. The only place that says so.

What holds a lock is declared once, as *holders*: the rows that lock (a processed quote's
lines, a contract's offerings, active rates), the field naming what they lock, and the words
of the reason. Every view of the lock is derived from that declaration:

- ``lock_reasons(offering)`` and ``rate_lock_reasons(rate)``: the reasons of one row, for the
  services' guards (``require_unlocked``), the admin's change page and the audit trail;
- ``lock_reasons_by_offering(ids)`` and ``rate_lock_reasons_by_rate(ids)``: the reasons of
  many rows, one query per holder whatever their number, for the API's pages and the admin's
  delete confirmations;
- ``with_lock_flag(queryset)``: a ``locked`` annotation (``Exists`` over the same holder
  rows) for the admin's changelist, its badge and its ordering;
- ``lock_state(offering)`` and ``lock_badge(locked, status)``: the lock in words for the
  admin's pages, where an inactive offering that is still held reads as retired, not in use;
- ``reason_if_activated(rate)``: the reason an active rate would add, for the page that
  confirms an activation before it locks the offering.

So a new kind of holder, or a change of what locks (which quote statuses, which rate
statuses), is one edit here, and the services, the API and the admin cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import (
    BigIntegerField,
    Exists,
    Expression,
    F,
    Model,
    OuterRef,
    QuerySet,
    Window,
)
from django.db.models.functions import DenseRank

from pricing.models import Contract, ContractOffering, Offering, Quote, QuoteLine, Rate

#: How many holders of each kind a lock names; past them, one reason says there are more.
REASONS_LISTED = 5


class _EachId(Expression):
    """In a holder's query for one id of many (``Holder.statement``), that id."""

    table = "each_target"

    def __init__(self):
        super().__init__(output_field=BigIntegerField())

    def as_sql(self, compiler, connection):
        return f"{self.table}.id", []


@dataclass(frozen=True)
class Holder:
    """One kind of row that locks something while the row exists."""

    rows: QuerySet  # every row of this kind that locks (cloned by each use, never evaluated)
    target: str  # the field naming what it locks: "offering_id", "rate_id", ...
    key: str  # what one holder is: counted once, and listed in this order
    shown: str  # the field the reason names
    words: str  # the reason, with {} for the shown value
    more: str  # the reason that stands for the holders past the first ``REASONS_LISTED``

    @property
    def columns(self) -> tuple[str, ...]:
        """What a holder row reads: ``target``, then ``key``, then ``shown`` unless it is the
        key."""
        return tuple(dict.fromkeys((self.target, self.key, self.shown)))

    def of(self, ids: list[int], first: int) -> list[tuple]:
        """``columns`` of the ``first`` holders of each of these ids (by ``key``), each holder
        once, in ``key`` order: on PostgreSQL by ``statement``, elsewhere ``ranked``."""
        alias = self.rows.db
        if connections[alias].vendor != "postgresql":
            return list(self.ranked(ids, first))
        with connections[alias].cursor() as cursor:
            cursor.execute(*self.statement(ids, first))
            return cursor.fetchall()

    def ranked(self, ids: list[int], first: int) -> QuerySet:
        """``of`` by a window that ranks all the ids' holder rows (SQLite: small catalogs)."""
        rank = Window(DenseRank(), partition_by=F(self.target), order_by=F(self.key).asc())
        return (
            self.rows.filter(**{f"{self.target}__in": ids})
            .annotate(rank=rank)
            .filter(rank__lte=first)
            .values_list(*self.columns)
            .distinct()
            .order_by(self.target, self.key)
        )

    def statement(self, ids: list[int], first: int) -> tuple[str, list]:
        """PostgreSQL: for each id, its ``first`` holders by a query of its own (a ``LATERAL``
        join over the ids), which walks an index in ``key`` order and stops there: an
        offering sold a million times reads a few rows, not a million."""
        each = (
            self.rows.filter(**{self.target: _EachId()})
            .values_list(*self.columns)
            .distinct()
            .order_by(self.target, self.key)[:first]  # the index's order: one id, by key
        )
        sql, params = each.query.sql_with_params()
        return (
            f"SELECT holder.* FROM unnest(%s::bigint[]) AS {_EachId.table}(id) "
            f"CROSS JOIN LATERAL ({sql}) AS holder ORDER BY 1, 2",
            [list(ids), *params],
        )

    def exists(self, outer: str = "pk") -> Exists:
        """Whether the outer row has a holder of this kind."""
        return Exists(self.rows.filter(**{self.target: OuterRef(outer)}))


PROCESSED_QUOTES = Holder(
    rows=QuoteLine.objects.filter(quote__status=Quote.Status.PROCESSED),
    target="offering_id",
    key="quote_id",
    shown="quote_id",
    words="used by processed quote Q-{}",
    more="used by more processed quotes",
)
CONTRACTS = Holder(
    rows=ContractOffering.objects.all(),
    target="offering_id",
    key="contract_id",
    shown="contract_id",
    words="held by contract C-{}",
    more="held by more contracts",
)
ACTIVE_RATES = Holder(
    rows=Rate.objects.filter(status=Rate.Status.ACTIVE),
    target="offering_id",
    key="pk",
    shown="name",
    words="rate {!r} is active",
    more="more rates are active",
)
# What locks an offering, in the order its reasons are listed.
OFFERING_HOLDERS = (PROCESSED_QUOTES, CONTRACTS, ACTIVE_RATES)

# What locks a rate's prices: what it priced. A contract holds every offering of its quote's
# lines (``contract_create``), so a contract made from a quote the rate priced holds the rate.
RATE_HOLDERS = (
    Holder(
        rows=PROCESSED_QUOTES.rows,
        target="rate_id",
        key="quote_id",
        shown="quote_id",
        words="priced processed quote Q-{}",
        more="priced more processed quotes",
    ),
    Holder(
        rows=Contract.objects.all(),
        target="quote__lines__rate",
        key="pk",
        shown="pk",
        words="priced contract C-{}",
        more="priced more contracts",
    ),
)


def reasons_by_id(holders: tuple[Holder, ...], ids: Iterable[int]) -> dict[int, list[str]]:
    """Every id's reasons, ``[]`` if none: one query per kind of holder. Each kind names its
    first ``REASONS_LISTED`` holders, then, if it has more, says so in one reason."""
    ids = list(dict.fromkeys(ids))
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return reasons
    for holder in holders:
        named = defaultdict(int)
        for row in holder.of(ids, first=REASONS_LISTED + 1):
            target, shown = row[0], row[-1]  # ``Holder.columns``
            named[target] += 1
            if named[target] <= REASONS_LISTED:
                reasons[target].append(holder.words.format(shown))
            else:
                reasons[target].append(holder.more)
    return reasons


def lock_reasons(offering: Offering) -> list[str]:
    """Why the offering is locked (processed quotes, contracts, active rates); empty if not."""
    return reasons_by_id(OFFERING_HOLDERS, [offering.pk])[offering.pk]


def lock_reasons_by_offering(ids: Iterable[int]) -> dict[int, list[str]]:
    """``lock_reasons`` of many offerings by id, in a fixed number of queries."""
    return reasons_by_id(OFFERING_HOLDERS, ids)


def rate_lock_reasons(rate: Rate) -> list[str]:
    """Why a rate's prices may not change: processed quotes or contracts it priced."""
    return reasons_by_id(RATE_HOLDERS, [rate.pk])[rate.pk]


def rate_lock_reasons_by_rate(ids: Iterable[int]) -> dict[int, list[str]]:
    """``rate_lock_reasons`` of many rates by id, in a fixed number of queries."""
    return reasons_by_id(RATE_HOLDERS, ids)


def with_lock_flag(queryset: QuerySet[Offering]) -> QuerySet[Offering]:
    """Annotate ``locked`` on offerings in the same query, for lists."""
    return queryset.annotate(locked=reduce(or_, (h.exists() for h in OFFERING_HOLDERS)))


def holding(holder: Holder, obj: Model) -> QuerySet:
    """The rows of one kind that hold ``obj`` (for pages that show more than the reason)."""
    return holder.rows.filter(**{holder.target: obj.pk})


# --- The lock in words, for pages --------------------------------------------------------

LOCKED_FIELDS = "items, type and start date"


@dataclass(frozen=True)
class LockState:
    """An offering's lock as a page tells it: whether it is held, why, and in which words.

    An inactive offering sells nothing new; what still holds it (a processed quote, a
    contract, a rate left active) is what was sold, so it reads as retired, not as in use.
    """

    reasons: tuple[str, ...]
    retired: bool  # the offering is inactive

    @property
    def locked(self) -> bool:
        return bool(self.reasons)

    @property
    def headline(self) -> str:
        if self.retired and self.locked:
            return (
                f"Retired: this offering is inactive and sells nothing new. What was sold "
                f"still holds its {LOCKED_FIELDS}:"
            )
        if self.retired:
            return "Inactive: this offering sells nothing new, and nothing holds it: editable."
        if self.locked:
            return f"Locked: this offering is in use, so its {LOCKED_FIELDS} cannot change:"
        return "Editable: not in use."


def lock_state(offering: Offering) -> LockState:
    """``lock_reasons`` with the words a page shows them in."""
    return LockState(
        reasons=tuple(lock_reasons(offering)),
        retired=offering.status == Offering.Status.INACTIVE,
    )


def lock_badge(locked: bool, status: str) -> tuple[str, str]:
    """The changelist's badge (text, CSS class) from ``with_lock_flag``'s ``locked``."""
    if status == Offering.Status.INACTIVE:
        held = ("retired, still held", "lock-badge retired")
        return held if locked else ("inactive, editable", "lock-badge")
    return ("🔒 locked", "lock-badge locked") if locked else ("editable", "lock-badge")


def reason_if_activated(rate: Rate) -> str:
    """The reason an active ``rate`` gives its offering (``ACTIVE_RATES``'s words)."""
    return ACTIVE_RATES.words.format(getattr(rate, ACTIVE_RATES.shown))
