"""The listings index: search by offer or product name, filters, pagination."""

import pytest

from catalog.tests.factories import ListingFactory, MarketplaceFactory, OfferFactory, ProductFactory
from portal.tests.dom import parse
from portal.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def offer_names(response) -> list[str]:
    return [link.text for link in parse(response).find_all("a", class_="listing-link")]


def select_options(response, name: str) -> list[str]:
    return [option.text for option in parse(response).find("select", name=name).find_all("option")]


@pytest.fixture
def catalog(vendor, other_vendor, marketplace, distributor):
    """Two vendors, two admitted marketplaces, three products."""
    europe = MarketplaceFactory(name="Europe", code="eu", currency="EUR")
    distributor.marketplaces.add(europe)
    office = ProductFactory(vendor=vendor, name="Office suite")
    windows = ProductFactory(vendor=vendor, name="Windows")
    shirts = ProductFactory(vendor=other_vendor, name="Shirt")
    rows = {
        "office_home_us": ListingFactory(
            offer=OfferFactory(product=office, name="For home"), marketplace=marketplace
        ),
        "office_business_eu": ListingFactory(
            offer=OfferFactory(product=office, name="For business"), marketplace=europe
        ),
        "windows_us": ListingFactory(
            offer=OfferFactory(product=windows, name="Standalone"), marketplace=marketplace
        ),
        "shirts_eu": ListingFactory(
            offer=OfferFactory(product=shirts, name="Shirts"), marketplace=europe
        ),
    }
    return {"europe": europe, "office": office, "listings": rows}


def test_without_filters_every_visible_listing_is_shown_in_order(distributor_client, catalog):
    response = distributor_client.get("/portal/")
    assert offer_names(response) == ["For business", "For home", "Shirts", "Standalone"]
    assert "4 listings" in parse(response).find(class_="result-count").text


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("home", ["For home"]),  # offer name
        ("OFFICE", ["For business", "For home"]),  # product name, any case
        ("shirt", ["Shirts"]),  # both
        ("  windows ", ["Standalone"]),  # trimmed
        ("nothing like it", []),
    ],
)
def test_search_matches_offer_or_product_name(distributor_client, catalog, q, expected):
    response = distributor_client.get("/portal/", {"q": q})
    assert offer_names(response) == expected
    assert parse(response).find("input", name="q").attrs["value"] == q
    if not expected:
        assert "No listings match your search." in response.content.decode()


def test_filter_by_marketplace(distributor_client, catalog):
    response = distributor_client.get("/portal/", {"marketplace": catalog["europe"].pk})
    assert offer_names(response) == ["For business", "Shirts"]
    selected = parse(response).find("select", name="marketplace").find("option", selected=True)
    assert selected.text == "Europe (EUR)"


def test_filter_by_vendor(distributor_client, catalog, other_vendor):
    response = distributor_client.get("/portal/", {"vendor": other_vendor.pk})
    assert offer_names(response) == ["Shirts"]


def test_filter_by_product(distributor_client, catalog):
    response = distributor_client.get("/portal/", {"product": catalog["office"].pk})
    assert offer_names(response) == ["For business", "For home"]


def test_filters_and_search_combine(distributor_client, catalog, marketplace):
    response = distributor_client.get(
        "/portal/", {"q": "office", "marketplace": marketplace.pk, "product": catalog["office"].pk}
    )
    assert offer_names(response) == ["For home"]


@pytest.mark.parametrize("value", ["abc", "999999", "-1"])
def test_an_unknown_filter_value_is_ignored(distributor_client, catalog, value):
    response = distributor_client.get("/portal/", {"marketplace": value})
    assert response.status_code == 200
    assert len(offer_names(response)) == 4


def test_filter_choices_offer_only_what_the_user_can_see(distributor_client, catalog, vendor):
    hidden = MarketplaceFactory(name="Hidden market", code="hidden")
    hidden_product = ProductFactory(vendor=vendor, name="Hidden product")
    ListingFactory(offer=OfferFactory(product=hidden_product), marketplace=hidden)
    response = distributor_client.get("/portal/")
    assert select_options(response, "marketplace") == [
        "All marketplaces",
        "Europe (EUR)",
        "North America (USD)",
    ]
    assert select_options(response, "vendor") == ["All vendors", "Contoso", "Northwind"]
    assert "Hidden product (Northwind)" not in select_options(response, "product")
    assert select_options(response, "product") == [
        "All products",
        "Office suite (Northwind)",
        "Shirt (Contoso)",
        "Windows (Northwind)",
    ]


def test_pagination_splits_the_listings_and_keeps_the_search(
    distributor_client, vendor, marketplace
):
    product = ProductFactory(vendor=vendor, name="Bulk")
    for number in range(PAGE_SIZE + 5):
        ListingFactory(
            offer=OfferFactory(product=product, name=f"Offer {number:03d}"), marketplace=marketplace
        )
    first = distributor_client.get("/portal/", {"q": "bulk"})
    assert len(offer_names(first)) == PAGE_SIZE
    assert "page 1 of 2" in parse(first).find(class_="result-count").text
    pagination = parse(first).find("nav", aria_label="Pages of listings")
    next_link = pagination.find("a", rel="next")
    assert next_link.attrs["href"] == "?q=bulk&page=2"

    second = distributor_client.get("/portal/", {"q": "bulk", "page": 2})
    assert offer_names(second) == [
        f"Offer {number:03d}" for number in range(PAGE_SIZE, PAGE_SIZE + 5)
    ]
    current = (
        parse(second).find("nav", aria_label="Pages of listings").find("a", aria_current="page")
    )
    assert current.text == "Page 2"


@pytest.mark.parametrize("page", ["99", "zero", ""])
def test_an_out_of_range_page_shows_a_valid_page(distributor_client, catalog, page):
    response = distributor_client.get("/portal/", {"page": page})
    assert response.status_code == 200
    assert len(offer_names(response)) == 4


def test_the_chosen_language_is_kept_in_the_search_form_and_links(distributor_client, catalog):
    page = parse(distributor_client.get("/portal/", {"lang": "de"}))
    assert page.find("input", type="hidden", name="lang").attrs["value"] == "de"
    link = page.find("a", class_="listing-link")
    assert link.attrs["href"].endswith("/?lang=de")
