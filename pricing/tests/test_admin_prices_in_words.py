"""The admin shows each price in words, as the portal words it (``pricebook.wording``): on the
rate page, in the price book item list and on the offering page's rates, in a fixed number
of queries however many prices there are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pricing.models import PriceBookItem
from pricing.price_words import price_in_words
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db


def test_the_rate_page_shows_each_price_in_words(vendor_client, sellable):
    html = vendor_client.get(
        reverse("admin:pricing_rate_change", args=[sellable["rate"].pk])
    ).content.decode()
    assert "$12.00 per unit per month" in html
    assert "$1,500.00, one-time" in html


def test_the_price_book_item_list_has_a_price_column(vendor_client, sellable):
    html = vendor_client.get(reverse("admin:pricing_pricebookitem_changelist")).content.decode()
    assert 'class="column-price_words"' in html
    assert "$3.00 per unit per month" in html


def test_the_offering_page_lists_each_rates_prices(vendor_client, sellable):
    html = vendor_client.get(
        reverse("admin:pricing_offering_change", args=[sellable["offering"].pk])
    ).content.decode()
    assert "SEATS: $12.00 per unit per month" in html
    assert "FEE: $1,500.00, one-time" in html


def test_the_words_are_the_portals_in_the_readers_language(sellable):
    pbi = PriceBookItem.objects.select_related("item", "rate").with_rows().get(item__mpn="SEATS")
    assert price_in_words(pbi, "de") == "12,00\xa0$ per unit per month"  # Babel: a no-break space


def test_a_price_the_engine_refuses_says_why(sellable):
    pbi = PriceBookItem.objects.select_related("item", "rate").get(item__mpn="SEATS")
    pbi.intervals.all().delete()
    pbi = PriceBookItem.objects.select_related("item", "rate").with_rows().get(pk=pbi.pk)
    assert price_in_words(pbi, "en") == "Not a valid price: A price needs at least one interval."


@pytest.mark.parametrize("items", [2, 8])
def test_the_price_list_runs_a_fixed_number_of_queries(
    items, vendor_client, vendor, django_assert_max_num_queries
):
    priced_offering(vendor, items=items, rates=2, intervals=2, tiers=3)
    with django_assert_max_num_queries(14):
        response = vendor_client.get(reverse("admin:pricing_pricebookitem_changelist"))
    assert response.content.decode().count("Tiered price, per month") == items * 2


@pytest.mark.parametrize("rates", [1, 5])
def test_the_offering_page_words_its_rates_prices_in_fixed_queries(
    rates, vendor_client, vendor, django_assert_max_num_queries
):
    offering = priced_offering(vendor, items=1, rates=rates, intervals=2)
    # 24 for the page, 10 for the price-book linter's panel (insights.lint) and 10 for the
    # change-impact panel (insights.impact)
    with django_assert_max_num_queries(44):
        response = vendor_client.get(reverse("admin:pricing_offering_change", args=[offering.pk]))
    assert response.content.decode().count("per unit per month for 12 months") == rates


@pytest.mark.parametrize("items", [1, 6])
def test_the_rate_page_words_its_prices_in_fixed_queries(
    items, vendor_client, vendor, django_assert_max_num_queries
):
    offering = priced_offering(vendor, items=items, rates=1, intervals=2)
    rate = offering.rates.get()
    url = reverse("admin:pricing_rate_change", args=[rate.pk])
    vendor_client.get(url)  # a process's first page also reads what it then caches
    # 20 for the page, 6 for the change-impact panel (insights.impact)
    with django_assert_max_num_queries(26):
        response = vendor_client.get(url)
    assert response.content.decode().count("per unit per month for 12 months") == items


@pytest.mark.parametrize("offerings", [2, 10])
def test_the_offering_and_rate_lists_run_a_fixed_number_of_queries(
    offerings, vendor_client, vendor, django_assert_max_num_queries
):
    for _ in range(offerings):
        priced_offering(vendor, items=1, rates=2)
    for name in ("offering", "rate"):
        with django_assert_max_num_queries(16):
            response = vendor_client.get(reverse(f"admin:pricing_{name}_changelist"))
        assert response.status_code == 200
