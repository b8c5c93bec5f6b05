"""Change impact: before a price, a rate or an offering changes, what the change touches.

- **Held by**: the processed quotes (and their contracts) that sold it. A processed quote
  keeps the price it recorded, so a change never reaches it; while such a quote exists the
  rate is locked (``pricing.lock`` says why, and is the only one that does).
- **Draft quotes**: each draft that sells it, priced as ``quote_process`` would price it
  today (``pricing.price_selector.line_prices`` picks each line's price, ``pricing.sales``
  builds the engine's lines), before and after the proposed change: old total → new total.
- **Listings**: the listings of the offers whose plans the offering prices, and on which
  marketplaces the portal shows it (the price selector's answer for that marketplace).
- **Relatives**: the offerings that share its history (its source and its clones, from
  ``insights.diff``), and the copy of the price or rate in each, which a change here does
  not reach.
- **Amounts**: for a proposed price, the amount of one billing period at a range of
  quantities (``insights.curves``: tier edges and evenly spaced ones), before and after; not
  for a percent of total or a commitment, which the quote's other lines price, nor for a
  price by delivery.

Each answer is a pure read in a fixed number of queries, whatever the number of quotes,
listings and clones: drafts are priced in memory from one load of their offerings' rates.
At most ``LIMIT`` quotes of each kind are priced and listed, newest first; the counts say
how many there are in all.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from catalog.models import Listing
from insights.curves import amount_at, sample_points
from insights.diff import clones_of, source_of
from pricing import pricebook
from pricing.errors import InvalidPriceBookItem, PriceMissing
from pricing.lock import (
    CONTRACTS,
    PROCESSED_QUOTES,
    RATE_HOLDERS,
    holding,
    lock_reasons,
    rate_lock_reasons,
)
from pricing.models import Offering, PriceBookItem, Quote, QuoteLine, Rate
from pricing.price_selector import Sale, best_price, line_prices, offering_rates
from pricing.pricebook.money import exact, round_money
from pricing.pricebook.snapshot import book_from
from pricing.pricebook.validation import PriceSpec, price_problems
from pricing.sales import quote_sale, role_of, scopes_of

LIMIT = 50  # quotes priced and listed, of each kind


@dataclass(frozen=True)
class HeldBy:
    """A processed quote that sold what changes (and keeps what it recorded)."""

    quote: int
    reference: str
    customer: str
    currency: str
    total: Decimal | None
    contract: int | None  # the contract made from it


@dataclass(frozen=True)
class DraftTotal:
    """A draft quote that sells what changes: its total now and with the change."""

    quote: int
    reference: str
    customer: str
    currency: str
    before: Decimal | None  # None: it cannot be priced (``problem_before`` says why)
    after: Decimal | None
    problem_before: str = ""
    problem_after: str = ""

    @property
    def changed(self) -> bool:
        return (self.before, self.problem_before) != (self.after, self.problem_after)

    @property
    def difference(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Shown:
    """A listing of an offer the offering prices, and whether its marketplace shows it."""

    listing: int
    offer: str
    marketplace: str
    currency: str
    status: str
    shows: bool  # listed, and the portal's price selector picks it there


@dataclass(frozen=True)
class Relative:
    """An offering that shares the history: the source it was cloned from, or a clone."""

    offering: int
    name: str
    status: str
    relation: str  # "source" or "clone"
    copy: int | None = None  # the same price or rate there (by rate name, item, attributes)


@dataclass(frozen=True)
class AmountRow:
    quantity: Decimal
    before: Decimal | None  # None: the interval does not exist on that side
    after: Decimal | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def units(self) -> Decimal:
        """The quantity without a column's trailing zeros."""
        return exact(self.quantity)


@dataclass(frozen=True)
class IntervalAmounts:
    number: int  # 1-based
    rows: tuple[AmountRow, ...]


@dataclass(frozen=True)
class Impact:
    subject: str  # "price", "rate" or "offering"
    name: str
    proposal: str  # the change in words; "" when none is proposed
    lock_reasons: tuple[str, ...]
    held_by: tuple[HeldBy, ...]
    held_count: int
    drafts: tuple[DraftTotal, ...]
    draft_count: int  # drafts that quote it (``drafts`` lists those it prices, of the newest)
    listings: tuple[Shown, ...]
    relatives: tuple[Relative, ...]
    currency: str = ""
    amounts: tuple[IntervalAmounts, ...] = field(default_factory=tuple)

    @property
    def changed_drafts(self) -> int:
        return sum(draft.changed for draft in self.drafts)

    def as_dict(self) -> dict:
        body = asdict(self)
        for draft, row in zip(self.drafts, body["drafts"], strict=True):
            row["changed"] = draft.changed
            row["difference"] = draft.difference
        for interval, row in zip(self.amounts, body["amounts"], strict=True):
            for amount, cell in zip(interval.rows, row["rows"], strict=True):
                cell["changed"] = amount.changed
        body["changed_drafts"] = self.changed_drafts
        return body


