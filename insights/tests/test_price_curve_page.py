"""The portal's page of a price (``portal:price_curve``): each price a listing shows links to
it, and it shows that price in words and drawn, the cliff marked, in the reader's language.
A reader sees only the prices the listing page itself shows them (the price selector's, for
the listing's marketplace, through ``visible_to``): any other price is a 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from insights.tests.curves_data import build_shop
from insights.tests.paths_data import module_rows
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


@pytest.fixture(scope="module")
def shop(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_shop()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_url_is_named_price_curve(shop):
    pbi = shop.prices["volume"]
    url = reverse("portal:price_curve", args=[shop.listing.pk, pbi.pk])
    assert url == shop.url("volume")


def test_each_price_the_listing_shows_links_to_its_page(shop):
    page = parse(signed_in(shop.distributor_user).get(f"/portal/listings/{shop.listing.pk}/"))
    cells = page.find_all("td", class_="plan-price")
    links = [cell.find("a", class_="price-text").attrs["href"] for cell in cells]
    assert links == [shop.url("volume"), shop.url("steps")]
    cards = {
        link.attrs["href"]
        for card in page.find_all("p", class_="item-price")
        for link in card.find_all("a", class_="price-text")
    }
    assert cards == {shop.url("volume"), shop.url("steps")}


def test_the_links_keep_the_chosen_language(shop):
    page = parse(
        signed_in(shop.distributor_user).get(f"/portal/listings/{shop.listing.pk}/?lang=de")
    )
    link = page.find("td", class_="plan-price").find("a", class_="price-text")
    assert link.attrs["href"] == shop.url("volume") + "?lang=de"


def test_a_distributor_sees_the_chart_of_a_shown_price_with_its_cliff_marked(shop):
    response = signed_in(shop.distributor_user).get(shop.url("volume"))
    assert response.status_code == 200
    page = parse(response)
    assert page.find("h1").text == "Price curve"
    assert "Volume seats" in page.find("p", class_="eyebrow").text
    assert page.find("p", class_="price-sentence").text.startswith("Volume price, per month")
    (figure,) = page.find("section", id="price-curves").find_all("figure", class_="quantity-curve")
    svg = figure.find("svg")
    assert svg.attrs["role"] == "img"
    assert svg.find("title").text == "Amount per period against quantity (USD)"
    assert len(svg.find_all("line", class_="cliff")) == 1
    words = "Cliff: 11 units cost $55.00 a period, less than 10 units at $100.00."
    assert figure.find("figcaption").text == words
    assert svg.find("desc").text.endswith(words)
    assert not page.find_all("figure", class_="time-curve")  # one interval: not over time


def test_an_interval_price_has_a_chart_per_interval_and_one_over_time(shop):
    page = parse(signed_in(shop.distributor_user).get(shop.url("steps")))
    assert len(page.find_all("figure", class_="quantity-curve")) == 3
    (time,) = page.find_all("figure", class_="time-curve")
    assert time.find("desc").text == (
        "Step chart of the amount per billing period at a quantity of 2 against months from "
        "the start: Interval 1, months 0 to 3: $40.00; Interval 2, months 3 to 5: $30.00; "
        "Interval 3, from month 5 on: $20.00."
    )
    assert "No cliff: a larger quantity never costs less." in page.text


@pytest.mark.parametrize("name", ["draft", "inactive", "other_channel", "other_vendor"])
def test_a_price_the_listing_does_not_show_is_not_found(shop, name):
    assert signed_in(shop.distributor_user).get(shop.url(name)).status_code == 404


def test_a_price_of_another_listing_is_not_found_under_this_one(shop):
    url = f"/portal/listings/{shop.other_listing.pk}/prices/{shop.prices['volume'].pk}/"
    assert signed_in(shop.distributor_user).get(url).status_code == 404
    own = f"/portal/listings/{shop.other_listing.pk}/prices/{shop.prices['other_vendor'].pk}/"
    assert signed_in(shop.distributor_user).get(own).status_code == 200


def test_another_vendors_staff_cannot_see_the_listing_nor_its_prices(shop):
    assert signed_in(shop.other_vendor_user).get(shop.url("volume")).status_code == 404


def test_the_vendors_preview_shows_what_distributors_see_and_no_draft_rate(shop):
    client = signed_in(shop.vendor_user)
    assert client.get(shop.url("volume")).status_code == 200
    assert client.get(shop.url("draft")).status_code == 404


def test_a_signed_out_reader_is_sent_to_log_in(shop):
    response = Client().get(shop.url("volume"))
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_a_german_reader_gets_german_words_and_money(shop):
    page = parse(signed_in(shop.distributor_user).get(shop.url("volume") + "?lang=de"))
    assert page.find("html").attrs["lang"] == "de"
    assert page.find("h1").text == "Preiskurve"
    figure = page.find("figure", class_="quantity-curve")
    assert figure.find("svg").find("title").text == "Betrag pro Zeitraum nach Menge (USD)"
    assert figure.find("figcaption").text == (
        f"Preisklippe: 11 Einheiten kosten 55,00{NBSP}$ pro Zeitraum, weniger als 10 Einheiten "
        f"zu 100,00{NBSP}$."
    )
    assert {"Menge (Einheiten)", "Betrag pro Zeitraum (USD)", "Preisklippe bei Menge 11"} <= {
        text.text for text in figure.find_all("text")
    }
    assert page.find("p", class_="price-sentence").text.startswith("Volumenpreis")


def test_a_french_reader_gets_french_words_and_money(shop):
    page = parse(signed_in(shop.distributor_user).get(shop.url("steps") + "?lang=fr"))
    assert page.find("h1").text == "Courbe de prix"
    time = page.find("figure", class_="time-curve")
    assert time.find("svg").find("title").text == "Montant par période dans le temps (USD)"
    assert time.find("desc").text.endswith(f"Intervalle 3, à partir du mois 5 : 20,00{NBSP}$US.")
    assert time.find("figcaption").text.startswith("Dans le temps, pour une quantité de 2 ;")
