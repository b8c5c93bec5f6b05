"""The price's portal page and its API endpoints cost a fixed number of queries, however many
plans, prices and tiers the listing and the price have."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from insights.tests.curves_data import add_plans, build_shop
from insights.tests.paths_data import module_rows

pytestmark = pytest.mark.django_db

# session, user, membership; the listing, its plans and their items (3); the items with a
# card (1); rates, prices, intervals, tiers (4); the default quantity (1)
PAGE_QUERIES = 3 + 3 + 1 + 4 + 1
# and the item's and the offer's translations, in another language than the default
PAGE_QUERIES_TRANSLATED = PAGE_QUERIES + 2
# membership; the price, its intervals, their tiers; the default quantity
API_QUERIES = 1 + 3 + 1


@pytest.fixture(scope="module")
def shop(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_shop()


SIZES = [(1, 1), (12, 15)]  # (more plans, more tiers)


@pytest.mark.parametrize(("plans", "tiers"), SIZES)
@pytest.mark.parametrize(
    ("language", "queries"), [("", PAGE_QUERIES), ("de", PAGE_QUERIES_TRANSLATED)]
)
def test_the_portal_page_costs_a_fixed_number_of_queries(
    shop, plans, tiers, language, queries, django_assert_num_queries
):
    add_plans(shop, plans, tiers=tiers)
    client = Client()
    client.force_login(shop.distributor_user)
    with django_assert_num_queries(queries):
        response = client.get(shop.url("volume"), {"lang": language} if language else {})
    assert response.status_code == 200
    assert response.content.count(b"<circle") > 2 * tiers  # every tier edge drawn


@pytest.mark.parametrize(("plans", "tiers"), SIZES)
@pytest.mark.parametrize("suffix", ["curves/", "curves.svg"])
def test_the_api_costs_a_fixed_number_of_queries(
    shop, plans, tiers, suffix, django_assert_num_queries
):
    add_plans(shop, plans, tiers=tiers)
    client = APIClient()
    # a fresh user: no membership cached on it from another test
    client.force_authenticate(get_user_model().objects.get(pk=shop.vendor_user.pk))
    with django_assert_num_queries(API_QUERIES):
        response = client.get(f"/api/v1/price-book-items/{shop.prices['volume'].pk}/{suffix}")
    assert response.status_code == 200
    assert response.content.count(b"quantity" if suffix == "curves/" else b"<circle") > 2 * tiers
