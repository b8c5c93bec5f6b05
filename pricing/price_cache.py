"""An offering's rates and prices, kept between sales while its revision token stays.

A sale loads the rates of the offerings it sells, each with its prices, intervals and tiers
(four queries), to choose the price of each line. Those rows change only under the
offering's row lock (``lock_offering``), which gives the offering a new revision token
(``revise``); the sale holds the same lock in share mode and then reads the tokens, so no
writer can change the rows or the tokens before it commits. What was loaded at a token is
therefore what every later sale at that token would load: it is kept here, in this process,
and reused. The tokens are read after the lock is taken, by a statement of their own
(``pricing.refusals.share_offerings`` says why).

A token is random and written once, so a state a writer rolled back can never be mistaken
for a later one. An offering without a token (made by a bulk copy, never written since) is
loaded each time. What is kept is shared between threads and never changed: a sale reads ids
and prices from it and assigns no instance of it to a row it saves.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from uuid import UUID

from django.db.models import QuerySet

from pricing.models import OfferingRevision, Rate

#: How many offerings' prices a process keeps (the least recently sold are dropped).
KEPT = 256

_kept: OrderedDict[tuple[int, UUID], list[Rate]] = OrderedDict()
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


def rates_at(tokens: Mapping[int, UUID | None], load) -> dict[int, list[Rate]]:
    """The rates of these offerings (offering id → its revision token), each with its prices
    loaded: kept ones where the token is the one kept with them, the rest from
    ``load(ids)``, which returns {offering id: [rates]} with every price of those rates.

    The tokens must have been read once the offerings' row locks were held, by a statement
    that did not itself wait for them (``pricing.refusals.share_offerings``)."""
    found: dict[int, list[Rate]] = {}
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
                found[offering_id] = loaded.get(offering_id, [])
                if (token := tokens[offering_id]) is not None:
                    _kept[offering_id, token] = found[offering_id]
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return found


def kept_offerings() -> Iterable[int]:
    """The ids of the offerings whose prices are kept (for tests)."""
    with _guard:
        return [offering_id for offering_id, _token in _kept]


def forget() -> None:
    """Drop everything kept (tests that compare a sale with and without it)."""
    with _guard:
        _kept.clear()