# --- The three subjects ------------------------------------------------------------------


def price_impact(pbi: PriceBookItem, *, user, proposed: PriceSpec | None = None) -> Impact:
    """What changing ``pbi`` touches; with ``proposed`` (the price as it would be saved:
    charge model, pricing type, options and intervals), the draft totals and the amounts at
    a range of quantities before and after. A proposal the rules refuse raises
    ``InvalidPriceBookItem`` with the same words as saving it would."""
    pbi = PriceBookItem.objects.select_related("rate__offering", "item").with_rows().get(pk=pbi.pk)
    rate, offering = pbi.rate, pbi.rate.offering
    before = pbi.to_engine()
    # A percent of total or a commitment is priced on the quote's other lines, not alone.
    charges = role_of(pbi.item) == pricebook.sale.CHARGE
    after = _proposed_book(proposed, rate.currency) if proposed is not None else None
    held = Quote.objects.filter(
        status=Quote.Status.PROCESSED, lines__price_book_item=pbi
    ).distinct()
    candidates = Quote.objects.filter(
        status=Quote.Status.DRAFT, lines__offering=offering, lines__item=pbi.item_id
    ).distinct()
    loaded = _Drafts(candidates, user, extra_offerings=[offering.pk])
    books = {pbi.pk: after} if after is not None else None
    drafts = loaded.totals(
        uses=lambda prices: any(found.pk == pbi.pk for found in prices.values()),
        after=(lambda quote, lines: loaded.price(quote, lines, books=books)) if books else None,
    )
    rates = loaded.rates.get(offering.pk, [])
    relatives = _relatives(offering, user)
    copies = dict(
        PriceBookItem.objects.filter(
            rate__offering__in=[r.offering for r in relatives],
            rate__name=rate.name,
            item_id=pbi.item_id,
            custom_attributes=pbi.custom_attributes,
        ).values_list("rate__offering_id", "pk")
    )
    return Impact(
        subject="price",
        name=str(pbi),
        proposal="the proposed price" if after is not None else "",
        lock_reasons=tuple(rate_lock_reasons(rate)),
        **_held(held, user),
        drafts=drafts,
        draft_count=loaded.count,
        listings=_listings(
            offering,
            user,
            shows=lambda market: (
                best_price(
                    rates,
                    pbi.item_id,
                    _portal_sale(market, rate.billing_frequency, pbi.custom_attributes),
                )
                == pbi
            ),
        ),
        relatives=tuple(_with_copy(r, copies) for r in relatives),
        currency=rate.currency,
        amounts=_amounts(before, after) if after is not None and charges else (),
    )


def rate_impact(rate: Rate, *, user, status: str | None = None) -> Impact:
    """What changing ``rate`` touches; with ``status``, the draft totals once the rate has
    that status (inactive: the drafts it prices fall to another rate, or to no price)."""
    rate = Rate.objects.select_related("offering").get(pk=rate.pk)
    offering = rate.offering
    quotes = holding(RATE_HOLDERS[0], rate).values("quote_id")
    held = Quote.objects.filter(pk__in=quotes)
    candidates = Quote.objects.filter(status=Quote.Status.DRAFT, lines__offering=offering)
    loaded = _Drafts(candidates.distinct(), user, extra_offerings=[offering.pk])
    after = None
    if status is not None and status != rate.status:
        # The loaded rate, with its prices (shared with the copy, read only).
        changed = copy.copy(_loaded(loaded.rates[offering.pk], rate.pk))
        changed.status = status
        after = loaded.with_rate(changed)
    drafts = loaded.totals(
        uses=lambda prices: any(found.rate_id == rate.pk for found in prices.values()),
        after=after,
    )
    rates = loaded.rates.get(offering.pk, [])

    priced = {pbi.item_id for pbi in _loaded(rates, rate.pk).price_book_items.all()}

    def shows(market) -> bool:
        sale = _portal_sale(market, rate.billing_frequency)
        return any(getattr(best_price(rates, i, sale), "rate_id", None) == rate.pk for i in priced)

    relatives = _relatives(offering, user)
    copies = dict(
        Rate.objects.filter(
            offering__in=[r.offering for r in relatives], name=rate.name
        ).values_list("offering_id", "pk")
    )
    return Impact(
        subject="rate",
        name=f"{rate.name} ({offering.name})",
        proposal=f"if {status}" if after is not None else "",
        lock_reasons=tuple(rate_lock_reasons(rate)),
        **_held(held, user),
        drafts=drafts,
        draft_count=loaded.count,
        listings=_listings(offering, user, shows=shows),
        relatives=tuple(_with_copy(r, copies) for r in relatives),
        currency=rate.currency,
    )


