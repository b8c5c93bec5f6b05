"""Clone is the way out of the lock: a deep, editable copy; inactivate retires the original."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory
from pricing import clone, services
from pricing.models import Offering, OfferingItemScope, PriceBookItem, PriceTier, Rate
from pricing.selectors import price_book_item_for_engine, price_preview
from pricing.tests.factories import OfferingFactory, priced_offering

pytestmark = pytest.mark.django_db
D = Decimal


def prices_of(offering):
    """Every price of an offering as the engine computes it, keyed by rate name and item."""
    result = {}
    for pbi in PriceBookItem.objects.filter(rate__offering=offering):
        pbi = price_book_item_for_engine(pbi.pk)
        schedule = price_preview(
            pbi, quantity=Decimal(37), start_date=date(2026, 1, 31), periods=30
        )
        result[pbi.rate.name, pbi.item_id] = [(line.start, line.amount) for line in schedule.lines]
    return result


def test_clone_is_a_deep_copy_that_prices_the_same(vendor, vendor_user):
    original = priced_offering(vendor, items=3, rates=2, intervals=3, tiers=3)
    Rate.objects.filter(offering=original).update(status=Rate.Status.ACTIVE)
    copy = clone.offering_clone(offering=original, by=vendor_user)

    assert copy.name == f"Copy of {original.name}"
    assert copy.pk != original.pk
    assert sorted(
        copy.offering_items.values_list("item", "default_quantity", "required")
    ) == sorted(original.offering_items.values_list("item", "default_quantity", "required"))
    assert set(copy.rates.values_list("status", flat=True)) == {Rate.Status.DRAFT}
    assert (
        PriceTier.objects.filter(interval__price_book_item__rate__offering=copy).count()
        == 2 * 3 * 3 * 3
    )
    assert prices_of(copy) == prices_of(original)
    history = copy.history.get()
    assert history.history_user == vendor_user
    assert history.history_change_reason == f"cloned from #{original.pk} {original.name}"
    assert PriceTier.history.filter(history_change_reason__startswith="cloned from").count() == 54


def test_clone_keeps_scopes_and_takes_a_given_name(vendor):
    from catalog.tests.factories import ProductFactory

    product = ProductFactory(vendor=vendor)
    commit = ItemFactory(product=product, kind="minimum_commit")
    usage = ItemFactory(product=product, kind="usage")
    offering = services.offering_create(vendor=vendor, name="Commit", type="minimum_commit")
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(
                item=commit, default_quantity=1, required=True, applies_to=(usage,)
            ),
        ],
    )
    copy = clone.offering_clone(offering=offering, name="Commit 2027")
    assert copy.name == "Commit 2027"
    assert copy.type == "minimum_commit"
    assert list(
        OfferingItemScope.objects.filter(offering_item__offering=copy).values_list(
            "offering_item__item", "item"
        )
    ) == [(commit.pk, usage.pk)]


def test_the_copy_is_editable_while_the_original_is_locked(sellable):
    copy = clone.offering_clone(offering=sellable["offering"])
    extra = ItemFactory(product=sellable["seats"].product, kind="usage")
    services.offering_add_item(offering=copy, item=extra)
    services.offering_inactivate(offering=sellable["offering"], reason="replaced by the copy")
    original = Offering.objects.get(pk=sellable["offering"].pk)
    assert original.status == Offering.Status.INACTIVE
    assert original.history.latest().history_change_reason == "replaced by the copy"
    assert copy.offering_items.filter(item=extra).exists()
    assert not original.offering_items.filter(item=extra).exists()


def test_clone_queries_do_not_grow_with_the_offering(vendor, django_assert_max_num_queries):
    # Sizes stay under SQLite's bound-parameter limit, past which Django splits a bulk insert
    # into batches; PostgreSQL inserts each level in one statement at any size.
    small = priced_offering(vendor, items=1, rates=1, intervals=1, tiers=1)
    with django_assert_max_num_queries(60) as baseline:
        clone.offering_clone(offering=small)
    large = priced_offering(vendor, items=3, rates=2, intervals=3, tiers=3)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        clone.offering_clone(offering=large)


def test_a_long_name_still_fits_the_history_reasons(vendor):
    offering = OfferingFactory(vendor=vendor, name="N" * 200)

    copy = clone.offering_clone(offering=offering, name="C" * 200)

    copied = copy.history.earliest().history_change_reason
    original = offering.history.latest().history_change_reason
    assert copied.startswith(f"cloned from #{offering.pk} NNN") and len(copied) == 100
    assert original.startswith(f"cloned as #{copy.pk} CCC") and len(original) == 100


def test_a_clone_reason_longer_than_history_keeps_is_a_400(vendor_api, vendor):
    offering = OfferingFactory(vendor=vendor)

    response = vendor_api.post(
        f"/api/v1/offerings/{offering.pk}/clone/", {"reason": "r" * 101}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    assert Offering.objects.count() == 1


def test_a_clone_keeps_every_field_of_a_price(vendor):
    """Whatever the field catalog holds (minimum, maximum, flat at zero, package size, a
    tier's flat amount), the copy's price holds it too, and prices the same."""
    from pricing import rates
    from pricing.pricebook import IntervalSpec, TierSpec
    from pricing.pricebook.fields import INTERVAL, PRICE, TIER

    offering = priced_offering(vendor, items=2)
    rate = offering.rates.get()
    first, second = (line.item for line in offering.offering_items.order_by("pk"))
    rates.price_book_item_save(
        rate=rate,
        item=first,
        charge_model="tiered",
        intervals=[IntervalSpec(tiers=(TierSpec(D(0), None, D("0.5"), flat_amount=D(5)),))],
        minimum_amount=D(10),
        maximum_amount=D(900),
        flat_at_zero=True,
        instance=PriceBookItem.objects.get(rate=rate, item=first),
    )
    rates.price_book_item_save(
        rate=rate,
        item=second,
        charge_model="package",
        intervals=[IntervalSpec(price=D(4), package_size=D(10), included_units=D(5))],
        minimum_amount=D(1),
        instance=PriceBookItem.objects.get(rate=rate, item=second),
    )
    copy = clone.offering_clone(offering=offering)

    def stored(offering):
        return sorted(
            (
                pbi.item_id,
                *(getattr(pbi, f.name) for f in PRICE),
                *(getattr(i, f.name) for i in pbi.intervals.all() for f in INTERVAL),
                *(
                    getattr(t, f.name)
                    for i in pbi.intervals.all()
                    for t in i.tiers.all()
                    for f in TIER
                ),
            )
            for pbi in PriceBookItem.objects.filter(rate__offering=offering)
        )

    assert stored(copy) == stored(offering)
    assert prices_of(copy) == prices_of(offering)
