"""What a sale reads of an offering, kept between sales while its revision token stays.

A sale loads, for each offering it sells, the items the offering holds and its rates, each
with its prices, intervals and tiers (five queries): what it checks the lines against and
chooses each line's price among. Those rows change only under the offering's row lock
(``lock_offering``), which gives the offering a new revision token (``revise``); the sale
holds the same lock in share mode and then reads the tokens, so no writer can change the
rows or the tokens before it commits. What was loaded at a token is therefore what every
later sale at that token would load: it is kept here, in this process, and reused. The
tokens are read after the lock is taken, by a statement of their own
(``pricing.refusals.share_offerings`` says why). Rows a writer of the offering does not
guard (an item's kind, its MPN) are not kept.

A token is random and written once, so a state a writer rolled back can never be mistaken
for a later one. An offering without a token (made by a bulk copy, never written since) is
loaded each time. What is kept is shared between threads and never changed: a sale reads ids
and prices from it and assigns no instance of it to a row it saves.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from pricing.models import OfferingRevision, Rate

#: How many offerings a process keeps (the least recently sold are dropped).
KEPT = 256


@dataclass(frozen=True)
class Kept:
    """What a sale reads of one offering and only the offering's writers change."""

    rates: list[Rate]  # every rate, each with its prices, intervals and tiers
    items: Mapping[int, bool]  # the items it holds: item id → required


_kept: OrderedDict[tuple[int, UUID], Kept] = OrderedDict()
_guard = threading.Lock()


def revise(offering_id: int) -> None:
    """Give the offering a new revision token (under its row lock): what sales kept of it
    is stale from the moment the writer commits."""
    OfferingRevision.objects.bulk_create(
        [OfferingRevision(offering_id=offering_id, token=uuid.uuid4())],
        update_conflicts=True,
        unique_fields=["offering"],
        update_fields=["token"],
    )


def revise_kept(offerings: QuerySet[OfferingRevision] | Iterable[int]) -> None:
    """Give a new token to those of these offerings that have one (ids, or their revisions as
    a queryset): for changes made around ``lock_offering`` (a delete's cascade, a renamed
    channel). An offering without a token has nothing kept, and gets none here: its row may
    be going, with the offering, in the same delete."""
    if not isinstance(offerings, QuerySet):
        offerings = OfferingRevision.objects.filter(offering_id__in=list(offerings))
    offerings.update(token=uuid.uuid4())


def kept_at(
    tokens: Mapping[int, UUID | None], load: Callable[[list[int]], Mapping[int, Kept]]
) -> dict[int, Kept]:
    """What a sale reads of these offerings (offering id → its revision token): kept where
    the token is the one kept with it, the rest from ``load(ids)`` ({offering id: Kept},
    every id given).

    The tokens must have been read once the offerings' row locks were held, by a statement
    that did not itself wait for them (``pricing.refusals.share_offerings``)."""
    found: dict[int, Kept] = {}
    with _guard:
        for offering_id, token in tokens.items():
            if token is not None and (kept := _kept.get((offering_id, token))) is not None:
                _kept.move_to_end((offering_id, token))
                found[offering_id] = kept
    missing = [offering_id for offering_id in tokens if offering_id not in found]
    if missing:
        loaded = load(missing)
        with _guard:
            for offering_id in missing:
                found[offering_id] = loaded[offering_id]
                if (token := tokens[offering_id]) is not None:
                    _kept[offering_id, token] = found[offering_id]
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return found


def kept_offerings() -> Iterable[int]:
    """The ids of the offerings kept (for tests)."""
    with _guard:
        return [offering_id for offering_id, _token in _kept]


def forget() -> None:
    """Drop everything kept (tests that compare a sale with and without it)."""
    with _guard:
        _kept.clear()