def offering_impact(offering: Offering, *, user) -> Impact:
    """What changing ``offering`` touches: what holds it (and so locks it), the drafts that
    quote it with their totals, the listings that show it, and its source and clones."""
    quotes = holding(PROCESSED_QUOTES, offering).values("quote_id")
    contracts = holding(CONTRACTS, offering).values("contract__quote_id")
    held = Quote.objects.filter(pk__in=quotes) | Quote.objects.filter(pk__in=contracts)
    candidates = Quote.objects.filter(status=Quote.Status.DRAFT, lines__offering=offering)
    loaded = _Drafts(candidates.distinct(), user, extra_offerings=[])
    return Impact(
        subject="offering",
        name=offering.name,
        proposal="",
        lock_reasons=tuple(lock_reasons(offering)),
        **_held(held, user),
        drafts=loaded.totals(uses=None, after=None),  # every draft that quotes it
        draft_count=loaded.count,
        listings=_listings(offering, user, shows=lambda market: True),
        relatives=tuple(_relatives(offering, user)),
    )


# --- Parts --------------------------------------------------------------------------------


def _proposed_book(proposed: PriceSpec, currency: str) -> pricebook.PriceBook:
    if problems := price_problems(proposed):
        raise InvalidPriceBookItem(" ".join(problems), errors={"intervals": problems})
    return book_from(proposed, proposed.intervals, currency)


def _held(quotes, user) -> dict:
    """The newest ``LIMIT`` processed quotes of ``quotes`` the user may see, and their count."""
    visible = quotes.filter(pk__in=Quote.objects.visible_to(user).values("pk"))
    rows = visible.select_related("contract").order_by("-pk")[:LIMIT]
    return {
        "held_by": tuple(
            HeldBy(
                quote=quote.pk,
                reference=quote.reference,
                customer=quote.customer,
                currency=quote.currency,
                total=None if quote.total is None else round_money(quote.total, quote.currency),
                contract=getattr(getattr(quote, "contract", None), "pk", None),
            )
            for quote in rows
        ),
        "held_count": visible.count(),
    }


class _Drafts:
    """The newest ``LIMIT`` draft quotes of ``candidates`` the user may see, with their
    lines, and the rates and application lists of every offering they quote (and of
    ``extra_offerings``), loaded once: each draft is then priced without a query."""

    def __init__(self, candidates, user, *, extra_offerings):
        visible = candidates.filter(pk__in=Quote.objects.visible_to(user).values("pk"))
        self.count = visible.count()
        self.quotes = list(visible.order_by("-pk")[:LIMIT])
        self.lines = defaultdict(list)
        for line in (
            QuoteLine.objects.filter(quote__in=self.quotes)
            .select_related("offering", "rate", "item")
            .order_by("quote_id", "pk")
        ):
            self.lines[line.quote_id].append(line)
        offerings = {line.offering_id for lines in self.lines.values() for line in lines}
        offerings.update(extra_offerings)
        self.rates = offering_rates(offerings)
        self.scopes = scopes_of(offerings)

    def price(self, quote, lines, *, rates=None, books=None) -> tuple[dict, Decimal]:
        """(line id → price book item, total) of a draft as processing would price it."""
        prices = line_prices(quote=quote, lines=lines, offering_rates=rates or self.rates)
        sale = quote_sale(lines, prices, self.scopes, books=books)
        priced = pricebook.price_sale(sale, start=quote.start_date, periods=quote.periods)
        return prices, sum((line.amount for line in priced.values()), Decimal(0))

    def with_rate(self, changed: Rate):
        """A pricer with ``changed`` in the place of the stored rate of the same id."""
        rates = {
            offering: [changed if rate.pk == changed.pk else rate for rate in found]
            for offering, found in self.rates.items()
        }
        return lambda quote, lines: self.price(quote, lines, rates=rates)

    def totals(self, *, uses, after) -> tuple[DraftTotal, ...]:
        """Each draft whose prices ``uses`` accepts (before or after; None: every draft), or
        whose total or problem the change alters: its total before and, with ``after`` (a
        pricer), after."""
        found = []
        for quote in self.quotes:
            lines = self.lines[quote.pk]
            before, problem_before = _attempt(self.price, quote, lines)
            if after is None:
                result, problem_after = before, problem_before
            else:
                result, problem_after = _attempt(after, quote, lines)
            outcomes = ((before[1], problem_before), (result[1], problem_after))
            used = uses is None or any(uses(p) for p, _ in (before, result) if p is not None)
            if not used and outcomes[0] == outcomes[1]:
                continue
            found.append(
                DraftTotal(
                    quote=quote.pk,
                    reference=quote.reference,
                    customer=quote.customer,
                    currency=quote.currency,
                    before=before[1],
                    after=result[1],
                    problem_before=problem_before,
                    problem_after=problem_after,
                )
            )
        return tuple(found)


