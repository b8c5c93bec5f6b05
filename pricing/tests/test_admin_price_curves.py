"""The price book item page draws the price's curves (``insights.curves``) beside the
preview: against quantity with the linter's cliff marked, against time for interval prices,
in a fixed number of queries however many intervals and tiers the price has."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from insights.curves_svg import price_curves_html
from pricing.models import PriceBookItem, PriceTier
from pricing.selectors import price_book_item_for_engine
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db


def page(client, pbi):
    return client.get(reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]))


def test_the_price_page_draws_a_curve_per_interval_and_one_over_time(vendor_client, vendor):
    offering = priced_offering(vendor, items=1, intervals=2, tiers=3)
    pbi = PriceBookItem.objects.get(rate__offering=offering)
    html = page(vendor_client, pbi).content.decode()
    assert 'id="price-curves"' in html
    assert html.count('class="price-curve quantity-curve"') == 2
    assert html.count('class="price-curve time-curve"') == 1
    # priced over time at the offering item's default quantity
    assert "Step chart of the amount per billing period at a quantity of 1 " in html
    assert "No cliff: a larger quantity never costs less." in html


def test_the_price_page_marks_a_volume_cliff_in_words(vendor_client, vendor):
    offering = priced_offering(vendor, items=1, tiers=2)
    pbi = PriceBookItem.objects.get(rate__offering=offering)
    PriceBookItem.objects.filter(pk=pbi.pk).update(charge_model="volume")
    PriceTier.objects.filter(interval__price_book_item=pbi, start_unit=10).update(
        price=Decimal("0.10")
    )
    html = page(vendor_client, pbi).content.decode()
    assert 'class="cliff"' in html
    assert "Cliff: 11 units cost 1.10 USD a period, less than 10 units at 10.00 USD." in html


@pytest.mark.parametrize("intervals", [2, 6])
def test_the_curves_cost_four_queries_however_many_intervals(
    intervals, vendor, django_assert_num_queries
):
    offering = priced_offering(vendor, items=1, intervals=intervals, tiers=8)
    pk = PriceBookItem.objects.get(rate__offering=offering).pk
    with django_assert_num_queries(4):  # the price, its intervals, its tiers; the default quantity
        html = price_curves_html(price_book_item_for_engine(pk))
    assert html.count('class="price-curve quantity-curve"') == intervals


@pytest.mark.parametrize("tiers", [2, 9])
def test_the_price_page_runs_a_fixed_number_of_queries_however_many_tiers(
    tiers, vendor_client, vendor, django_assert_max_num_queries
):
    # about 20 for the page (every interval's tiers in one query: test_admin_price_page_
    # queries.py), 4 for the curves and 16 for the change-impact panel (insights.impact)
    offering = priced_offering(vendor, items=1, intervals=2, tiers=tiers)
    pbi = PriceBookItem.objects.get(rate__offering=offering)
    with django_assert_max_num_queries(40):
        response = page(vendor_client, pbi)
    assert response.content.decode().count('class="price-curve quantity-curve"') == 2
