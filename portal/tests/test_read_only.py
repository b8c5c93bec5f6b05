"""No portal page writes: GET (and HEAD) only, and a GET runs nothing but SELECTs."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.tests.conftest import listed_offer, price_plan

pytestmark = pytest.mark.django_db

METHODS = ["post", "put", "patch", "delete"]


@pytest.fixture
def listing(vendor, marketplace):
    listing = listed_offer(vendor, marketplace)
    listing.price = price_plan(listing.offer.plans.first())
    return listing


def pages(listing) -> list[str]:
    return [
        "/portal/",
        f"/portal/listings/{listing.pk}/",
        f"/portal/listings/{listing.pk}/prices/{listing.price.pk}/",
    ]


@pytest.mark.parametrize("method", METHODS)
def test_writing_methods_are_refused_with_405(distributor_member, listing, method):
    # A real browser's POST carries no CSRF token here: the answer is still 405, not 403.
    client = Client(enforce_csrf_checks=True)
    client.force_login(distributor_member)
    for path in pages(listing):
        response = getattr(client, method)(path, {"q": "x"})
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("method", METHODS)
def test_anonymous_writes_are_refused_too(client, listing, method):
    for path in pages(listing):
        assert getattr(client, method)(path).status_code == 405


def test_head_is_allowed(distributor_client, listing):
    for path in pages(listing):
        assert distributor_client.head(path).status_code == 200


@pytest.mark.parametrize("params", [{}, {"lang": "de"}, {"q": "offer", "page": "2"}])
def test_reading_a_page_runs_only_selects(distributor_client, listing, params):
    for path in pages(listing):
        with CaptureQueriesContext(connection) as captured:
            response = distributor_client.get(path, params, HTTP_ACCEPT_LANGUAGE="fr-CA")
        assert response.status_code == 200
        statements = [query["sql"].split()[0].upper() for query in captured]
        assert statements and set(statements) == {"SELECT"}, statements


def test_logout_is_post_only(distributor_client, db):
    assert distributor_client.get("/portal/logout/").status_code == 405
