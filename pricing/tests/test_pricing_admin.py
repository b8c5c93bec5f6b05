"""The pricing admin: offering items checked as a whole, nested intervals and tiers, scoping."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Item
from catalog.tests.factories import ItemFactory, ProductFactory
from pricing.models import OfferingItem, PriceBookItem, PriceTier
from pricing.tests.factories import (
    OfferingFactory,
    PriceBookItemFactory,
    PriceIntervalFactory,
    RateFactory,
    subscription_offering,
)

pytestmark = pytest.mark.django_db


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def offering_post(vendor, items, offering_type="subscription"):
    data = {
        "vendor": vendor.pk,
        "name": "Seats with implementation fee",
        "description": "",
        "status": "active",
        "type": offering_type,
        "start_date": "2026-01-01",
        "end_date": "",
        **management("offering_items", len(items)),
        **management("rates", 0),
    }
    for index, (item, quantity, required) in enumerate(items):
        data[f"offering_items-{index}-item"] = item.pk
        data[f"offering_items-{index}-default_quantity"] = quantity
        if required:
            data[f"offering_items-{index}-required"] = "on"
    return data


def test_vendor_staff_create_an_offering_with_items(vendor_client, vendor, vendor_user):
    product = ProductFactory(vendor=vendor)
    seats = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION, mpn="SEATS")
    fee = ItemFactory(product=product, kind=Item.Kind.ONE_TIME, mpn="FEE")
    response = vendor_client.post(
        reverse("admin:pricing_offering_add"),
        offering_post(vendor, [(fee, 1, True), (seats, 10, True)]),
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert sorted(OfferingItem.objects.values_list("item__mpn", "default_quantity")) == [
        ("FEE", 1),
        ("SEATS", 10),
    ]
    assert OfferingItem.history.filter(history_user=vendor_user).count() == 2


def test_a_composition_error_is_shown_and_nothing_is_saved(vendor_client, vendor):
    usage = ItemFactory(product=ProductFactory(vendor=vendor), kind=Item.Kind.USAGE)
    response = vendor_client.post(
        reverse("admin:pricing_offering_add"), offering_post(vendor, [(usage, 0, False)])
    )
    assert response.status_code == 200
    assert "needs at least one subscription item" in response.content.decode()
    assert not OfferingItem.objects.exists()


def pbi_post(rate, item, charge_model="tiered", intervals=(), weekdays=()):
    data = {
        "rate": rate.pk,
        "item": item.pk,
        "charge_model": charge_model,
        "pricing_type": "interval" if len(intervals) > 1 else "regular",
        "custom_attributes": "{}",
        **management("intervals", len(intervals)),
    }
    if weekdays:
        data["delivery_weekdays"] = [str(day) for day in weekdays]
    for i, (unit, duration, price, tiers) in enumerate(intervals):
        data.update(
            {
                f"intervals-{i}-sequence": i + 1,
                f"intervals-{i}-duration_unit": unit,
                f"intervals-{i}-duration": duration or "",
                f"intervals-{i}-price": price,
                f"intervals-{i}-included_units": "0",
                f"intervals-{i}-overage_price": "0",
                **management(f"intervals-{i}-tiers", len(tiers)),
            }
        )
        for t, (start, end, tier_price) in enumerate(tiers):
            data.update(
                {
                    f"intervals-{i}-tiers-{t}-start_unit": start,
                    f"intervals-{i}-tiers-{t}-end_unit": "" if end is None else end,
                    f"intervals-{i}-tiers-{t}-price": tier_price,
                    f"intervals-{i}-tiers-{t}-price_format": "per_unit",
                    f"intervals-{i}-tiers-{t}-flat_amount": "0",
                }
            )
    return data


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor))


def test_intervals_and_tiers_are_saved_on_one_page(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    data = pbi_post(
        rate,
        item,
        "tiered",
        [
            ("month", 12, "0", [("0", "10", "1.00"), ("10", None, "0.80")]),
            ("infinity", None, "0", [("0", None, "0.90")]),
        ],
    )
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    pbi = PriceBookItem.objects.get()
    assert list(pbi.intervals.values_list("sequence", "duration_unit", "duration")) == [
        (1, "month", 12),
        (2, "infinity", None),
    ]
    assert list(
        PriceTier.objects.order_by("interval__sequence", "start_unit").values_list(
            "start_unit", "end_unit", "price"
        )
    ) == [
        (Decimal("0"), Decimal("10"), Decimal("1")),
        (Decimal("10"), None, Decimal("0.8")),
        (Decimal("0"), None, Decimal("0.9")),
    ]
    page = vendor_client.get(reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]))
    assert page.status_code == 200
    assert "intervals-1-tiers-0-price" in page.content.decode()


def test_a_gap_between_tiers_is_a_form_error(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    data = pbi_post(
        rate,
        item,
        "tiered",
        [
            ("infinity", None, "0", [("0", "10", "1.00"), ("20", None, "0.80")]),
        ],
    )
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    assert "gap between 10 and 20" in response.content.decode()
    assert not PriceBookItem.objects.exists()


def test_infinity_before_the_last_interval_is_a_form_error(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    data = pbi_post(
        rate,
        item,
        "per_unit",
        [
            ("infinity", None, "1", []),
            ("month", 3, "2", []),
        ],
    )
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.errors["duration_unit"] == ["Only the last interval may be Infinity."]
    assert not PriceBookItem.objects.exists()


def test_an_item_outside_the_offering_is_a_form_error(vendor_client, vendor, rate):
    stranger = ItemFactory(product=ProductFactory(vendor=vendor))
    data = pbi_post(rate, stranger, "per_unit", [("infinity", None, "1", [])])
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    assert "not part of this rate&#x27;s offering" in response.content.decode()


def test_a_duplicate_is_a_form_error(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    PriceBookItemFactory(rate=rate, item=item)
    data = pbi_post(rate, item, "per_unit", [("infinity", None, "1", [])])
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    assert "already has a price with these custom attributes" in response.content.decode()
    assert PriceBookItem.objects.count() == 1


def test_price_preview_shows_the_schedule(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    pbi = PriceBookItemFactory(
        rate=rate, item=item, charge_model="per_unit", pricing_type="interval"
    )
    PriceIntervalFactory(
        price_book_item=pbi, sequence=1, duration_unit="month", duration=2, price=Decimal("5")
    )
    PriceIntervalFactory(price_book_item=pbi, sequence=2, price=Decimal("7"))
    url = reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])
    response = vendor_client.get(url, {"quantity": "3", "start_date": "2026-01-31", "periods": "4"})
    assert response.status_code == 200
    schedule = response.context["schedule"]
    assert [line.amount for line in schedule.lines] == [Decimal("15.00")] * 2 + [
        Decimal("21.00")
    ] * 2
    assert schedule.total == Decimal("72.00")
    html = response.content.decode()
    assert "total 72.00 USD" in html
    assert "2026-02-28" in html  # 31 January + 1 month


def test_price_preview_bad_input_is_a_message(vendor_client, rate):
    pbi = PriceBookItemFactory(rate=rate, item=rate.offering.offering_items.get().item)
    PriceIntervalFactory(price_book_item=pbi)
    url = reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])
    response = vendor_client.get(url, {"quantity": "-1", "start_date": "nope", "periods": "0"})
    assert response.status_code == 200
    assert "schedule" not in response.context
    assert response.context["preview_form"].errors.keys() == {"quantity", "start_date", "periods"}


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_other_vendors_pricing_is_a_404(vendor_client, other_vendor, view):
    offering = OfferingFactory(vendor=other_vendor)
    rate = RateFactory(offering=offering)
    for model, obj in (("offering", offering), ("rate", rate)):
        url = reverse(f"admin:pricing_{model}_{view}", args=[obj.pk])
        assert vendor_client.get(url).status_code == 404


def test_pricing_changelists_are_scoped(vendor_client, vendor, other_vendor):
    mine = OfferingFactory(vendor=vendor)
    OfferingFactory(vendor=other_vendor)
    response = vendor_client.get(reverse("admin:pricing_offering_changelist"))
    assert list(response.context["cl"].result_list) == [mine]