def _attempt(pricer, quote, lines) -> tuple[tuple[dict | None, Decimal | None], str]:
    if not lines:
        return (None, None), f"Quote {quote.reference} has no lines."
    try:
        return pricer(quote, lines), ""
    except (PriceMissing, ValueError) as exc:
        return (None, None), str(exc)


def _portal_sale(market, billing_frequency: str, attributes=None) -> Sale:
    """The sale the portal asks of a marketplace (its channel and currency, no customer
    group), at one billing frequency and with a price's attributes."""
    return Sale(
        currency=market.currency,
        billing_frequency=billing_frequency,
        channel_id=market.pk,
        attributes=attributes or {},
    )


def _loaded(rates, pk):
    return next(rate for rate in rates if rate.pk == pk)


def _listings(offering: Offering, user, *, shows) -> tuple[Shown, ...]:
    """The listings of the offers whose plans ``offering`` prices, visible to the user."""
    listings = (
        Listing.objects.visible_to(user)
        .filter(offer__plans__offering=offering)
        .select_related("offer", "marketplace")
        .distinct()
        .order_by("offer__name", "marketplace__name", "pk")
    )
    return tuple(
        Shown(
            listing=listing.pk,
            offer=listing.offer.name,
            marketplace=listing.marketplace.name,
            currency=listing.marketplace.currency,
            status=listing.status,
            shows=listing.status == Listing.Status.LISTED and shows(listing.marketplace),
        )
        for listing in listings
    )


def _relatives(offering: Offering, user) -> list[Relative]:
    """Its source and its clones (newest first) that the user may see."""
    source, clones = source_of(offering), clones_of(offering)
    wanted = ([source] if source else []) + clones
    found = Offering.objects.visible_to(user).in_bulk(wanted)
    return [
        Relative(
            offering=pk,
            name=found[pk].name,
            status=found[pk].status,
            relation="source" if pk == source else "clone",
        )
        for pk in dict.fromkeys(wanted)
        if pk in found
    ]


def _with_copy(relative: Relative, copies: dict[int, int]) -> Relative:
    return Relative(**{**asdict(relative), "copy": copies.get(relative.offering)})


def _amounts(before: pricebook.PriceBook, after: pricebook.PriceBook) -> tuple:
    """Per interval (paired by number), the amount of one period at each quantity either
    price draws (its edges and evenly spaced ones), before and after."""
    if before.model.counts_deliveries or after.model.counts_deliveries:
        return ()  # priced by the deliveries in a period, not by a quantity (as the curves)
    found = []
    for index in range(max(len(before.intervals), len(after.intervals))):
        sides = [
            (book, book.intervals[index]) if index < len(book.intervals) else None
            for book in (before, after)
        ]
        quantities = sorted(
            {point for side in sides if side for point in sample_points(side[0], side[1])}
        )
        rows = tuple(
            AmountRow(
                quantity=quantity,
                **{
                    name: amount_at(*side, quantity) if side else None
                    for name, side in zip(("before", "after"), sides, strict=True)
                },
            )
            for quantity in quantities
        )
        found.append(IntervalAmounts(number=index + 1, rows=rows))
    return tuple(found)
