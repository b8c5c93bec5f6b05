"""The lock: an offering in use refuses item and type changes; a used rate refuses price changes."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory
from pricing import errors, rates, selling, services
from pricing.lock import lock_reasons, rate_lock_reasons, with_lock_flag
from pricing.models import LockRefusal, Offering, OfferingItem, PriceBookItem, Rate
from pricing.pricebook import IntervalSpec
from pricing.tests.conftest import processed_quote

pytestmark = pytest.mark.django_db


def test_an_active_rate_locks_and_deactivating_it_unlocks(sellable):
    offering, rate = sellable["offering"], sellable["rate"]
    assert lock_reasons(offering) == ["rate 'USD monthly' is active"]
    rates.rate_inactivate(rate=rate)
    assert lock_reasons(offering) == []
    new = ItemFactory(product=sellable["seats"].product, kind="usage")
    services.offering_add_item(offering=offering, item=new)
    assert offering.offering_items.filter(item=new).exists()


def test_processed_quotes_and_contracts_are_named(sellable):
    quote = processed_quote(sellable)
    contract = selling.contract_create(quote=quote)
    rates.rate_inactivate(rate=sellable["rate"])
    assert lock_reasons(sellable["offering"]) == [
        f"used by processed quote Q-{quote.pk}",
        f"held by contract C-{contract.pk}",
    ]


def test_adding_an_item_to_a_locked_offering_is_refused_and_recorded(sellable, vendor_user):
    offering = sellable["offering"]
    new = ItemFactory(product=sellable["seats"].product)
    before = OfferingItem.objects.count()
    with pytest.raises(errors.OfferingLocked) as excinfo:
        services.offering_add_item(offering=offering, item=new, by=vendor_user)
    assert excinfo.value.code == "OFFERING_LOCKED"
    assert excinfo.value.http_status == 409
    assert excinfo.value.details["reasons"] == ["rate 'USD monthly' is active"]
    assert OfferingItem.objects.count() == before
    refusal = LockRefusal.objects.get()
    assert (refusal.user, refusal.code, refusal.offering) == (
        vendor_user,
        "OFFERING_LOCKED",
        offering,
    )
    assert refusal.attempted == f"add item {new.mpn}"


def test_every_item_change_of_a_locked_offering_is_refused(sellable):
    offering = sellable["offering"]
    with pytest.raises(errors.OfferingLocked):
        services.offering_remove_item(offering=offering, item=sellable["addon"])
    with pytest.raises(errors.OfferingLocked):
        services.offering_set_items(
            offering=offering,
            lines=[
                services.OfferingLine(item=sellable["seats"], default_quantity=10, required=True),
                services.OfferingLine(item=sellable["fee"], default_quantity=1, required=True),
            ],
        )
    with pytest.raises(errors.OfferingLocked):
        services.offering_update(offering=offering, type=Offering.Type.ONE_TIME)
    assert offering.offering_items.count() == 3
    assert LockRefusal.objects.count() == 3


def test_name_description_end_date_and_status_stay_editable(sellable):
    offering = services.offering_update(
        offering=sellable["offering"],
        name="Renamed",
        description="New text",
        end_date=date(2030, 1, 1),
        status=Offering.Status.INACTIVE,
    )
    assert (offering.name, offering.status) == ("Renamed", "inactive")


def test_unchanged_items_pass_on_a_locked_offering(sellable):
    lines = [
        services.OfferingLine(item=sellable["seats"], default_quantity=10, required=True),
        services.OfferingLine(item=sellable["fee"], default_quantity=1, required=True),
        services.OfferingLine(item=sellable["addon"]),
    ]
    services.offering_set_items(offering=sellable["offering"], lines=lines)
    assert not LockRefusal.objects.exists()


def test_a_used_rate_refuses_price_changes_but_may_be_inactivated(sellable):
    processed_quote(sellable)
    rate = sellable["rate"]
    assert rate_lock_reasons(rate)
    pbi = rate.price_book_items.get(item=sellable["seats"])
    with pytest.raises(errors.RateLocked) as excinfo:
        rates.price_book_item_save(
            rate=rate,
            item=sellable["seats"],
            instance=pbi,
            charge_model="per_unit",
            intervals=[IntervalSpec(price=Decimal("99"))],
        )
    assert excinfo.value.code == "RATE_LOCKED"
    with pytest.raises(errors.RateLocked):
        rates.price_book_item_delete(pbi=pbi)
    with pytest.raises(errors.RateLocked):
        rates.rate_update(rate=rate, currency="EUR")
    assert pbi.intervals.get().price == Decimal("12")
    rates.rate_inactivate(rate=rate)
    rate.refresh_from_db()
    assert rate.status == Rate.Status.INACTIVE
    assert PriceBookItem.objects.filter(pk=pbi.pk).exists()


def test_an_active_unused_rate_may_change_its_prices(sellable):
    rate = sellable["rate"]
    pbi = rate.price_book_items.get(item=sellable["seats"])
    rates.price_book_item_save(
        rate=rate,
        item=sellable["seats"],
        instance=pbi,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal("13"))],
    )
    assert pbi.intervals.get().price == Decimal("13")


def test_lock_flag_for_lists_in_one_query(sellable, django_assert_num_queries):
    services.offering_create(vendor=sellable["vendor"], name="Unused")
    with django_assert_num_queries(1):
        flags = dict(with_lock_flag(Offering.objects.all()).values_list("name", "locked"))
    assert flags == {"Seats with fee": True, "Unused": False}


def test_deletes_that_would_cascade_obey_the_lock(sellable):
    from django.db import transaction
    from django.db.models import ProtectedError

    from pricing.models import PriceInterval

    offering = sellable["offering"]
    # Django deletes without a savepoint of its own: each refused delete gets one here.
    with pytest.raises(errors.OfferingLocked), transaction.atomic():
        Offering.objects.filter(pk=offering.pk).delete()  # would cascade to its items
    with pytest.raises(ProtectedError), transaction.atomic():
        sellable["seats"].product.delete()  # items are held by the offering
    assert Offering.objects.filter(pk=offering.pk).exists()
    processed_quote(sellable)
    with pytest.raises(errors.RateLocked), transaction.atomic():
        PriceInterval.objects.filter(price_book_item__rate=sellable["rate"]).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        sellable["rate"].delete()  # quote lines hold the rate
    assert PriceInterval.objects.filter(price_book_item__rate=sellable["rate"]).count() == 3


def test_an_unused_offering_may_be_deleted(vendor):
    offering = services.offering_create(vendor=vendor, name="Scratch")
    offering.delete()
    assert not Offering.objects.filter(name="Scratch").exists()
