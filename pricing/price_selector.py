"""Which price applies to a sale: the one place that decides (Oscar's pricing strategy).

A sale is asked for in a currency, for a billing frequency, on a sales channel (marketplace),
for a customer group, with custom attributes, on a date. The rules, in order:

1. the offering is available on the date (active, between its start and end dates);
2. only active rates in the sale's currency (and billing frequency, when one is asked) sell;
3. a rate for a sales channel sells only on that channel; a rate for every channel sells
   on any;
4. a rate for a customer group sells only to that group; a rate for no group sells to any;
5. the price must match the custom attributes exactly (no attributes: the price without);
6. of the rates left that price the item, a customer group's rate beats the group-less one,
   then a channel's rate beats the every-channel one. (Two rates cannot tie: a price book
   item is unique per item and attributes among rates of the same currency, frequency,
   channel and group.)

``select_price`` answers one item with its price book item or ``PriceUnavailable`` naming
the reason; ``select_prices`` answers a page of offerings at once for the portal. Quote
processing, the price preview, the portal and the API ask these; nothing else filters prices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from pricing.errors import PriceMissing
from pricing.models import Offering, PriceBookItem, Rate

# Why no price applies: the ``reason`` of PriceUnavailable.
OFFERING_UNAVAILABLE = "offering_unavailable"
NO_RATE = "no_rate"
OTHER_CHANNEL = "other_channel"
OTHER_CUSTOMER_GROUP = "other_customer_group"
NO_PRICE = "no_price"
OTHER_ATTRIBUTES = "other_attributes"
OTHER_RATE = "other_rate"  # a quote line names a rate, and another one applies


class PriceUnavailable(PriceMissing):
    """No price applies to the sale; ``reason`` says which rule refused it."""

    def __init__(self, message: str, *, reason: str, **details):
        super().__init__(message, errors={"price": [message]}, reason=reason, **details)
        self.reason = reason


@dataclass(frozen=True)
class Sale:
    """What selects a price."""

    currency: str
    billing_frequency: str | None = None  # None: any (the portal lists each)
    channel_id: int | None = None  # the marketplace sold on; None: no channel
    customer_group: str = ""
    attributes: Mapping = field(default_factory=dict)
    on: date | None = None  # None: today

    def sells(self, rate: Rate) -> str | None:
        """Why this rate cannot price the sale (a reason), or None when it can."""
        if rate.status != Rate.Status.ACTIVE or rate.currency != self.currency:
            return NO_RATE
        if self.billing_frequency and rate.billing_frequency != self.billing_frequency:
            return NO_RATE
        if rate.sales_channel_id is not None and rate.sales_channel_id != self.channel_id:
            return OTHER_CHANNEL
        if rate.customer_group and rate.customer_group != self.customer_group:
            return OTHER_CUSTOMER_GROUP
        return None


def specificity(rate: Rate) -> tuple[bool, bool]:
    """How specific a rate is: a customer group's first, then a channel's (higher wins)."""
    return (bool(rate.customer_group), rate.sales_channel_id is not None)


def best_price(rates: Iterable[Rate], item_id: int, sale: Sale) -> PriceBookItem | str:
    """Among rates with their price book items loaded, the price that applies to the item;
    else the reason none does: attributes that match no price, then rates that price the
    item for another group or channel, then no rate that sells at all, then no price."""
    best, best_rank, reasons, any_sells = None, None, set(), False
    for rate in rates:
        prices = [pbi for pbi in rate.price_book_items.all() if pbi.item_id == item_id]
        if why := sale.sells(rate):
            if prices:
                reasons.add(why)
            continue
        any_sells = True
        if not prices:
            continue
        matching = [pbi for pbi in prices if pbi.custom_attributes == dict(sale.attributes)]
        if not matching:
            reasons.add(OTHER_ATTRIBUTES)
            continue
        rank = specificity(rate)
        if best_rank is None or rank > best_rank:
            best, best_rank = matching[0], rank
    if best is not None:
        return best
    for reason in (OTHER_ATTRIBUTES, OTHER_CUSTOMER_GROUP, OTHER_CHANNEL):
        if reason in reasons:
            return reason
    return NO_PRICE if any_sells else NO_RATE


def reason_words(reason: str, *, item, offering_name: str, sale: Sale, rate=None) -> str:
    """A refusal in words, naming what was asked for."""
    frequency = f", billed {sale.billing_frequency}" if sale.billing_frequency else ""
    asked = f"{sale.currency}{frequency}"
    if rate is not None:
        where = {
            NO_RATE: f"rate {rate.name!r} does not sell in {asked}",
            OTHER_CHANNEL: f"rate {rate.name!r} sells only on {rate.sales_channel}",
            OTHER_CUSTOMER_GROUP: f"rate {rate.name!r} is for customer group "
            f"{rate.customer_group!r} only",
            OTHER_ATTRIBUTES: f"rate {rate.name!r} has no price with the custom attributes "
            f"{dict(sale.attributes)}",
            NO_PRICE: f"rate {rate.name!r} has no price for it",
        }[reason]
    else:
        where = MESSAGES[reason].format(
            offering=repr(offering_name),
            currency=sale.currency,
            frequency=frequency,
            attributes=dict(sale.attributes),
        )
    return f"No price for {item.mpn}: {where}."


def why_this_price(pbi: PriceBookItem) -> str:
    """What made a price apply, for the record of a sale."""
    rate = pbi.rate
    channel = f"channel {rate.sales_channel}" if rate.sales_channel_id else "every channel"
    group = (
        f"customer group {rate.customer_group!r}" if rate.customer_group else "any customer group"
    )
    attributes = f", attributes {pbi.custom_attributes}" if pbi.custom_attributes else ""
    terms = f"{rate.currency}, {rate.billing_frequency}, {channel}, {group}"
    return f"rate {rate.name!r} ({terms}){attributes}"


def _rates(offering_ids, sale: Sale, items=None):
    prices = PriceBookItem.objects.select_related("item").with_rows()
    if items is not None:
        prices = prices.filter(item__in=items)
    return (
        Rate.objects.filter(offering_id__in=offering_ids, currency=sale.currency)
        .select_related("offering", "sales_channel")
        .prefetch_related(Prefetch("price_book_items", prices.order_by("item__mpn", "pk")))
        .order_by("offering_id", "billing_frequency", "name", "pk")
    )


MESSAGES = {
    NO_RATE: "no active rate of offering {offering} sells in {currency}{frequency}",
    OTHER_CHANNEL: "its rates in {currency}{frequency} sell on other channels",
    OTHER_CUSTOMER_GROUP: "its rates in {currency}{frequency} are for other customer groups",
    OTHER_ATTRIBUTES: "no price has the custom attributes {attributes}",
    NO_PRICE: "no rate of offering {offering} in {currency}{frequency} prices it",
}


def select_price(*, offering: Offering, item, sale: Sale) -> PriceBookItem:
    """The price book item that applies to selling ``item`` of ``offering`` in ``sale``."""
    on = sale.on or timezone.localdate()
    if not offering.is_available(on):
        raise PriceUnavailable(
            f"Offering {offering.name!r} is not available on {on}.", reason=OFFERING_UNAVAILABLE
        )
    found = best_price(_rates([offering.pk], sale, items=[item.pk]), item.pk, sale)
    if isinstance(found, PriceBookItem):
        return found
    words = reason_words(found, item=item, offering_name=offering.name, sale=sale)
    raise PriceUnavailable(words, reason=found, item=item.pk)


def offering_rates(
    offering_ids: Iterable[int], *, items: Iterable[int] | None = None, versions: bool = False
) -> dict[int, list[Rate]]:
    """Every rate of these offerings with its prices, intervals and tiers loaded, by
    offering id (four queries however many): what ``line_prices`` chooses among.

    ``items`` loads the prices of those items only (all a quote's lines can sell at);
    ``versions`` gives each price its ``version``: the id of its newest history row."""
    prices = PriceBookItem.objects.with_rows()
    if items is not None:
        prices = prices.filter(item_id__in=set(items))
    if versions:
        newest = PriceBookItem.history.filter(id=OuterRef("pk")).order_by("-history_id")
        prices = prices.annotate(version=Subquery(newest.values("history_id")[:1]))
    found = defaultdict(list)
    for rate in (
        Rate.objects.filter(offering_id__in=set(offering_ids))
        .select_related("sales_channel")
        .prefetch_related(Prefetch("price_book_items", prices.order_by("pk")))
        .order_by("pk")
    ):
        found[rate.offering_id].append(rate)
    return found


def line_prices(*, quote, lines, offering_rates: Mapping[int, list[Rate]], on=None) -> dict:
    """The price each line of a quote sells at, chosen among ``offering_rates`` (loaded by
    ``offering_rates``; no query): line id → price book item.

    A line names its billing frequency and custom attributes, and may name its rate; the
    quote its currency, sales channel and customer group. Without a rate, the rules pick the
    price among all the offering's rates. A named rate must sell to the quote, and its price
    must be the one the rules pick: a line that names the every-channel rate where the
    quote's channel has its own is refused, naming the rate that applies. Raises
    PriceUnavailable for the first line that fails."""
    named = {rate.pk: rate for rates in offering_rates.values() for rate in rates}
    chosen = {}
    for number, line in enumerate(lines, start=1):
        where = f"Line {number} ({line.item.mpn})"
        sale = Sale(
            currency=quote.currency,
            billing_frequency=line.billing_frequency,
            channel_id=quote.sales_channel_id,
            customer_group=quote.customer_group,
            attributes=line.custom_attributes or {},
            on=on,
        )
        best = best_price(offering_rates.get(line.offering_id, ()), line.item_id, sale)
        if line.rate_id is None:  # the selector picks the rate
            if not isinstance(best, PriceBookItem):
                words = reason_words(
                    best, item=line.item, offering_name=line.offering.name, sale=sale
                )
                raise PriceUnavailable(f"{where}: {words}", reason=best, line=line.pk)
            chosen[line.pk] = best
            continue
        rate = named.get(line.rate_id)
        if rate is None:  # a rate of another offering: processing refuses it before this
            raise PriceUnavailable(
                f"{where}: rate {line.rate.name!r} belongs to another offering.",
                reason=NO_RATE,
                line=line.pk,
            )
        found = best_price([rate], line.item_id, sale)
        if not isinstance(found, PriceBookItem):
            words = reason_words(
                found, item=line.item, offering_name=line.offering.name, sale=sale, rate=rate
            )
            raise PriceUnavailable(f"{where}: {words}", reason=found, line=line.pk)
        if best != found:
            raise PriceUnavailable(
                f"{where}: rate {rate.name!r} is not the price for this sale: "
                f"{why_this_price(best)} applies; quote that rate, or leave the rate out.",
                reason=OTHER_RATE,
                line=line.pk,
            )
        chosen[line.pk] = found
    return chosen


def select_prices(*, offerings: Iterable[Offering], sale: Sale, items=None) -> dict:
    """For a page: {offering id: {billing frequency: [price book items]}}, each item's
    applicable price per billing frequency (offerings not available on the date price
    nothing). ``items`` limits the items (a queryset the caller may see)."""
    on = sale.on or timezone.localdate()
    available = [o.pk for o in offerings if o.is_available(on)]
    by_offering = defaultdict(list)
    for rate in _rates(available, sale, items=items):
        by_offering[rate.offering_id].append(rate)
    result: dict[int, dict[str, list[PriceBookItem]]] = {}
    for offering_id, rates in by_offering.items():
        per_frequency = defaultdict(list)
        for frequency in dict.fromkeys(rate.billing_frequency for rate in rates):
            asked = Sale(**{**vars(sale), "billing_frequency": frequency})
            item_ids = dict.fromkeys(
                pbi.item_id
                for rate in rates
                if rate.billing_frequency == frequency
                for pbi in rate.price_book_items.all()
            )
            for item_id in item_ids:
                found = best_price(rates, item_id, asked)
                if isinstance(found, PriceBookItem):
                    per_frequency[frequency].append(found)
        result[offering_id] = dict(per_frequency)
    return result


def price_in_rate(*, rate: Rate, item, attributes: Mapping | None = None) -> PriceBookItem:
    """The price of ``item`` in a rate the caller named (a preview of that rate): the rate
    is taken as asked, and the attributes must match exactly."""
    attributes = dict(attributes or {})
    for pbi in rate.price_book_items.all():
        if pbi.item_id == item.pk and pbi.custom_attributes == attributes:
            return pbi
    reason = (
        OTHER_ATTRIBUTES
        if any(pbi.item_id == item.pk for pbi in rate.price_book_items.all())
        else NO_PRICE
    )
    raise PriceUnavailable(
        f"Rate {rate.name!r} has no price for {item.mpn}"
        + (f" with the custom attributes {attributes}" if reason == OTHER_ATTRIBUTES else "")
        + ".",
        reason=reason,
        item=item.pk,
    )
