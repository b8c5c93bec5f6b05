"""The index stays cheap with many listings: its product filter lists at most
``PRODUCT_CHOICES`` products (with more, none but the chosen one, and it says to choose a
vendor or to search; a chosen vendor narrows the list to its products; a tampered id lists
nothing), its vendor filter at most ``VENDOR_CHOICES`` vendors (with more, the chosen one only,
and the search finds a vendor by name), and its count stops at ``LIST_COUNT_LIMIT`` ("More
than N listings")."""

import pytest

from catalog.tests.factories import ListingFactory, OfferFactory, ProductFactory
from portal import selectors
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db
HINT = "Too many products to list: choose a vendor, or search by name."


@pytest.fixture
def products(vendor, other_vendor, marketplace, monkeypatch):
    monkeypatch.setattr(selectors, "PRODUCT_CHOICES", 3)
    made = {}
    for owner, names in ((vendor, ["Alpha", "Beta", "Gamma"]), (other_vendor, ["Delta", "Eps"])):
        for name in names:
            made[name] = ProductFactory(vendor=owner, name=name)
            ListingFactory(offer=OfferFactory(product=made[name]), marketplace=marketplace)
    return made


def product_options(response) -> list[str]:
    select = parse(response).find("select", name="product")
    return [option.text for option in select.find_all("option")][1:]  # after "All products"


def test_more_products_than_listed_show_none_and_say_what_to_do(distributor_client, products):
    response = distributor_client.get("/portal/")
    assert product_options(response) == []
    assert HINT in response.content.decode()


def test_the_chosen_product_stays_chosen_among_too_many(distributor_client, products):
    response = distributor_client.get("/portal/", {"product": products["Delta"].pk})
    assert product_options(response) == ["Delta"]
    assert [row.text for row in parse(response).find_all("a", class_="listing-link")]


def test_a_chosen_vendor_lists_its_own_products(distributor_client, products, other_vendor):
    response = distributor_client.get("/portal/", {"vendor": other_vendor.pk})
    assert product_options(response) == ["Delta", "Eps"]
    assert HINT not in response.content.decode()


def test_a_tampered_product_id_lists_nothing(distributor_client, products):
    response = distributor_client.get("/portal/", {"product": "9" * 40})
    assert response.status_code == 200
    assert product_options(response) == []


def test_the_hint_is_translated(distributor_client, products):
    german = distributor_client.get("/portal/", {"lang": "de"}).content.decode()
    assert "Zu viele Produkte für eine Liste" in german


def test_a_count_past_the_limit_says_more_than(distributor_client, products, settings):
    settings.LIST_COUNT_LIMIT = 3
    text = parse(distributor_client.get("/portal/")).find(class_="result-count").text
    assert "More than 3 listings: search or filter to narrow them" in text
    german = distributor_client.get("/portal/", {"lang": "de"})
    assert "Mehr als 3 Listungen" in parse(german).find(class_="result-count").text
    settings.LIST_COUNT_LIMIT = 5
    text = parse(distributor_client.get("/portal/")).find(class_="result-count").text
    assert "5 listings" in text and "More than" not in text


VENDOR_HINT = "Too many vendors to list: search by the vendor's name."


def vendor_options(response) -> list[str]:
    select = parse(response).find("select", name="vendor")
    return [option.text for option in select.find_all("option")][1:]  # after "All vendors"


def test_more_vendors_than_listed_show_none_and_say_what_to_do(
    distributor_client, products, monkeypatch
):
    monkeypatch.setattr(selectors, "VENDOR_CHOICES", 1)
    response = distributor_client.get("/portal/")
    assert vendor_options(response) == []
    assert VENDOR_HINT in response.content.decode()
    german = distributor_client.get("/portal/", {"lang": "de"}).content.decode()
    assert "Zu viele Anbieter für eine Liste" in german


def test_the_chosen_vendor_stays_chosen_among_too_many(
    distributor_client, products, other_vendor, monkeypatch
):
    monkeypatch.setattr(selectors, "VENDOR_CHOICES", 1)
    response = distributor_client.get("/portal/", {"vendor": other_vendor.pk})
    assert vendor_options(response) == [other_vendor.name]
    assert VENDOR_HINT in response.content.decode()


def test_vendors_within_the_bound_are_all_listed(
    distributor_client, products, vendor, other_vendor
):
    response = distributor_client.get("/portal/")
    assert sorted(vendor_options(response)) == sorted([vendor.name, other_vendor.name])
    assert VENDOR_HINT not in response.content.decode()


def test_the_search_finds_a_vendor_s_listings_by_its_name(
    distributor_client, products, other_vendor
):
    response = distributor_client.get("/portal/", {"q": other_vendor.name})
    links = [row.text for row in parse(response).find_all("a", class_="listing-link")]
    assert len(links) == 2  # Delta's and Eps's listings, and no other vendor's
