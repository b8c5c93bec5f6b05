"""Price book items: belong to the offering, no duplicates, well-formed intervals and tiers."""

from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, MarketplaceFactory
from pricing import rates
from pricing.errors import DuplicatePriceBookItem, InvalidPriceBookItem
from pricing.models import PriceBookItem, PriceInterval, PriceTier, Rate
from pricing.pricebook import IntervalSpec, TierSpec
from pricing.tests.factories import RateFactory, subscription_offering

pytestmark = pytest.mark.django_db
D = Decimal
FOREVER = IntervalSpec(price=D("10"))


@pytest.fixture
def offering(vendor):
    return subscription_offering(vendor)


@pytest.fixture
def item(offering):
    return offering.offering_items.get().item


@pytest.fixture
def rate(offering):
    return RateFactory(offering=offering, currency="USD")


def save(rate, item, **kwargs):
    kwargs.setdefault("charge_model", "per_unit")
    kwargs.setdefault("intervals", [FOREVER])
    return rates.price_book_item_save(rate=rate, item=item, **kwargs)


def tiered(*bands, overage=None):
    tiers = tuple(
        TierSpec(D(start), None if end is None else D(end), D(price)) for start, end, price in bands
    )
    return [IntervalSpec(tiers=tiers, overage_price=D(overage or 0))]


def test_a_regular_per_unit_price(rate, item):
    pbi = save(rate, item, custom_attributes={"region": "north", "tier": 1})
    assert pbi.intervals.get().price == D("10")
    assert pbi.custom_attributes == {"region": "north", "tier": 1}
    assert pbi.history.count() == 1
    assert PriceInterval.history.count() == 1


def test_seed_003_sunday_deliveries(rate, item):
    pbi = save(
        rate,
        item,
        charge_model="delivery",
        pricing_type="interval",
        delivery_weekdays=[6],
        intervals=[IntervalSpec("day", 365, D("4.75")), IntervalSpec(price=D("9.50"))],
    )
    assert list(pbi.intervals.values_list("sequence", "duration_unit", "duration", "price")) == [
        (1, "day", 365, D("4.75")),
        (2, "infinity", None, D("9.50")),
    ]


def test_the_item_must_belong_to_the_offering(rate, vendor):
    with pytest.raises(InvalidPriceBookItem) as excinfo:
        save(rate, ItemFactory())
    assert "not part of offering" in str(excinfo.value)
    assert not PriceBookItem.objects.exists()


def test_duplicates_are_refused_across_rates_of_the_offering(rate, item, offering):
    save(rate, item, custom_attributes={"region": "north"})
    twin = RateFactory(offering=offering, currency="USD", name="Another USD monthly")
    with pytest.raises(DuplicatePriceBookItem) as excinfo:
        save(twin, item, custom_attributes={"region": "north"})
    assert excinfo.value.code == "DUPLICATE_PRICE_BOOK_ITEM"
    assert PriceBookItem.objects.count() == 1


@pytest.mark.parametrize(
    "difference",
    [
        {"currency": "EUR"},
        {"billing_frequency": Rate.BillingFrequency.YEARLY},
        {"customer_group": "education"},
        {"sales_channel": "channel"},
        {"attributes": {"region": "south"}},
    ],
)
def test_any_difference_makes_it_a_different_price(rate, item, offering, difference):
    save(rate, item, custom_attributes={"region": "north"})
    kwargs = {key: value for key, value in difference.items() if key != "attributes"}
    if kwargs.get("sales_channel"):
        kwargs["sales_channel"] = MarketplaceFactory(currency="USD")
    other = RateFactory(offering=offering, **{"currency": "USD", **kwargs})
    save(other, item, custom_attributes=difference.get("attributes", {"region": "north"}))
    assert PriceBookItem.objects.count() == 2


def test_replacing_a_price_is_not_a_duplicate_of_itself(rate, item):
    pbi = save(rate, item)
    save(rate, item, instance=pbi, intervals=[IntervalSpec(price=D("12"))])
    assert pbi.intervals.get().price == D("12")
    assert PriceInterval.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({f"a{i}": i for i in range(51)}, "At most 50 custom attributes"),
        ({"": "x"}, "needs a name"),
        ({"  ": "x"}, "needs a name"),
        ({"colours": ["red"]}, "must be text, a number or true/false"),
        ({"nested": {"a": 1}}, "must be text, a number or true/false"),
        (["not", "a", "mapping"], "mapping of names to values"),
    ],
)
def test_bad_custom_attributes_are_refused(rate, item, attributes, message):
    with pytest.raises(InvalidPriceBookItem) as excinfo:
        save(rate, item, custom_attributes=attributes)
    assert message in str(excinfo.value)
    assert not PriceBookItem.objects.exists()


