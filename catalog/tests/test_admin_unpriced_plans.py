"""The offer and listing pages of the admin name each plan that distributors see as "Price on
request" on a marketplace, with the price selector's reason."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.factories import (
    ItemFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    PlanFactory,
    PlanItemFactory,
    ProductFactory,
)
from portal.tests.dom import parse
from pricing.models import OfferingItem, Rate
from pricing.tests.factories import (
    OfferingFactory,
    PriceBookItemFactory,
    PriceIntervalFactory,
    RateFactory,
)

pytestmark = pytest.mark.django_db


def plan_with_item(offer, name: str, position: int, offering=None):
    plan = PlanFactory(offer=offer, name=name, position=position, offering=offering)
    item = ItemFactory(product=offer.product, mpn=f"SKU-{name.upper()}")
    PlanItemFactory(plan=plan, item=item)
    if offering is not None:
        OfferingItem.objects.create(offering=offering, item=item, default_quantity=1)
    return plan, item


def priced(offering, item, *, currency: str, channel=None) -> None:
    rate = RateFactory(
        offering=offering, currency=currency, sales_channel=channel, status=Rate.Status.ACTIVE
    )
    pbi = PriceBookItemFactory(rate=rate, item=item)
    PriceIntervalFactory(
        price_book_item=pbi, sequence=1, duration_unit="infinity", price=Decimal("10")
    )


@pytest.fixture
def europe(db):
    return MarketplaceFactory(name="Europe", code="eu", currency="EUR")


@pytest.fixture
def offer(vendor, marketplace, europe):
    """Five plans on Europe: priced in EUR; of an offering priced in USD only; priced in EUR
    for another channel only; not priced by its offering's EUR rate; without an offering."""
    offer = OfferFactory(product=ProductFactory(vendor=vendor), name="For business")
    offering = OfferingFactory(vendor=vendor, name="Office 365 business")
    dollars = OfferingFactory(vendor=vendor, name="Office 365 standard")
    _, basic = plan_with_item(offer, "Basic", 0, offering)
    _, standard = plan_with_item(offer, "Standard", 1, dollars)
    _, premium = plan_with_item(offer, "Premium", 2, offering)
    plan_with_item(offer, "Teams", 3, offering)
    plan_with_item(offer, "Apps", 4)
    priced(offering, basic, currency="EUR")
    priced(dollars, standard, currency="USD")
    priced(offering, premium, currency="EUR", channel=marketplace)
    ListingFactory(offer=offer, marketplace=europe)
    return offer


HINTS_ON_EUROPE = [
    "Plan Standard: no active rate of offering 'Office 365 standard' sells in EUR on Europe "
    "(item SKU-STANDARD).",
    "Plan Premium: on Europe, its rates in EUR sell on other channels (item SKU-PREMIUM).",
    "Plan Teams: no rate of offering 'Office 365 business' in EUR prices it on Europe "
    "(item SKU-TEAMS).",
    "Plan Apps: it has no offering, so no rate prices it.",
]


def hints(response) -> list[str]:
    assert response.status_code == 200
    field = parse(response).find("div", class_="field-unpriced_plans")
    return [item.text for item in field.find_all("li")]


def test_the_listing_page_names_each_unpriced_plan_and_why(vendor_client, offer):
    listing = offer.listings.get()
    response = vendor_client.get(reverse("admin:catalog_listing_change", args=[listing.pk]))
    assert hints(response) == [f"Europe: {hint}" for hint in HINTS_ON_EUROPE]
    assert "Price on request" in response.content.decode()


def test_the_offer_page_names_them_per_marketplace(vendor_client, offer, marketplace):
    ListingFactory(offer=offer, marketplace=marketplace)  # North America, USD
    response = vendor_client.get(reverse("admin:catalog_offer_change", args=[offer.pk]))
    assert hints(response) == ["Europe: " + hint for hint in HINTS_ON_EUROPE] + [
        "North America: Plan Basic: no active rate of offering 'Office 365 business' sells in "
        "USD on North America (item SKU-BASIC).",
        "North America: Plan Premium: no active rate of offering 'Office 365 business' sells "
        "in USD on North America (item SKU-PREMIUM).",
        "North America: Plan Teams: no active rate of offering 'Office 365 business' sells in "
        "USD on North America (item SKU-TEAMS).",
        "North America: Plan Apps: it has no offering, so no rate prices it.",
    ]


def test_an_offer_priced_everywhere_says_so(vendor_client, vendor, europe):
    offer = OfferFactory(product=ProductFactory(vendor=vendor))
    offering = OfferingFactory(vendor=vendor)
    _, item = plan_with_item(offer, "Only", 0, offering)
    priced(offering, item, currency="EUR")
    ListingFactory(offer=offer, marketplace=europe)
    response = vendor_client.get(reverse("admin:catalog_offer_change", args=[offer.pk]))
    field = parse(response).find("div", class_="field-unpriced_plans")
    assert "Every plan has a price on each marketplace it is listed on." in field.text


def test_an_unlisted_offer_says_it_is_not_listed(vendor_client, vendor):
    offer = OfferFactory(product=ProductFactory(vendor=vendor))
    response = vendor_client.get(reverse("admin:catalog_offer_change", args=[offer.pk]))
    field = parse(response).find("div", class_="field-unpriced_plans")
    assert "Not listed on any marketplace yet." in field.text


def test_the_hint_is_read_only_and_saving_the_listing_still_works(vendor_client, offer):
    listing = offer.listings.get()
    url = reverse("admin:catalog_listing_change", args=[listing.pk])
    response = vendor_client.post(
        url,
        {
            "offer": offer.pk,
            "marketplace": listing.marketplace_id,
            "status": "unlisted",
            "unpriced_plans": "tampered",
        },
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "unlisted"


def test_the_named_plans_are_the_ones_the_portal_shows_without_a_price(vendor_client, offer):
    listing = offer.listings.get()
    page = parse(vendor_client.get(f"/portal/listings/{listing.pk}/"))
    names = [th.text for th in page.find_all("th", class_="plan-name")]
    cells = [td.text for td in page.find_all("td", class_="plan-price")]
    on_request = [
        name for name, cell in zip(names, cells, strict=True) if cell == "Price on request"
    ]
    assert on_request == [hint.split(":")[0].removeprefix("Plan ") for hint in HINTS_ON_EUROPE]


def test_the_reasons_come_from_the_price_selector(monkeypatch, vendor_client, offer, europe):
    from pricing import unpriced

    asked = []
    real = unpriced.select_price

    def watched(**kwargs):
        asked.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(unpriced, "select_price", watched)
    listing = offer.listings.get()
    vendor_client.get(reverse("admin:catalog_listing_change", args=[listing.pk]))
    assert [call["item"].mpn for call in asked] == ["SKU-STANDARD", "SKU-PREMIUM", "SKU-TEAMS"]
    assert {(call["sale"].currency, call["sale"].channel_id) for call in asked} == {
        ("EUR", europe.pk)
    }
