"""Sales priced from kept prices, against a price change, at once (PostgreSQL only).

A sale reuses the prices an earlier sale of the offering kept while the offering's revision
token stays (``pricing.price_cache``); a writer renews the token under the offering's row
lock, which waits for the sales in progress. Each trial keeps an offering's prices (one sale
at its monthly rate), then starts four sales at its yearly rate, which has sold nothing yet,
and a change of that rate's seat price behind one barrier: the change lands before every
yearly sale, and each sells at the new price, or after none and is refused (the rate is
locked by then). A sale that priced from what was kept before the change would total the old
price.
"""

from __future__ import annotations

from decimal import Decimal

from catalog.tests.generated import report
from catalog.tests.profiles import cases
from pricing import price_cache, rates, selling
from pricing.models import PriceInterval, Quote
from pricing.pricebook import IntervalSpec
from pricing.tests.test_races import (  # noqa: F401 (a fixture)
    ROW_LOCK_RACES,
    _without_row_locks,
    race,
)
from pricing.tests.test_races_selling import (
    SALES,
    count_price_change,
    draft_quotes,
    hot_offering,
)

TRIALS = cases(30)

pytestmark = ROW_LOCK_RACES


def with_yearly_rate(n: int) -> dict:
    """``hot_offering`` with a second active rate, yearly, that has sold nothing (seats at
    100.00, the fee at 1,500.00), and SALES draft quotes at it."""
    world = hot_offering(n)
    yearly = rates.rate_create(
        offering=world["offering"], name="USD yearly", currency="USD", billing_frequency="yearly"
    )
    prices = [
        rates.price_book_item_save(
            rate=yearly,
            item=world[item],
            charge_model=model,
            intervals=[IntervalSpec(price=Decimal(price))],
        )
        for item, model, price in (("seats", "per_unit", 100), ("fee", "flat_fee", 1500))
    ]
    rates.rate_activate(rate=yearly)
    quotes = draft_quotes(world["offering"], yearly, world["seats"], world["fee"], periods=1)
    return {**world, "yearly_seats": prices[0], "yearly_quotes": quotes}


def change_seat_price(world, price: int):
    seats_price = world["yearly_seats"]
    return lambda: rates.price_book_item_save(
        rate=seats_price.rate,
        item=world["seats"],
        instance=seats_price,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal(price))],
    )


def test_a_price_change_racing_sales_from_kept_prices_is_sold_at_or_refused():
    outcomes = {"price changed first": 0, "price change refused": 0}
    for n in range(TRIALS):
        world = with_yearly_rate(n)
        quotes = world["yearly_quotes"]
        selling.quote_process(quote=world["quotes"][0])  # monthly: keeps both rates' prices
        assert world["offering"].pk in price_cache.kept_offerings()

        *sold, change = race(
            *(lambda q=quote: selling.quote_process(quote=q) for quote in quotes),
            change_seat_price(world, 120),
        )

        assert all(result[0] == "ok" for result in sold), sold
        count_price_change(change, outcomes)
        seat_price = PriceInterval.objects.get(price_book_item=world["yearly_seats"]).price
        for quote in Quote.objects.filter(pk__in=[q.pk for q in quotes]):
            assert quote.total == seat_price * 10 + 1500, (quote.total, seat_price)
    print(f"\n{SALES} yearly sales from kept prices vs a price change: {TRIALS} trials, {outcomes}")
    report("race: sales from kept prices vs a price change", TRIALS)
    assert sum(outcomes.values()) == TRIALS