def test_fifty_custom_attributes_are_fine(rate, item):
    assert save(rate, item, custom_attributes={f"a{i}": i for i in range(50)}).pk


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"intervals": []}, "Give 1 to 100 intervals"),
        ({"intervals": [FOREVER] * 101, "pricing_type": "interval"}, "Give 1 to 100 intervals"),
        (
            {"intervals": [FOREVER, FOREVER], "pricing_type": "interval"},
            "only the last interval may be Infinity",
        ),
        (
            {"intervals": [IntervalSpec("month", 0, D(1)), FOREVER], "pricing_type": "interval"},
            "positive number of days or months",
        ),
        (
            {"intervals": [IntervalSpec("day", None, D(1))], "pricing_type": "interval"},
            "positive number of days or months",
        ),
        (
            {"intervals": [IntervalSpec("month", 12, D(1))]},
            "Regular pricing is exactly one Infinity",
        ),
        ({"intervals": [IntervalSpec(price=D("-1"))]}, "price cannot be negative"),
        ({"intervals": [IntervalSpec("infinity", 3, D(1))]}, "has no duration"),
        ({"charge_model": "volume"}, "need at least one tier"),
        ({"charge_model": "per_unit", "intervals": tiered((0, None, 1))}, "has no tiers"),
        ({"charge_model": "tiered", "intervals": tiered((0, 10, 1), (20, None, 1))}, "gap"),
        ({"charge_model": "tiered", "intervals": tiered((0, 10, 1), (5, None, 1))}, "overlap"),
        (
            {"charge_model": "tiered", "intervals": tiered((0, None, 1), (10, None, 1))},
            "only the last tier may be open-ended",
        ),
        ({"charge_model": "tiered", "intervals": tiered((5, None, 1))}, "starts at unit 0"),
        (
            {"charge_model": "tiered_with_overage", "intervals": tiered((0, None, 1), overage=2)},
            "last tier ends where overage begins",
        ),
        (
            {"charge_model": "tiered_with_overage", "intervals": tiered((0, 10, 1))},
            "overage price is needed",
        ),
        ({"charge_model": "overage"}, "overage price is needed"),
        ({"charge_model": "delivery"}, "needs its delivery weekdays"),
        ({"charge_model": "delivery", "delivery_weekdays": [7]}, "from 0 (Monday) to 6 (Sunday)"),
        ({"charge_model": "delivery", "delivery_weekdays": [6, 6]}, "named twice"),
        ({"charge_model": "per_unit", "delivery_weekdays": [6]}, "Only a delivery price"),
    ],
)
def test_bad_price_structures_are_refused(rate, item, kwargs, message):
    with pytest.raises(InvalidPriceBookItem) as excinfo:
        save(rate, item, **kwargs)
    assert message in str(excinfo.value)
    assert not PriceBookItem.objects.exists()
    assert not PriceInterval.objects.exists()


def test_tiered_with_overage_and_volume_prices(rate, item):
    pbi = save(
        rate,
        item,
        charge_model="tiered_with_overage",
        intervals=tiered((0, 10, 1), (10, 50, "0.8"), overage="0.5"),
    )
    assert list(
        PriceTier.objects.filter(interval__price_book_item=pbi).values_list(
            "start_unit", "end_unit"
        )
    ) == [(D(0), D(10)), (D(10), D(50))]


def test_unknown_currency_on_a_rate_is_refused(offering):
    with pytest.raises(Exception) as excinfo:
        rates.rate_create(offering=offering, name="Bad", currency="ABC")
    assert "ISO 4217" in str(excinfo.value)
    assert not Rate.objects.exists()


def test_rate_on_a_channel_must_use_its_currency(offering):
    channel = MarketplaceFactory(currency="EUR")
    with pytest.raises(Exception) as excinfo:
        rates.rate_create(offering=offering, name="EU", currency="USD", sales_channel=channel)
    assert "sells in EUR" in str(excinfo.value)
    rate = rates.rate_create(offering=offering, name="EU", currency="eur", sales_channel=channel)
    assert rate.currency == "EUR"
