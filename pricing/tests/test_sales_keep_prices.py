"""A sale keeps the items, rates and prices of an offering it loaded for the next sales of
the offering, until a writer changes them: every change to what a sale reads gives the
offering a new revision token, and the next sale checks and prices from the rows as they now
stand (``pricing.price_cache``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Item
from catalog.tests.factories import MarketplaceFactory
from pricing import price_cache, rates, selling, services
from pricing.errors import PriceMissing, RequiredItemMissing
from pricing.models import OfferingItem, OfferingRevision, PriceBookItem, Rate
from pricing.pricebook import IntervalSpec
from pricing.quote_lines import QuoteLineSpec
from pricing.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    """Ids come back after a test's rollback on SQLite: start from an empty cache (tokens
    keep sales apart; the assertions on what is kept need the ids alone)."""
    price_cache.forget()


KEPT_TABLES = (
    "pricing_offeringitem",
    "pricing_rate",
    "pricing_pricebookitem",
    "pricing_priceinterval",
    "pricing_pricetier",
)


def sell(world, *, frequency="monthly", periods=12, channel=None, items=("seats", "fee")):
    """10 seats and the fee (or ``items``), the rate left to the price selector."""
    quote = selling.quote_create(
        vendor=world["vendor"],
        customer="Contoso",
        currency="USD",
        start_date=date(2026, 1, 1),
        periods=periods,
        sales_channel=channel,
        lines=[
            QuoteLineSpec(
                world["offering"], None, world[item], Decimal(quantity), billing_frequency=frequency
            )
            for item, quantity in (("seats", "10"), ("fee", "1"), ("addon", "1"))
            if item in items
        ],
    )
    return selling.quote_process(quote=quote)


def amounts(quote) -> list[Decimal]:
    return list(quote.lines.order_by("pk").values_list("amount", flat=True))


def token_of(offering_id: int):
    return OfferingRevision.objects.get(offering_id=offering_id).token


def kept_rows_read(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if any(f'FROM "{table}"' in query["sql"] for table in KEPT_TABLES)
    ]


def active_rate(world, seat_price: str, **fields) -> Rate:
    """Another active USD rate of the offering: seats at ``seat_price``, the fee at 1,500."""
    rate = rates.rate_create(offering=world["offering"], currency="USD", **fields)
    for item, model, price in (("seats", "per_unit", seat_price), ("fee", "flat_fee", "1500")):
        rates.price_book_item_save(
            rate=rate,
            item=world[item],
            charge_model=model,
            intervals=[IntervalSpec(price=Decimal(price))],
        )
    return rates.rate_activate(rate=rate)


@pytest.fixture
def yearly(sellable):
    """A second active rate, billed yearly, that has sold nothing: its prices may change."""
    rate = active_rate(sellable, "100", name="USD yearly", billing_frequency="yearly")
    return {**sellable, "yearly": rate}


def sold_again(world):
    """A sale, then another: the second quote, and the queries of its processing."""
    sell(world)
    with CaptureQueriesContext(connection) as captured:
        quote = sell(world)
    return quote, captured


def test_a_later_sale_of_the_offering_reads_no_item_rate_or_price_row(sellable):
    quote, captured = sold_again(sellable)

    assert amounts(quote) == [Decimal("1440.00"), Decimal("1500.00")]
    assert kept_rows_read(captured) == []
    assert sellable["offering"].pk in price_cache.kept_offerings()


def test_a_price_changed_between_sales_prices_the_next_sale(yearly):
    sell(yearly)  # monthly: keeps every rate of the offering, the yearly one too

    rates.price_book_item_save(
        rate=yearly["yearly"],
        item=yearly["seats"],
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal("120"))],
        instance=PriceBookItem.objects.get(rate=yearly["yearly"], item=yearly["seats"]),
    )
    quote = sell(yearly, frequency="yearly", periods=1)

    assert amounts(quote) == [Decimal("1200.00"), Decimal("1500.00")]  # not 100 a seat
    assert quote.lines.first().rate_id == yearly["yearly"].pk


def test_a_rate_inactivated_between_sales_sells_no_more(yearly):
    sell(yearly)

    rates.rate_inactivate(rate=yearly["yearly"])

    with pytest.raises(PriceMissing, match="no active rate"):
        sell(yearly, frequency="yearly", periods=1)


def test_a_price_deleted_around_the_services_is_not_sold_from_what_was_kept(yearly):
    sell(yearly)

    PriceBookItem.objects.filter(rate=yearly["yearly"], item=yearly["seats"]).delete()

    with pytest.raises(PriceMissing, match="SEATS"):
        sell(yearly, frequency="yearly", periods=1)


def test_a_renamed_channel_is_named_by_the_next_sale(sellable):
    channel = MarketplaceFactory(name="Old market")
    active_rate(sellable, "11", name="On the market", sales_channel=channel)
    sell(sellable, channel=channel)

    channel.name = "New market"
    channel.save()  # as the admin saves it
    quote = sell(sellable, channel=channel)

    reason = quote.lines.first().price_reason
    assert "New market" in reason and "Old market" not in reason, reason


def set_items(world, required: tuple[str, ...]) -> None:
    """The offering's three items, ``required`` the required ones, its rate inactivated for
    the change and activated again (the way a vendor changes an offering in use)."""
    rates.rate_inactivate(rate=world["rate"])
    services.offering_set_items(
        offering=world["offering"],
        lines=[
            services.OfferingLine(item=world[name], default_quantity=1, required=name in required)
            for name in ("seats", "fee", "addon")
        ],
    )
    rates.rate_activate(rate=world["rate"])


def test_items_changed_between_sales_are_checked_by_the_next_sale(sellable):
    with pytest.raises(RequiredItemMissing, match="FEE"):
        sell(sellable, items=("seats",))  # refused, after loading what it keeps

    set_items(sellable, required=("seats",))
    quote = sell(sellable, items=("seats",))

    assert amounts(quote) == [Decimal("1440.00")]


def test_a_required_items_kind_is_read_as_it_stands_at_each_sale(sellable):
    set_items(sellable, required=("seats", "fee", "addon"))
    with pytest.raises(RequiredItemMissing, match="ADDON"):
        sell(sellable)

    # An item's kind is not its offering's to guard: changed as by data from before the rule
    # that a subscription offering sells no percent-of-total item.
    Item.objects.filter(pk=sellable["addon"].pk).update(kind=Item.Kind.PERCENT_OF_TOTAL)
    quote = sell(sellable)

    assert amounts(quote) == [Decimal("1440.00"), Decimal("1500.00")]


def test_an_offering_item_deleted_around_the_services_gives_the_offering_a_new_token(sellable):
    offering = sellable["offering"]
    rates.rate_inactivate(rate=sellable["rate"])  # unlocked: its items may go
    before = token_of(offering.pk)

    OfferingItem.objects.filter(offering=offering, item=sellable["addon"]).delete()

    assert token_of(offering.pk) != before


def test_an_offering_without_a_revision_loads_its_prices_at_every_sale(sellable):
    OfferingRevision.objects.filter(offering=sellable["offering"]).delete()  # as a bulk copy

    quote, captured = sold_again(sellable)

    assert amounts(quote) == [Decimal("1440.00"), Decimal("1500.00")]
    assert kept_rows_read(captured)
    assert sellable["offering"].pk not in price_cache.kept_offerings()


def test_every_writer_of_an_offering_gives_it_a_new_token(sellable):
    offering = sellable["offering"]
    seen = [OfferingRevision.objects.get(offering=offering).token]

    for write in (
        lambda: rates.rate_update(rate=sellable["rate"], name="USD monthly, renamed"),
        lambda: rates.rate_create(offering=offering, name="EUR", currency="EUR"),
        lambda: rates.rate_delete(rate=Rate.objects.get(offering=offering, currency="EUR")),
    ):
        write()
        seen.append(OfferingRevision.objects.get(offering=offering).token)

    assert len(set(seen)) == len(seen), seen


def test_a_later_sale_of_another_item_loads_its_prices_and_keeps_them_with_the_rest(sellable):
    sell(sellable)  # seats and the fee: their prices are kept, not the add-on's

    with CaptureQueriesContext(connection) as first:
        with_addon = sell(sellable, items=("seats", "fee", "addon"))
    with CaptureQueriesContext(connection) as again:
        sell(sellable, items=("seats", "fee", "addon"))
    with CaptureQueriesContext(connection) as without:
        sell(sellable)

    assert amounts(with_addon) == [Decimal("1440.00"), Decimal("1500.00"), Decimal("36.00")]
    assert kept_rows_read(first)  # the add-on's price, with the seats' and the fee's
    assert kept_rows_read(again) == kept_rows_read(without) == []


def test_an_offering_larger_than_what_a_process_keeps_is_loaded_at_each_sale(sellable, monkeypatch):
    monkeypatch.setattr(price_cache, "KEPT_ROWS", 4)  # the two prices are 1 + 2 + 2 rows

    quote, captured = sold_again(sellable)

    assert amounts(quote) == [Decimal("1440.00"), Decimal("1500.00")]
    assert kept_rows_read(captured)
    assert sellable["offering"].pk not in price_cache.kept_offerings()


def test_a_process_keeps_the_offerings_sold_last_and_drops_the_oldest(monkeypatch):
    monkeypatch.setattr(price_cache, "KEPT_ROWS", 2)  # an offering without prices is one row
    offerings = OfferingFactory.create_batch(3)
    for offering in offerings:
        price_cache.revise(offering.pk)
    loads = []

    def load(ids):
        loads.append(sorted(ids))
        return {pk: price_cache.Kept(rates=[], items={}) for pk in ids}

    first, second, third = (offering.pk for offering in offerings)
    for pk in (first, second, first, third, first, second):
        price_cache.kept_at({pk: token_of(pk)}, {}, load)

    # The first stays (sold again before the third came); the second was dropped for it.
    assert loads == [[first], [second], [third], [second]]
    assert sorted(price_cache.kept_offerings()) == sorted([first, second])


def test_a_new_token_loads_again_and_the_old_state_is_never_used(sellable):
    offering_id = sellable["offering"].pk
    loads = []

    def load(ids):
        loads.append(sorted(ids))
        return {pk: price_cache.Kept(rates=[], items={}) for pk in ids}

    price_cache.kept_at({offering_id: token_of(offering_id)}, {}, load)
    price_cache.kept_at({offering_id: token_of(offering_id)}, {}, load)
    price_cache.revise(offering_id)
    price_cache.kept_at({offering_id: token_of(offering_id)}, {}, load)

    assert loads == [[offering_id], [offering_id]]
