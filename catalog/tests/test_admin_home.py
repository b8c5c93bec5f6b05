"""The admin home: the index grouped into Catalog, Offers, Pricing and Selling (and, for the
platform admin, Organizations and users), the join tables kept off it, and a dashboard of
drafts, locked offerings, listings that show "Price on request", recent changes and refused
changes, in a fixed number of queries."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.models import Item
from catalog.tests.factories import (
    ItemFactory,
    ListingFactory,
    MarketplaceFactory,
    PlanFactory,
    ProductFactory,
)
from pricing.tests.factories import subscription_offering

pytestmark = pytest.mark.django_db
INDEX = "/admin/"


def sections(html: str) -> list[str]:
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)


def test_vendor_staff_see_their_work_in_four_sections(shared_demo, client):
    client.force_login(get_user_model().objects.get(username="northwind"))
    html = client.get(INDEX).content.decode()
    # and their vendor and the marketplaces, read-only
    assert sections(html) == ["Catalog", "Offers", "Pricing", "Selling", "Organizations and users"]
    for join_table in ("Item translations", "Item paths", "Plan items", "Plan features"):
        assert join_table not in html
    assert "Products" in html and "Price book items" in html and "Quotes" in html


def test_the_platform_admin_also_sees_organizations_and_users(shared_demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get(INDEX).content.decode()
    assert sections(html) == [
        "Catalog",
        "Offers",
        "Pricing",
        "Selling",
        "Organizations and users",
        "Sign-in and API tokens",
    ]


def test_a_join_tables_pages_stay_reachable_off_the_index(shared_demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get(reverse("admin:catalog_itemtranslation_changelist")).status_code == 200
    app_index = client.get(reverse("admin:app_list", args=["catalog"])).content.decode()
    assert "Item translations" not in app_index
    assert "Products" in app_index


def test_the_dashboard_shows_drafts_locks_changes_and_refusals(shared_demo, client):
    client.force_login(get_user_model().objects.get(username="northwind"))
    html = client.get(INDEX).content.decode()
    assert "Waiting for you" in html
    assert re.search(r"<strong>\d+</strong> draft rates", html)  # the demo's EUR draft rate
    assert "Locked offerings (" in html
    assert "Seats with implementation fee" in html  # sold to Contoso
    assert "processed quote" in html
    recent = html[html.index('id="recent-changes"') :]
    assert "Created" in recent and "Q-" in recent
    assert "Changes the lock refused" in html


def test_another_vendors_rows_never_reach_the_dashboard(shared_demo, client):
    client.force_login(get_user_model().objects.get(username="fabrikam"))
    html = client.get(INDEX).content.decode()
    assert "Seats with implementation fee" not in html
    assert "NW-SEATS" not in html
    assert "Q-" not in html[html.index('id="recent-changes"') :]


@pytest.mark.parametrize("size", [2, 20])
def test_the_home_page_runs_a_fixed_number_of_queries(
    vendor, vendor_client, django_assert_max_num_queries, size
):
    marketplace = MarketplaceFactory(currency="USD")
    product = ProductFactory(vendor=vendor, status="draft")
    for number in range(size):
        ItemFactory(product=product, status="draft")
        offering = subscription_offering(vendor)
        plan = PlanFactory(offer__product=product, name=f"Plan {number}", offering=offering)
        ListingFactory(offer=plan.offer, marketplace=marketplace)  # its offering has no rate
    with django_assert_max_num_queries(47):  # 47 at both sizes (11 the linter's count)
        response = vendor_client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    drafts = Item.objects.filter(product__vendor=vendor, status="draft").count()
    assert f"<strong>{drafts}</strong> draft items" in html
    assert f"Listings without prices ({size})" in html
    assert html.count('"Price on request": Plan ') == min(size, 8)  # the first 8 shown
