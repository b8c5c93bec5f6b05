"""The index's product filter lists at most ``PRODUCT_CHOICES`` products: with more, it lists
none but the chosen one and says to choose a vendor or to search; a chosen vendor narrows
the list to its products (listed again when few enough); a tampered id lists nothing."""

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
