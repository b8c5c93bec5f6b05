"""Many sales of one offering at once, against writers of that offering (PostgreSQL only).

A sale takes the offering's row lock in share mode (``pricing.refusals.share_quote_offerings``):
quotes of one offering are processed together, and a writer, which takes the lock for update,
waits for them as they wait for it. Each trial starts four quote processings of one offering,
a price change and an item added to it behind one barrier, then checks what was recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from catalog.models import Item
from catalog.tests.factories import ItemFactory, ProductFactory, VendorFactory
from catalog.tests.generated import report
from catalog.tests.profiles import cases
from pricing import rates, selling, services
from pricing.errors import OfferingLocked, RateLocked
from pricing.models import OfferingItem, PriceInterval, Quote
from pricing.pricebook import IntervalSpec
from pricing.quote_lines import QuoteLineSpec
from pricing.tests.test_races import (  # noqa: F401 (a fixture)
    ROW_LOCK_RACES,
    _without_row_locks,
    race,
)

TRIALS = cases(40)
SALES = 4

pytestmark = ROW_LOCK_RACES


def draft_quotes(offering, rate, seats, fee, *, periods: int) -> list[Quote]:
    """SALES draft quotes of 10 seats and the fee for ``periods`` periods of ``rate``."""
    lines = [
        QuoteLineSpec(offering, rate, seats, Decimal(10)),
        QuoteLineSpec(offering, rate, fee, Decimal(1)),
    ]
    return [
        selling.quote_create(
            vendor=offering.vendor,
            customer=f"Customer {k}",
            currency="USD",
            start_date=date(2026, 1, 1),
            periods=periods,
            lines=lines,
        )
        for k in range(SALES)
    ]


def hot_offering(n: int) -> dict:
    """An offering of seats (12.00 a month) and a fee (1,500.00 once) with an active rate
    that has sold nothing yet (its prices may still change), and SALES draft quotes of 10
    seats and the fee for 12 months."""
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor)
    seats = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION)
    fee = ItemFactory(product=product, kind=Item.Kind.ONE_TIME)
    extra = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION)
    offering = services.offering_create(vendor=vendor, name=f"Hot {n}", start_date=date(2026, 1, 1))
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(item=seats, default_quantity=10, required=True),
            services.OfferingLine(item=fee, default_quantity=1, required=True),
        ],
    )
    rate = rates.rate_create(offering=offering, name="USD", currency="USD")
    seats_price = rates.price_book_item_save(
        rate=rate, item=seats, charge_model="per_unit", intervals=[IntervalSpec(price=Decimal(12))]
    )
    rates.price_book_item_save(
        rate=rate, item=fee, charge_model="flat_fee", intervals=[IntervalSpec(price=Decimal(1500))]
    )
    rates.rate_activate(rate=rate)
    quotes = draft_quotes(offering, rate, seats, fee, periods=12)
    return {
        "offering": offering,
        "rate": rate,
        "seats": seats,
        "fee": fee,
        "seats_price": seats_price,
        "extra": extra,
        "quotes": quotes,
    }


def count_price_change(change, outcomes: dict) -> None:
    """The price changed before every sale, or after none: it is refused once one sold."""
    if change[0] == "ok":
        outcomes["price changed first"] += 1
    else:
        assert isinstance(change[1], RateLocked), change
        outcomes["price change refused"] += 1


def test_sales_of_one_offering_go_on_together_and_writers_wait_for_them():
    outcomes = {"price changed first": 0, "price change refused": 0, "item refused": 0}
    for n in range(TRIALS):
        world = hot_offering(n)
        processings = [lambda q=quote: selling.quote_process(quote=q) for quote in world["quotes"]]
        *sold, change, add = race(
            *processings,
            lambda w=world: rates.price_book_item_save(
                rate=w["rate"],
                item=w["seats"],
                instance=w["seats_price"],
                charge_model="per_unit",
                intervals=[IntervalSpec(price=Decimal(13))],
            ),
            lambda w=world: services.offering_add_item(offering=w["offering"], item=w["extra"]),
        )
        # Every sale went through: sales of one offering do not refuse or block each other.
        assert all(result[0] == "ok" for result in sold), sold
        # The offering was in use (an active rate) all along: the item was refused.
        assert add[0] == "error" and isinstance(add[1], OfferingLocked), add
        outcomes["item refused"] += 1
        count_price_change(change, outcomes)
        seat_price = PriceInterval.objects.get(price_book_item=world["seats_price"]).price
        held = set(
            OfferingItem.objects.filter(offering=world["offering"]).values_list("item", flat=True)
        )
        for quote in Quote.objects.filter(pk__in=[q.pk for q in world["quotes"]]):
            assert quote.status == Quote.Status.PROCESSED
            # The totals are exact, at the price as it stands, and recompute from the lines.
            assert quote.total == seat_price * 10 * 12 + 1500
            for line in quote.lines.all():
                assert line.item_id in held, "a sold line names an item the offering lacks"
                assert selling.quote_line_recompute(line) == line.amount
                assert line.price_version == line.price_book_item.history.latest().history_id
    print(f"\n{SALES} sales vs a price change and an item added: {TRIALS} trials, {outcomes}")
    report("race: sales of one offering vs its writers", TRIALS)
    assert outcomes["item refused"] == TRIALS
