"""``GET {id}/history/`` on every API resource whose model keeps history: the row's versions,
newest first, only for a row the caller sees (others are 404), in a fixed number of queries
whatever the number of versions.

Generated from the router: a new resource with history is covered without editing this test.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.api.base import ScopedReadOnlyViewSet
from catalog.history import has_history
from catalog.models import Product
from catalog.tests.factories import DistributorFactory, build_catalog, distributor_user
from catalog.tests.generated import report
from catalog_site.api import router
from pricing.tests.factories import priced_offering, selling_rows

pytestmark = pytest.mark.django_db

API = "/api/v1"
WITH_HISTORY = [
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if has_history(viewset.queryset.model)
]
IDS = [prefix for prefix, _ in WITH_HISTORY]


@pytest.fixture
def world(vendor, other_vendor, marketplace):
    build_catalog(vendor, 1, marketplace=marketplace)
    build_catalog(other_vendor, 1)
    for owner in (vendor, other_vendor):
        selling_rows(priced_offering(owner, items=1, rates=1, intervals=1, tiers=1), 1)


def first_row(viewset, user):
    return viewset.queryset.model._default_manager.visible_to(user).order_by("pk").first()


def versions_of(body: dict) -> list[dict]:
    return body["versions"]


def test_every_resource_with_history_has_the_action():
    assert len(WITH_HISTORY) == len(router.registry), "every API model keeps history"
    for prefix, viewset in WITH_HISTORY:
        names = {extra.url_path for extra in viewset.get_extra_actions()}
        assert "history" in names, prefix


def test_a_viewset_whose_model_keeps_no_history_has_no_history_action():
    class Users(ScopedReadOnlyViewSet):
        queryset = get_user_model().objects.all()

    assert not has_history(get_user_model())
    assert "history" not in {extra.url_path for extra in Users.get_extra_actions()}


@pytest.mark.parametrize(("prefix", "viewset"), WITH_HISTORY, ids=IDS)
def test_history_lists_the_rows_versions_newest_first(
    vendor_api, vendor_user, world, prefix, viewset
):
    row = first_row(viewset, vendor_user)
    assert row is not None, f"no {prefix} in the world"

    response = vendor_api.get(f"{API}/{prefix}/{row.pk}/history/")

    assert response.status_code == 200, response.content
    versions = versions_of(response.json())
    assert versions, prefix
    dates = [version["date"] for version in versions]
    assert dates == sorted(dates, reverse=True)
    assert versions[-1]["kind"] == "created"
    assert versions[-1]["changes"] == []
    for version in versions:
        assert {"date", "user", "kind", "reason", "changes"} <= set(version)
    report("resources answering their rows' history", 1)


@pytest.mark.parametrize(("prefix", "viewset"), WITH_HISTORY, ids=IDS)
def test_history_of_a_row_the_caller_does_not_see_is_a_404(
    api_client, vendor_user, world, prefix, viewset
):
    # Another vendor's row for vendor staff; where staff see every row (marketplaces), one
    # that a distributor admitted to no marketplace does not see.
    outsider = distributor_user(DistributorFactory(marketplaces=[]), username="outsider")
    manager = viewset.queryset.model._default_manager
    for caller in (vendor_user, outsider):
        hidden = manager.exclude(pk__in=manager.visible_to(caller).values("pk")).first()
        if hidden is not None:
            break
    assert hidden is not None, f"every {prefix} is visible to everyone"
    api_client.force_authenticate(caller)

    response = api_client.get(f"{API}/{prefix}/{hidden.pk}/history/")

    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize(("prefix", "viewset"), WITH_HISTORY, ids=IDS)
def test_history_runs_the_same_queries_for_one_version_or_many(
    vendor_api, vendor_user, world, prefix, viewset, django_assert_max_num_queries
):
    row = first_row(viewset, vendor_user)
    url = f"{API}/{prefix}/{row.pk}/history/"
    vendor_api.get(url)  # the caller's first request warms its caches
    with CaptureQueriesContext(connection) as few:
        small = vendor_api.get(url)
    for _ in range(6):
        row.save()  # a fixture's write, outside any request: one more version each
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = vendor_api.get(url)

    assert len(versions_of(large.json())) == len(versions_of(small.json())) + 6
    report("history counted at two sizes", 1)


def test_a_change_through_the_api_shows_who_what_and_the_old_and_new_values(
    vendor_api, vendor_user, vendor
):
    created = vendor_api.post(f"{API}/products/", {"name": "Office"}, format="json").json()
    url = f"{API}/products/{created['id']}/"
    vendor_api.patch(url, {"name": "Office 365", "category": "Mail"}, format="json")

    versions = vendor_api.get(f"{url}history/").json()["versions"]

    assert [version["kind"] for version in versions] == ["changed", "created"]
    assert {version["user"] for version in versions} == {vendor_user.username}
    assert versions[0]["changes"] == [
        {
            "field": "name",
            "label": "Name",
            "old": "Office",
            "new": "Office 365",
            "old_display": "Office",
            "new_display": "Office 365",
        },
        {
            "field": "category",
            "label": "Category",
            "old": "",
            "new": "Mail",
            "old_display": "—",
            "new_display": "Mail",
        },
    ]


def test_a_distributor_sees_the_history_of_what_is_listed_to_it(
    api_client, vendor, marketplace, world
):
    member = distributor_user(DistributorFactory(marketplaces=[marketplace]), username="dist")
    api_client.force_authenticate(member)
    listed = Product.objects.visible_to(member).first()
    hidden = Product.objects.exclude(pk__in=Product.objects.visible_to(member)).first()

    assert api_client.get(f"{API}/products/{listed.pk}/history/").status_code == 200
    assert api_client.get(f"{API}/products/{hidden.pk}/history/").status_code == 404


def test_the_offerings_richer_history_is_kept(vendor_api, vendor):
    offering = priced_offering(vendor, items=1, rates=1, intervals=1, tiers=0)

    body = vendor_api.get(f"{API}/offerings/{offering.pk}/history/").json()

    assert set(body) == {
        "lock_reasons",
        "versions",
        "lock_events",
        "sales",
        "contracts",
        "refusals",
    }
    assert {version["what"] for version in body["versions"]} >= {"offering"}
