"""Every portal page runs the same number of queries whatever the size of what it shows."""

import pytest

from catalog.tests.factories import (
    AddOnRequirementFactory,
    FeatureGroupTranslationFactory,
    FeatureTranslationFactory,
    ItemFactory,
    ItemGroupFactory,
    ItemPathFactory,
    ItemTranslationFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    OfferTranslationFactory,
    PlanTranslationFactory,
    ProductFactory,
    VendorFactory,
)
from portal.tests.conftest import PUBLISHED, listed_offer
from portal.tests.dom import parse
from pricing.models import OfferingItem, Rate
from pricing.tests.factories import (
    OfferingFactory,
    PriceBookItemFactory,
    RateFactory,
    price_intervals,
)

pytestmark = pytest.mark.django_db

# session, user, membership; then the page's own reads (see portal/selectors.py).
# filter choices (3), count and page of listings (2), the offers' translations (1). A list that
# fits its first page is not counted (catalog.paginator): one query fewer, never more.
INDEX_QUERIES = 3 + 3 + 2 + 1
LISTING_QUERIES = 3 + 1 + 2 + 3 + 4 + 5 + 4
# listing with offer/product/vendor/marketplace (1), plans and plan items (2),
# matrix groups, features and cells (3), items, item groups, add-ons, paths (4),
# translations of items, offers, plans, feature groups and features (5),
# rates, price book items, intervals, tiers (4).
# In the default language the rows' own texts are shown: no translation query.
LISTING_QUERIES_DEFAULT_LANGUAGE = LISTING_QUERIES - 5
INDEX_QUERIES_DEFAULT_LANGUAGE = INDEX_QUERIES - 1


def rich_listing(vendor, marketplace, size: int):
    """A listing with ``size`` of everything: plans, features, items, rates, intervals, tiers."""
    listing = listed_offer(vendor, marketplace, plans=size, groups=size, features=size)
    product = listing.offer.product
    plans = list(listing.offer.plans.all())
    OfferTranslationFactory(offer=listing.offer, locale="de")
    for group in listing.offer.feature_groups.all():
        FeatureGroupTranslationFactory(group=group, locale="de")
        for feature in group.features.all():
            FeatureTranslationFactory(feature=feature, locale="de")
    offering = OfferingFactory(vendor=vendor)
    parent = ItemGroupFactory(product=product)
    for plan in plans:
        PlanTranslationFactory(plan=plan, locale="de")
        plan.offering = offering
        plan.save()
        item = plan.plan_items.get().item
        item.group = ItemGroupFactory(product=product, parent=parent)
        item.save()
        OfferingItem.objects.create(offering=offering, item=item, default_quantity=1)
        ItemTranslationFactory(item=item, locale="de")
        addon = ItemFactory(product=product, status=PUBLISHED)
        ItemTranslationFactory(item=addon, locale="de")
        AddOnRequirementFactory(addon=addon, base=item)
        ItemPathFactory(source=item, target=addon)
    for channel in (None, marketplace):
        for index in range(size):
            rate = RateFactory(
                offering=offering,
                sales_channel=channel,
                status=Rate.Status.ACTIVE,
                name=f"{channel} {index}",
            )
            for plan in plans:
                pbi = PriceBookItemFactory(
                    rate=rate,
                    item=plan.plan_items.get().item,
                    charge_model="tiered",
                    pricing_type="interval",
                )
                price_intervals(pbi, intervals=size, tiers=size, months=1)
    return listing


def many_listings(distributor, size: int) -> None:
    """``size`` listings over ``size`` vendors, products and admitted marketplaces."""
    for index in range(size):
        marketplace = MarketplaceFactory()
        distributor.marketplaces.add(marketplace)
        product = ProductFactory(vendor=VendorFactory())
        offer = OfferFactory(product=product, name=f"Offer {index}")
        OfferTranslationFactory(offer=offer, locale="de", name=f"Angebot {index}")
        ListingFactory(offer=offer, marketplace=marketplace)


@pytest.mark.parametrize("size", [2, 25])
def test_index_queries_do_not_grow(
    distributor_client, distributor, size, django_assert_max_num_queries
):
    many_listings(distributor, size)
    with django_assert_max_num_queries(INDEX_QUERIES):
        response = distributor_client.get("/portal/", {"lang": "de"})
    assert response.status_code == 200
    links = parse(response).find_all("a", class_="listing-link", lang="de")
    assert len(links) == min(size, 20)
    assert all(link.text.startswith("Angebot ") for link in links)


@pytest.mark.parametrize("size", [2, 25])
def test_filtered_index_queries_do_not_grow(
    distributor_client, distributor, size, django_assert_num_queries
):
    many_listings(distributor, size)
    with django_assert_num_queries(INDEX_QUERIES_DEFAULT_LANGUAGE):
        response = distributor_client.get("/portal/", {"q": "offer", "page": "2"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_listing_page_queries_do_not_grow(
    distributor_client, vendor, marketplace, size, django_assert_num_queries
):
    listing = rich_listing(vendor, marketplace, size)
    with django_assert_num_queries(LISTING_QUERIES):
        response = distributor_client.get(f"/portal/listings/{listing.pk}/", {"lang": "de"})
    assert response.status_code == 200
    page = parse(response)
    # The page did show all of it: plans with prices, feature rows, translated items.
    prices = page.find_all("td", class_="plan-price")
    assert len(prices) == size
    assert all(cell.text.startswith("Staffelpreis") for cell in prices)
    assert len(page.find_all("th", scope="row")) == 1 + size * size
    assert len(page.find_all("li", class_="item-card")) == 2 * size
    assert len(page.find_all("h3", lang="de")) == 2 * size
    # Offer, plans, feature groups and features in German too.
    assert page.find("h1", lang="de").text.endswith("(de)")
    assert len(page.find_all("th", class_="plan-name")) == size
    assert all(th.find("span", lang="de") for th in page.find_all("th", class_="plan-name"))
    assert len(page.find_all("th", scope="row", lang="de")) == size * size


@pytest.mark.parametrize("size", [2, 6])
def test_vendor_preview_queries_do_not_grow(
    vendor_client,
    vendor,
    marketplace,
    size,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    listing = rich_listing(vendor, marketplace, size)
    with django_assert_num_queries(LISTING_QUERIES_DEFAULT_LANGUAGE):
        assert vendor_client.get(f"/portal/listings/{listing.pk}/").status_code == 200
    with django_assert_max_num_queries(INDEX_QUERIES_DEFAULT_LANGUAGE):
        assert vendor_client.get("/portal/").status_code == 200
