"""The linter in the admin: the vendor's page (findings grouped by offering, severity and
fix), the panel on the offering's change page, and the dashboard's count with its link."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import build_catalog, vendor_staff
from insights.tests.lint_builders import MISTAKES, clean_catalog
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db

CHANGES = {name: change for name, change, _codes in MISTAKES}


@pytest.fixture
def catalog(vendor):
    catalog = clean_catalog(vendor)
    CHANGES["volume cliff"](catalog)
    CHANGES["contradicting upgrade paths"](catalog)
    return catalog


def page(vendor):
    return reverse("admin:insights_lint_vendor", args=[vendor.slug])


def test_the_vendor_page_groups_findings_by_offering_with_severity_and_fix(
    catalog, vendor, vendor_client
):
    html = vendor_client.get(page(vendor)).content.decode()
    assert "<strong>1 error</strong>, 1 warning." in html
    offering = html.index(f'id="lint-offering-{catalog.offering.pk}"')
    paths = html.index('id="lint-offering-none"')
    assert offering < paths
    assert f"Offering {catalog.offering.name}" in html[offering:paths]
    assert "volume_cliff" in html[offering:paths]
    assert "Give the tier above 10 a flat amount of at least 45.00 USD" in html[offering:paths]
    assert "contradicting_paths" in html[paths:]
    assert "lint-severity-error" in html[paths:]


def test_a_clean_catalog_says_so(vendor, vendor_client):
    clean_catalog(vendor)
    html = vendor_client.get(page(vendor)).content.decode()
    assert 'id="lint-clean"' in html


def test_the_index_takes_vendor_staff_to_their_vendor(vendor, vendor_client):
    response = vendor_client.get(reverse("admin:insights_lint_index"))
    assert response.status_code == 302 and response["Location"] == page(vendor)


def test_another_vendors_staff_get_a_404(catalog, vendor, other_vendor, client):
    client.force_login(vendor_staff(other_vendor))
    assert client.get(page(vendor)).status_code == 404


def test_a_superuser_picks_any_vendor(catalog, vendor, superuser_client):
    html = superuser_client.get(reverse("admin:insights_lint_index")).content.decode()
    assert page(vendor) in html
    assert superuser_client.get(page(vendor)).status_code == 200


def test_the_offering_page_shows_its_findings(catalog, vendor_client):
    url = reverse("admin:pricing_offering_change", args=[catalog.offering.pk])
    html = vendor_client.get(url).content.decode()
    panel = html[html.index('id="lint-panel"') :]
    assert "Price-book linter: 1 error, 1 warning" in panel
    assert "volume_cliff" in panel and "contradicting_paths" in panel


def test_the_dashboard_counts_the_findings_and_links_the_page(catalog, vendor_client):
    html = vendor_client.get(reverse("admin:index")).content.decode()
    box = html[html.index('id="lint-count"') :]
    assert (
        f'<a href="{reverse("admin:insights_lint_index")}"><strong>1 error</strong>, 1 warning'
        in box
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(vendor, size):
    build_catalog(vendor, size)
    return [priced_offering(vendor, items=size, rates=2, intervals=2, tiers=3) for _ in range(size)]


def test_the_page_and_the_panel_take_as_many_queries_for_a_big_catalog_as_a_small_one(
    vendor, vendor_client
):
    """The panel is measured alone: the offering page's own inlines are not the linter's."""
    counts = []
    for size in (1, 6):
        offering = grow(vendor, size)[-1]
        with CaptureQueriesContext(connection) as panel:
            Template("{% load insights_lint %}{% offering_lint_panel offering %}").render(
                Context({"offering": offering})
            )
        counts.append((queries(vendor_client, page(vendor)), len(panel)))
    assert counts[0] == counts[1]
