"""Plan prices on the listing page: the plan's offering's active rates for the marketplace."""

from datetime import date, timedelta

import pytest

from catalog.tests.factories import ItemFactory, MarketplaceFactory, PlanItemFactory
from portal.tests.conftest import PUBLISHED, listed_offer, price_plan
from portal.tests.dom import parse
from pricing.models import Offering, OfferingItem, Rate

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


@pytest.fixture
def listing(vendor, marketplace):
    return listed_offer(vendor, marketplace, name="For business", plans=2)


def plans_of(listing):
    return list(listing.offer.plans.order_by("position"))


def price_cells(client, listing, **params) -> list[str]:
    page = parse(client.get(f"/portal/listings/{listing.pk}/", params))
    return [cell.text for cell in page.find_all("td", class_="plan-price")]


def test_a_regular_price_per_plan(distributor_client, listing):
    first, second = plans_of(listing)
    price_plan(first, intervals=[("infinity", None, "6.00")])
    price_plan(second, intervals=[("infinity", None, "12.50")])
    assert price_cells(distributor_client, listing) == [
        "$6.00 per user per month",
        "$12.50 per user per month",
    ]


def test_an_interval_price_is_spelled_out(distributor_client, listing):
    first, _ = plans_of(listing)
    item = first.plan_items.get().item
    item.unit = "delivery"
    item.save()
    price_plan(
        first,
        charge_model="delivery",
        intervals=[("day", 365, "4.75"), ("infinity", None, "9.50")],
    )
    assert price_cells(distributor_client, listing)[0] == (
        "$4.75 per delivery for 365 days, then $9.50 per delivery"
    )


def test_a_tiered_price_lists_its_bands(distributor_client, listing):
    first, _ = plans_of(listing)
    price_plan(
        first,
        charge_model="tiered",
        intervals=[("infinity", None, "0")],
        tiers=[("0", "100", "0.10"), ("100", None, "0.05")],
    )
    assert price_cells(distributor_client, listing)[0] == (
        "Tiered price, per month: $0.10 per user up to 100, $0.05 per user above 100 "
        "(each band prices the units inside it)"
    )


def test_a_plan_without_an_active_rate_is_price_on_request(distributor_client, listing):
    first, second = plans_of(listing)
    price_plan(first, status=Rate.Status.DRAFT)
    price_plan(second, status=Rate.Status.INACTIVE)
    assert price_cells(distributor_client, listing) == ["Price on request"] * 2


def test_a_plan_without_an_offering_is_price_on_request(distributor_client, listing):
    assert price_cells(distributor_client, listing) == ["Price on request"] * 2


def test_a_rate_for_another_channel_is_ignored(distributor_client, listing):
    first, second = plans_of(listing)
    elsewhere = MarketplaceFactory(currency="USD")
    price_plan(first, channel=elsewhere, intervals=[("infinity", None, "99.00")])
    price_plan(second, channel=elsewhere, intervals=[("infinity", None, "99.00")])
    price_plan(second, channel=None, intervals=[("infinity", None, "7.00")])
    assert price_cells(distributor_client, listing) == [
        "Price on request",
        "$7.00 per user per month",
    ]


def test_a_rate_for_this_channel_wins_over_an_every_channel_rate(
    distributor_client, listing, marketplace
):
    first, _ = plans_of(listing)
    price_plan(first, channel=None, intervals=[("infinity", None, "7.00")])
    price_plan(first, channel=marketplace, intervals=[("infinity", None, "6.50")])
    assert price_cells(distributor_client, listing)[0] == "$6.50 per user per month"


def test_prices_are_in_the_marketplaces_currency(distributor_client, vendor, distributor):
    europe = MarketplaceFactory(name="Europe", code="eu", currency="EUR")
    distributor.marketplaces.add(europe)
    listing = listed_offer(vendor, europe, plans=1)
    (plan,) = plans_of(listing)
    price_plan(plan, currency="USD", intervals=[("infinity", None, "9.00")])
    price_plan(plan, currency="EUR", intervals=[("infinity", None, "8.00")])
    assert price_cells(distributor_client, listing) == ["€8.00 per user per month"]
    page = parse(distributor_client.get(f"/portal/listings/{listing.pk}/"))
    assert "Prices in EUR for Europe" in page.find("p", class_="matrix-note").text


def test_money_is_formatted_in_the_readers_locale(distributor_client, listing):
    first, _ = plans_of(listing)
    price_plan(first, intervals=[("infinity", None, "1234.5")])
    cells = price_cells(distributor_client, listing, lang="de")
    assert cells[0] == f"1.234,50{NBSP}$ pro user pro Monat"


def test_customer_group_rates_are_not_list_prices(distributor_client, listing):
    first, _ = plans_of(listing)
    price_plan(first, intervals=[("infinity", None, "3.00")])
    Rate.objects.filter(offering=first.offering).update(customer_group="education")
    assert price_cells(distributor_client, listing)[0] == "Price on request"


@pytest.mark.parametrize(
    "change",
    [
        {"status": Offering.Status.INACTIVE},
        {"start_date": date.today() + timedelta(days=30)},
        {"start_date": date(2020, 1, 1), "end_date": date.today() - timedelta(days=1)},
    ],
)
def test_an_offering_that_is_not_available_prices_nothing(distributor_client, listing, change):
    first, _ = plans_of(listing)
    price_plan(first)
    Offering.objects.filter(pk=first.offering_id).update(**change)
    assert price_cells(distributor_client, listing)[0] == "Price on request"


def test_a_plan_with_several_items_names_each_line(distributor_client, listing):
    first, _ = plans_of(listing)
    price_plan(first, intervals=[("infinity", None, "10.00")])
    extra = ItemFactory(
        product=listing.offer.product, name="Extra storage", unit="GB", status=PUBLISHED
    )
    PlanItemFactory(plan=first, item=extra, quantity=5)
    OfferingItem.objects.create(offering=first.offering, item=extra, default_quantity=5)
    rate = first.offering.rates.get()
    from pricing.tests.factories import PriceBookItemFactory, PriceIntervalFactory

    PriceIntervalFactory(
        price_book_item=PriceBookItemFactory(rate=rate, item=extra), price="0.20", sequence=1
    )
    cell = parse(distributor_client.get(f"/portal/listings/{listing.pk}/")).find(
        "td", class_="plan-price"
    )
    lines = [line.text for line in cell.find_all("li")]
    base = first.plan_items.order_by("pk").first().item
    assert lines == [
        f"{base.name} $10.00 per user per month",
        "5 × Extra storage $0.20 per GB per month",
    ]


def test_items_show_their_own_prices(distributor_client, listing):
    first, _ = plans_of(listing)
    price_plan(first, intervals=[("infinity", None, "6.00")])
    item = first.plan_items.get().item
    card = parse(distributor_client.get(f"/portal/listings/{listing.pk}/")).find(
        "li", id=f"item-{item.pk}"
    )
    assert "Price $6.00 per user per month" in card.text
