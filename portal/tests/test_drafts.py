"""The portal shows distributors no draft: not a draft product's listing, not a draft item in a
plan; vendor staff preview both. The rule is ``visible_to``'s, the portal only reads it."""

from decimal import Decimal

import pytest

from catalog.models import Item, Product
from catalog.tests.factories import ItemFactory, ItemTranslationFactory, PlanItemFactory
from portal.tests.conftest import listed_offer, price_plan
from portal.tests.dom import parse
from pricing.models import OfferingItem
from pricing.tests.factories import PriceBookItemFactory, PriceIntervalFactory

pytestmark = pytest.mark.django_db


def listing_url(listing) -> str:
    return f"/portal/listings/{listing.pk}/"


@pytest.fixture
def draft_product_listing(vendor, marketplace):
    listing = listed_offer(vendor, marketplace, name="Coming soon")
    product = listing.offer.product
    product.status = Product.Status.DRAFT
    product.save()
    return listing


def test_a_listed_offer_of_a_draft_product_is_hidden_from_distributors(
    distributor_client, draft_product_listing
):
    assert "Coming soon" not in distributor_client.get("/portal/").content.decode()
    assert distributor_client.get(listing_url(draft_product_listing)).status_code == 404


def test_vendor_staff_preview_the_listing_of_their_draft_product(
    vendor_client, draft_product_listing
):
    assert "Coming soon" in vendor_client.get("/portal/").content.decode()
    assert vendor_client.get(listing_url(draft_product_listing)).status_code == 200


@pytest.fixture
def plan_with_a_draft_item(vendor, marketplace):
    """A listed plan selling a published item and a draft one, both priced in its rate."""
    listing = listed_offer(vendor, marketplace, name="For home", plans=1)
    plan = listing.offer.plans.get()
    pbi = price_plan(plan, intervals=[("infinity", None, "6.00")])
    draft = ItemFactory(
        product=listing.offer.product, name="Secret draft", status=Item.Status.DRAFT
    )
    ItemTranslationFactory(item=draft, locale="de", name="Geheimer Entwurf")
    PlanItemFactory(plan=plan, item=draft, quantity=2)
    OfferingItem.objects.create(offering=plan.offering, item=draft, default_quantity=1)
    draft_price = PriceBookItemFactory(rate=pbi.rate, item=draft, charge_model="per_unit")
    PriceIntervalFactory(
        price_book_item=draft_price, sequence=1, duration_unit="infinity", price=Decimal("88.77")
    )
    return listing


@pytest.mark.parametrize(
    ("lang", "price"),
    [("en", "$6.00 per user per month"), ("de", "6,00\xa0$ pro user pro Monat")],
)
def test_a_draft_item_in_a_plan_is_neither_named_nor_priced_for_distributors(
    distributor_client, plan_with_a_draft_item, lang, price
):
    page = parse(distributor_client.get(listing_url(plan_with_a_draft_item), {"lang": lang}))
    assert [cell.text for cell in page.find_all("td", class_="plan-price")] == [price]
    # The draft's price in either locale's format (never a bare number: ids are in the page).
    for secret in ("Secret draft", "Geheimer Entwurf", "88.77", "88,77"):
        assert secret not in page.text


def test_vendor_staff_preview_a_plans_draft_item_with_its_price(
    vendor_client, plan_with_a_draft_item
):
    page = parse(vendor_client.get(listing_url(plan_with_a_draft_item)))
    price = page.find("td", class_="plan-price").text
    assert "Secret draft" in price
    assert "$88.77" in price
