"""The upgrade-path pages: the admin's page per product (linked from the product's page)
and the portal's upgrade ladder of a listing's offer (linked from the listing). Who sees
which product, item and path is ``visible_to``; each page costs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client

from insights.tests.paths_data import add_rungs, build_ladder, module_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ladder(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_ladder()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_url(ladder):
    return f"/admin/insights/products/{ladder.product.pk}/paths/"


def ladder_url(ladder):
    return f"/portal/listings/{ladder.listing.pk}/upgrades/"


def test_the_product_page_links_to_its_upgrade_paths(ladder):
    response = signed_in(ladder.vendor_user).get(
        f"/admin/catalog/product/{ladder.product.pk}/change/"
    )
    assert f'href="{admin_url(ladder)}"'.encode() in response.content


def test_the_admin_page_draws_the_graph_and_lists_it_in_a_table(ladder):
    response = signed_in(ladder.vendor_user).get(admin_url(ladder))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<desc " in html
    assert "Upgrade paths of Office &lt;Suite&gt; &amp; more" in html
    assert f'<tr data-item="{ladder.pk("PRO")}">' in html
    assert "ENT (to end of sale)" in html  # PRO's row: where its upgrade leads, and the mark
    assert "<strong>loop</strong>: On a loop" in html


def test_another_vendors_staff_get_a_404_from_the_admin_page(ladder):
    assert signed_in(ladder.other_vendor_user).get(admin_url(ladder)).status_code == 404


def test_a_distributor_cannot_use_the_admin_page(ladder):
    response = signed_in(ladder.distributor_user).get(admin_url(ladder))
    assert response.status_code == 403


def test_the_listing_links_to_its_upgrade_ladder(ladder):
    response = signed_in(ladder.distributor_user).get(f"/portal/listings/{ladder.listing.pk}/")
    assert f'href="{ladder_url(ladder)}'.encode() in response.content


def test_a_distributor_sees_the_ladder_without_drafts(ladder):
    response = signed_in(ladder.distributor_user).get(ladder_url(ladder))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upgrade ladder" in html and "Ent plan" in html
    assert "Next plan" not in html and "NEXT" not in html


def test_the_vendors_preview_of_the_ladder_shows_its_drafts(ladder):
    html = signed_in(ladder.vendor_user).get(ladder_url(ladder)).content.decode()
    assert "Next plan" in html and "to draft" in html


def test_the_ladder_speaks_the_readers_language(ladder):
    response = signed_in(ladder.distributor_user).get(ladder_url(ladder) + "?lang=de")
    html = response.content.decode()
    assert "Upgrade-Leiter" in html and "Stufe 1 (Einstieg)" in html and "Sackgasse" in html


def test_a_listing_on_another_marketplace_is_not_found_in_the_portal(ladder):
    assert signed_in(ladder.other_vendor_user).get(ladder_url(ladder)).status_code == 404


@pytest.mark.parametrize("rungs", [2, 40])
def test_the_pages_cost_a_fixed_number_of_queries_at_any_size(
    ladder, rungs, django_assert_max_num_queries
):
    add_rungs(ladder.product, rungs)
    admin, portal = signed_in(ladder.vendor_user), signed_in(ladder.distributor_user)
    with django_assert_max_num_queries(8):  # session, user, membership, product, items, paths
        assert admin.get(admin_url(ladder)).content.count(b"RUNG-") >= rungs
    with django_assert_max_num_queries(7):  # session, user, membership, listing, items, paths
        assert portal.get(ladder_url(ladder)).content.count(b"RUNG-") >= rungs
