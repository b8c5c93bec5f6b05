"""What a sale reads of an offering, kept between sales while its revision token stays.

A sale loads, for each offering it sells, the items the offering holds and its rates, with
the prices of the items it quotes, each with its intervals and tiers (five queries): what it
checks the lines against and chooses each line's price among. Those rows change only under
the offering's row lock (``lock_offering``), which gives the offering a new revision token
(``revise``); the sale holds the same lock in share mode and then reads the tokens, so no
writer can change the rows or the tokens before it commits. What was loaded at a token is
therefore what every later sale at that token would load: it is kept here, in this process,
and reused. The tokens are read after the lock is taken, by a statement of their own
(``pricing.refusals.share_quote_offerings`` says why). Rows a writer of the offering does not
guard (an item's kind, its MPN) are not kept.

Only the prices of items a sale asked for are loaded: a sale of an item not yet priced
loads the offering again with that item's prices and those already kept, so what is kept
follows what sells, not the offering's size (an offering of 500 prices with 10 intervals of
3 tiers each is about 34 MB of rows). What a process keeps is bounded by rows (``KEPT_ROWS``:
prices, intervals and tiers, and one for each offering); the least recently sold offerings
are dropped first, and an offering larger than the whole bound is loaded at each sale.

A token is random and written once, so a state a writer rolled back can never be mistaken
for a later one. An offering without a token (made by a bulk copy, never written since) is
loaded each time. What is kept is shared between threads and never changed (but for the
engine's form of each price, made once at its first sale: ``Kept.book``): a sale reads ids
and prices from it and assigns no instance of it to a row it saves.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import QuerySet

from pricing.models import OfferingRevision, Rate
from pricing.pricebook import PriceBook

#: How many rows a process keeps: prices, intervals and tiers, and one per offering (about
#: 1.7 KB each); the least recently sold offerings are dropped first.
KEPT_ROWS = 20_000


@dataclass(frozen=True)
class Kept:
    """What a sale reads of one offering and only the offering's writers change."""

    rates: list[Rate]  # every rate, with the prices of ``priced``, their intervals and tiers
    items: Mapping[int, bool]  # the items it holds: item id → required
    priced: frozenset[int] = frozenset()  # the items whose prices were loaded
    # price book item id → the engine's form of the price, made at its first sale
    books: dict = field(default_factory=dict, compare=False, repr=False)

    def book(self, price) -> PriceBook:
        """The engine's form of one of its prices (``to_engine``), made once: a kept price
        does not change."""
        if (book := self.books.get(price.pk)) is None:
            book = self.books[price.pk] = price.to_engine()
        return book

    @property
    def rows(self) -> int:
        """What keeping it costs: one, and one for each price, interval and tier."""
        prices = [pbi for rate in self.rates for pbi in rate.price_book_items.all()]
        intervals = [interval for pbi in prices for interval in pbi.intervals.all()]
        return 1 + len(prices) + len(intervals) + sum(len(i.tiers.all()) for i in intervals)


#: How many offerings a process remembers as sold (``sold_at``); the least recently sold go.
SOLD_KEPT = 10_000

# (offering id, token) → (what is kept, its rows); the rows of all of them
_kept: OrderedDict[tuple[int, UUID], tuple[Kept, int]] = OrderedDict()
_rows = 0
# (offering id, token) of offerings read as sold
_sold: OrderedDict[tuple[int, UUID], None] = OrderedDict()
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
    tokens: Mapping[int, UUID | None],
    items: Mapping[int, Iterable[int]],
    load: Callable[[Mapping[int, frozenset[int]]], Mapping[int, Kept]],
) -> dict[int, Kept]:
    """What a sale of ``items`` (offering id → the item ids it prices) reads of these
    offerings (offering id → its revision token): kept where the token is the one kept with
    it and its prices cover the items, the rest from ``load({offering id: item ids})``, which
    returns a ``Kept`` for every offering given, with the prices of those items.

    The tokens must have been read once the offerings' row locks were held, by a statement
    that did not itself wait for them (``pricing.refusals.share_quote_offerings``)."""
    found: dict[int, Kept] = {}
    wanted: dict[int, frozenset[int]] = {}
    with _guard:
        for offering_id, token in tokens.items():
            asked = frozenset(items.get(offering_id, ()))
            held = _kept.get((offering_id, token)) if token is not None else None
            if held is not None and asked <= held[0].priced:
                _kept.move_to_end((offering_id, token))
                found[offering_id] = held[0]
            else:  # with the items already kept: what sells stays kept
                wanted[offering_id] = asked | (held[0].priced if held is not None else frozenset())
    if wanted:
        loaded = load(wanted)
        with _guard:
            for offering_id in wanted:
                found[offering_id] = kept = loaded[offering_id]
                if (token := tokens[offering_id]) is not None:
                    _keep((offering_id, token), kept)
    return found


def _keep(key: tuple[int, UUID], kept: Kept) -> None:
    """Keep ``kept`` as the most recently sold, dropping the least recently sold until the
    rows fit (under ``_guard``)."""
    global _rows
    if (held := _kept.pop(key, None)) is not None:
        _rows -= held[1]
    rows = kept.rows
    if rows > KEPT_ROWS:
        return
    _kept[key] = (kept, rows)
    _rows += rows
    while _rows > KEPT_ROWS:
        _rows -= _kept.popitem(last=False)[1][1]


def sold_at(offering_id: int, token: UUID | None) -> bool:
    """Whether the offering was read as sold (``learn_sold``) at this token. A processed quote
    is never undone nor deleted, so an offering once sold stays sold; the token keeps a sold
    offering apart from a later one of the same id (a test's rolled-back rows)."""
    if token is None:
        return False
    with _guard:
        if (offering_id, token) in _sold:
            _sold.move_to_end((offering_id, token))
            return True
    return False


def learn_sold(offering_id: int, token: UUID | None) -> None:
    """Remember that the offering has a processed quote, as a committed row says."""
    if token is None:
        return
    with _guard:
        _sold[offering_id, token] = None
        while len(_sold) > SOLD_KEPT:
            _sold.popitem(last=False)


def kept_offerings() -> Iterable[int]:
    """The ids of the offerings kept (for tests)."""
    with _guard:
        return [offering_id for offering_id, _token in _kept]


def forget() -> None:
    """Drop everything kept (tests that compare a sale with and without it)."""
    global _rows
    with _guard:
        _kept.clear()
        _sold.clear()
        _rows = 0
