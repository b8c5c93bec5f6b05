"""A price frozen as JSON when it sells, and read back to recompute what was sold.

Every snapshot carries ``version``. Version 1 (no ``version`` key) is what quotes
processed before the charge-model registry stored: the fields of that time, and
percent-of-total lines priced with their first interval's percentage for the whole term.
Version 2 adds the fields of the catalog that version 1 lacked (each read at its default,
which prices as version 1 did), the item's role and billing period, and what the line
applied to. Version 3 trues a commitment up period by period, and its application list
(and a percent's) reaches lines of any offering on the quote; versions 1 and 2 trued up once
over the term, with the lines of the commitment's own offering. A reader of version N reads
every version up to N; a new field needs no new version unless reading it at its default
would change an amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pricing.pricebook.fields import INTERVAL, PRICE, TIER, values
from pricing.pricebook.structure import Interval, PriceBook, Tier

VERSION = 3


@dataclass(frozen=True)
class Snapshot:
    book: PriceBook
    version: int
    role: str | None = None  # charge, percent_of_total, minimum_commit; None before v2
    period_months: int | None = None
    one_time: bool | None = None
    scope: tuple[int, ...] | None = None  # item ids the line applied to; None before v2


def dump(
    book: PriceBook,
    *,
    role: str,
    period_months: int,
    one_time: bool,
    scope: Iterable[int] = (),
) -> dict:
    """The snapshot of a price as it sells on one line."""
    return {
        "version": VERSION,
        "charge_model": book.charge_model,
        "currency": book.currency,
        "role": role,
        "period_months": period_months,
        "one_time": one_time,
        "scope": sorted(scope),
        **{f.name: f.dump(getattr(book, f.name)) for f in PRICE},
        "intervals": [
            {
                "duration_unit": str(interval.duration_unit),
                "duration": interval.duration,
                **{f.name: f.dump(getattr(interval, f.name)) for f in INTERVAL},
                "tiers": [
                    {f.name: f.dump(getattr(tier, f.name)) for f in TIER} for tier in interval.tiers
                ],
            }
            for interval in book.intervals
        ],
    }


def load(data: dict) -> Snapshot:
    """Read a snapshot of any version; fields it lacks take their defaults."""
    version = data.get("version", 1)
    if not isinstance(version, int) or not 1 <= version <= VERSION:
        raise ValueError(f"Unknown snapshot version {version!r} (this code reads 1 to {VERSION}).")
    book = PriceBook(
        charge_model=data["charge_model"],
        currency=data["currency"],
        intervals=tuple(
            Interval(
                duration_unit=interval["duration_unit"],
                duration=interval["duration"],
                tiers=tuple(
                    Tier(**{f.name: f.load(tier.get(f.name)) for f in TIER})
                    for tier in interval["tiers"]
                ),
                **{f.name: f.load(interval.get(f.name)) for f in INTERVAL},
            )
            for interval in data["intervals"]
        ),
        **{f.name: f.load(data.get(f.name)) for f in PRICE},
    )
    if version == 1:
        return Snapshot(book, 1)
    return Snapshot(
        book,
        version,
        role=data["role"],
        period_months=data["period_months"],
        one_time=data["one_time"],
        scope=tuple(data["scope"]),
    )


def book_from(price, intervals, currency: str) -> PriceBook:
    """The engine's price from anything that names the catalog's fields: model rows (with
    ``interval.tiers.all()``), specs (``interval.tiers``), or engine dataclasses."""
    return PriceBook(
        charge_model=price.charge_model,
        currency=currency,
        intervals=tuple(
            Interval(
                duration_unit=interval.duration_unit,
                duration=interval.duration,
                tiers=tuple(Tier(**values(tier, TIER)) for tier in _tiers(interval)),
                **values(interval, INTERVAL),
            )
            for interval in intervals
        ),
        **values(price, PRICE),
    )


def _tiers(interval):
    tiers = interval.tiers
    return tiers.all() if hasattr(tiers, "all") else tiers
