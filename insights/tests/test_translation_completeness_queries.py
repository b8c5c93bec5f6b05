"""Translation completeness costs the same number of queries whatever the catalog's size:
the selector, its admin page and its API endpoint, at two sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from catalog.tests.factories import MarketplaceFactory, build_catalog, vendor_staff
from insights.translations import translation_completeness

SELECTOR_QUERIES = 11  # listings, plans, groups, features, plan items, items, 5 translations


def catalog(vendor, size: int) -> None:
    """``size`` products of everything on each of two marketplaces (French, German)."""
    build_catalog(vendor, size, MarketplaceFactory(countries="CA,FR"))
    build_catalog(vendor, size, MarketplaceFactory(countries="DE,AT"))


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.parametrize("size", [1, 6])
def test_the_selector_reads_in_a_fixed_number_of_queries(
    vendor, size, django_assert_max_num_queries
):
    catalog(vendor, size)
    with django_assert_max_num_queries(SELECTOR_QUERIES):
        report = translation_completeness(vendor)
    # Two languages (fr, de), each over 6 rows per product: 2 items, offer, plan, group, feature.
    assert sum(share.listed for share in report.languages) == 2 * 6 * size


def test_the_admin_page_and_the_api_cost_the_same_at_two_sizes(client, api_client, vendor):
    user = vendor_staff(vendor, username="l10n-staff")
    client.force_login(user)
    token = Token.objects.create(user=user)  # the user is read afresh on every request
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    page = f"/admin/insights/translations/{vendor.slug}/"
    api = f"/api/v1/vendors/{vendor.slug}/translations/"
    counts = []
    for size in (1, 5):
        catalog(vendor, size)
        counts.append(
            (
                queries(lambda: client.get(page).status_code == 200 or pytest.fail(page)),
                queries(lambda: api_client.get(api).status_code == 200 or pytest.fail(api)),
            )
        )
    assert counts[0] == counts[1]
