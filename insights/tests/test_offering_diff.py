"""``offering_diff(a, b)``: a clone matches its source row for row; each change of the second
offering (an item's quantity, required flag or application list, an item added or dropped,
a rate's currency, frequency, channel, group or status, a price) is marked added, removed or
changed old → new; two vendors' offerings are refused; seven queries at any size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.tests.factories import ItemFactory, MarketplaceFactory, ProductFactory
from insights.diff import ADDED, CHANGED, REMOVED, SAME, clones_of, offering_diff, source_of
from pricing.clone import offering_clone
from pricing.models import OfferingItem, OfferingItemScope, PriceBookItem, PriceInterval, Rate
from pricing.tests.factories import (
    OfferingFactory,
    OfferingItemFactory,
    PriceBookItemFactory,
    price_intervals,
    priced_offering,
)

pytestmark = pytest.mark.django_db
DIFF_QUERIES = 7


def rows(diff, section: str) -> dict:
    return {row.key: row for row in next(s for s in diff.sections if s.name == section).rows}


def changed(row) -> dict[str, tuple]:
    return {value.field: (value.old, value.new) for value in row.values if value.state != SAME}


@pytest.fixture
def pair(vendor):
    """An offering with two items in two rates, and its clone."""
    original = priced_offering(vendor, items=2, rates=2)
    return original, offering_clone(offering=original, name="Next year")


def test_a_clone_differs_only_in_its_name_and_its_rates_being_drafts(pair):
    original, copy = pair
    Rate.objects.filter(offering__in=pair).update(status=Rate.Status.DRAFT)
    diff = offering_diff(original, copy)
    assert changed(diff.offering) == {"name": (original.name, "Next year")}
    assert diff.changes == 1
    for section in diff.sections:
        assert {row.state for row in section.rows} == {SAME}, section.name
    assert len(rows(diff, "prices")) == 4


def test_an_active_rate_cloned_as_a_draft_is_a_changed_status(pair):
    original, copy = pair
    rate = original.rates.order_by("pk").first()
    Rate.objects.filter(pk=rate.pk).update(status=Rate.Status.ACTIVE)
    row = rows(offering_diff(original, copy), "rates")[rate.name]
    assert row.state == CHANGED
    assert changed(row) == {"status": ("Active", "Draft")}


def test_item_quantity_required_and_application_list_changes_are_marked(pair):
    original, copy = pair
    line = copy.offering_items.select_related("item").order_by("pk").first()
    OfferingItem.objects.filter(pk=line.pk).update(default_quantity=5, required=True)
    other = copy.offering_items.exclude(pk=line.pk).get()
    OfferingItemScope.objects.create(offering_item=line, item=other.item)
    row = rows(offering_diff(original, copy), "items")[f"{line.item.mpn} {line.item.name}"]
    assert row.state == CHANGED
    assert changed(row) == {
        "default quantity": ("1", "5"),
        "required": ("no", "yes"),
        "applies to": ("—", other.item.mpn),
    }


def test_an_item_added_and_one_dropped_are_marked_with_their_prices(pair, vendor):
    original, copy = pair
    dropped = copy.offering_items.select_related("item").order_by("pk").first()
    PriceBookItem.objects.filter(rate__offering=copy, item=dropped.item_id).delete()
    dropped.delete()
    added = OfferingItemFactory(
        offering=copy, item=ItemFactory(product=ProductFactory(vendor=vendor))
    )
    diff = offering_diff(original, copy)
    items = rows(diff, "items")
    assert items[f"{dropped.item.mpn} {dropped.item.name}"].state == REMOVED
    new_row = items[f"{added.item.mpn} {added.item.name}"]
    assert new_row.state == ADDED
    assert {value.field: value.new for value in new_row.values}["default quantity"] == "1"
    prices = rows(diff, "prices")
    dropped_prices = [key for key in prices if key.startswith(f"{dropped.item.mpn} in ")]
    assert len(dropped_prices) == 2
    assert {prices[key].state for key in dropped_prices} == {REMOVED}
    assert prices[dropped_prices[0]].values[0].old.startswith("$")


def test_rate_currency_frequency_channel_and_group_changes_are_marked(pair):
    original, copy = pair
    rate = copy.rates.order_by("pk").first()
    channel = MarketplaceFactory(currency="EUR")
    Rate.objects.filter(pk=rate.pk).update(
        currency="EUR", billing_frequency=Rate.BillingFrequency.YEARLY,
        sales_channel=channel, customer_group="education",
    )  # fmt: skip
    diff = offering_diff(original, copy)
    assert changed(rows(diff, "rates")[rate.name]) == {
        "currency": ("USD", "EUR"),
        "billing frequency": ("Monthly", "Yearly"),
        "channel": ("every channel", str(channel)),
        "customer group": ("any customer group", "education"),
    }
    # Its prices are worded in the new currency and frequency: each one changed.
    in_rate = [row for key, row in rows(diff, "prices").items() if key.endswith(f" in {rate.name}")]
    assert len(in_rate) == 2
    assert {row.state for row in in_rate} == {CHANGED}


def test_a_changed_price_is_its_words_old_and_new(pair):
    original, copy = pair
    pbi = copy.rates.order_by("pk").first().price_book_items.select_related("item", "rate")[0]
    PriceInterval.objects.filter(price_book_item=pbi).update(price=Decimal("12.50"))
    row = rows(offering_diff(original, copy), "prices")[f"{pbi.item.mpn} in {pbi.rate.name}"]
    old, new = changed(row)["price"]
    assert "10" in old and "12.50" in new


def test_prices_are_matched_by_their_custom_attributes(vendor):
    a, b = OfferingFactory(vendor=vendor), OfferingFactory(vendor=vendor)
    item = ItemFactory(product=ProductFactory(vendor=vendor))
    for offering, regions in ((a, ("eu", "us")), (b, ("us", "apac"))):
        OfferingItemFactory(offering=offering, item=item)
        rate = Rate.objects.create(offering=offering, name="Standard", currency="USD")
        for region in regions:
            pbi = PriceBookItemFactory(rate=rate, item=item, custom_attributes={"region": region})
            price_intervals(pbi, intervals=1, tiers=0, months=12)
    prices = rows(offering_diff(a, b), "prices")
    states = {key.rsplit(" ", 1)[-1]: row.state for key, row in prices.items()}
    assert states == {'"eu"}': REMOVED, '"us"}': SAME, '"apac"}': ADDED}


def test_rates_of_one_name_match_in_order(vendor):
    a, b = OfferingFactory(vendor=vendor), OfferingFactory(vendor=vendor)
    for offering, currencies in ((a, ("USD", "EUR")), (b, ("USD", "GBP"))):
        for currency in currencies:
            Rate.objects.create(offering=offering, name="Standard", currency=currency)
    rates = rows(offering_diff(a, b), "rates")
    assert rates["Standard"].state == SAME
    assert changed(rates["Standard (2)"]) == {"currency": ("EUR", "GBP")}


def test_two_vendors_offerings_are_not_compared(vendor, other_vendor):
    with pytest.raises(ValidationError, match="same vendor"):
        offering_diff(OfferingFactory(vendor=vendor), OfferingFactory(vendor=other_vendor))


def test_a_clone_knows_its_source_and_the_source_its_clones(pair, vendor):
    original, copy = pair
    second = offering_clone(offering=original)
    assert source_of(copy) == original.pk
    assert source_of(original) is None
    assert clones_of(original) == [second.pk, copy.pk]
    assert clones_of(copy) == []


@pytest.mark.parametrize("size", [1, 6])
def test_the_diff_takes_seven_queries_at_any_size(vendor, size, django_assert_max_num_queries):
    original = priced_offering(vendor, items=size, rates=size, intervals=2, tiers=2)
    copy = offering_clone(offering=original)
    with django_assert_max_num_queries(DIFF_QUERIES):
        diff = offering_diff(original, copy)
    assert len(rows(diff, "prices")) == size * size
