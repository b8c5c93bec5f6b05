"""With DATABASE_REPLICA_URL set, portal and API reads go to the replica; writes, locks, the
admin, who the user is and a client's reads just after its own write stay on the primary.

The replica here is a test mirror of the test database (another connection to the same data,
as settings.py declares it for tests), so each query's alias shows where the router sent it.
The tests are transactional: what they make is committed, and the mirror sees it.
"""

from __future__ import annotations

import time

import pytest
from django.db import connections, transaction
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Product
from catalog.tests.factories import ProductFactory, vendor_staff
from catalog.tests.replica import Queries, replica_alias, route_to_replica, tables
from catalog_site.db_router import PIN_COOKIE, ReplicaReadsMiddleware, ReplicaRouter
from portal.tests.conftest import listed_offer
from pricing import services
from pricing.models import Offering
from pricing.refusals import lock_offering
from pricing.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

API = "/api/v1"
# Who the user is, read back from the primary: session, user, token, membership.
WHO = {"django_session", "auth_user", "authtoken_token", "catalog_membership"}


@pytest.fixture(scope="module", autouse=True)
def _replica(django_db_setup, django_db_blocker):
    with replica_alias():
        yield


@pytest.fixture(autouse=True)
def _routed(settings):
    route_to_replica(settings)


def product_names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_a_distributors_portal_page_reads_the_catalog_from_the_replica(
    client, vendor, marketplace, distributor_member
):
    listing = listed_offer(vendor, marketplace, name="Office for home")
    client.force_login(distributor_member)
    with Queries() as queries:
        response = client.get("/portal/")
    assert response.status_code == 200
    assert listing.offer.name in response.content.decode()
    assert "catalog_listing" in tables(queries.replica)
    assert tables(queries.primary) <= WHO


def test_an_api_list_reads_from_the_replica(vendor_api, vendor):
    ProductFactory(vendor=vendor, name="Office")
    with Queries() as queries:
        assert product_names(vendor_api.get(f"{API}/products/")) == {"Office"}
    assert "catalog_product" in tables(queries.replica)
    assert tables(queries.primary) <= WHO


@pytest.mark.parametrize("size", [1, 6])
def test_the_router_adds_no_query_to_an_api_list(size, vendor_api, vendor, settings):
    ProductFactory.create_batch(size, vendor=vendor)
    settings.DATABASE_ROUTERS = []
    with Queries() as unrouted:
        vendor_api.get(f"{API}/products/")
    route_to_replica(settings)
    with Queries() as routed:
        vendor_api.get(f"{API}/products/")
    assert unrouted.replica == []
    assert len(routed.primary) + len(routed.replica) == len(unrouted.primary)


def test_an_api_write_and_the_same_clients_next_read_use_the_primary(vendor_api):
    with Queries() as queries:
        response = vendor_api.post(f"{API}/products/", {"name": "Posted"}, format="json")
        assert response.status_code == 201, response.content
        assert product_names(vendor_api.get(f"{API}/products/")) == {"Posted"}
    assert queries.replica == []
    assert "catalog_product" in tables(queries.primary)
    assert response.cookies[PIN_COOKIE]["max-age"] == 5  # DATABASE_REPLICA_STICKY_SECONDS


def test_a_client_that_keeps_no_cookies_is_pinned_by_its_user(vendor_api, vendor_user):
    vendor_api.post(f"{API}/products/", {"name": "Posted"}, format="json")
    script = APIClient()  # the same token, no cookie jar shared: a script calling again
    script.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=vendor_user).key}")
    with Queries() as queries:
        assert product_names(script.get(f"{API}/products/")) == {"Posted"}
    assert queries.replica == []


def test_another_users_reads_stay_on_the_replica_after_a_write(vendor_api, vendor):
    vendor_api.post(f"{API}/products/", {"name": "Posted"}, format="json")
    colleague = APIClient()
    colleague.force_authenticate(vendor_staff(vendor, username="colleague"))
    with Queries() as queries:
        assert product_names(colleague.get(f"{API}/products/")) == {"Posted"}
    assert "catalog_product" in tables(queries.replica)


def test_the_pin_ends_after_the_sticky_seconds(vendor_api, settings):
    settings.DATABASE_REPLICA_STICKY_SECONDS = 1
    response = vendor_api.post(f"{API}/products/", {"name": "Posted"}, format="json")
    assert response.cookies[PIN_COOKIE]["max-age"] == 1
    vendor_api.cookies.pop(PIN_COOKIE)  # a browser drops it after its max-age
    time.sleep(1.1)
    with Queries() as queries:
        vendor_api.get(f"{API}/products/")
    assert "catalog_product" in tables(queries.replica)


def test_the_admin_reads_only_from_the_primary(superuser_client, vendor):
    ProductFactory(vendor=vendor, name="Office")
    with Queries() as queries:
        assert superuser_client.get("/admin/catalog/product/").status_code == 200
        assert superuser_client.get("/admin/").status_code == 200
    assert queries.replica == []
    assert "catalog_product" in tables(queries.primary)


def in_a_portal_read(work):
    """Run ``work`` where a distributor's portal GET runs its view."""
    outcome = {}

    def view(request):
        outcome["value"] = work()
        return object()

    ReplicaReadsMiddleware(view)(RequestFactory().get("/portal/"))
    return outcome["value"]


def test_a_services_locked_reads_use_the_primary(vendor, vendor_user):
    offering = OfferingFactory(vendor=vendor)
    with Queries() as queries:
        in_a_portal_read(lambda: services.offering_update(offering=offering, name="Renamed"))
    assert queries.replica == []
    if connections["default"].features.has_select_for_update:  # SQLite has none
        assert any("FOR UPDATE" in sql for sql in queries.primary)
    assert Offering.objects.get(pk=offering.pk).name == "Renamed"


def test_reads_inside_a_transaction_use_the_primary(vendor):
    offering = OfferingFactory(vendor=vendor)

    def locked_read():
        with transaction.atomic():
            lock_offering(offering)
            return list(Product.objects.all()), offering.rates.count()

    with Queries() as queries:
        in_a_portal_read(locked_read)
    assert queries.replica == []
    with Queries() as queries:  # the same read, outside a transaction: from the replica
        in_a_portal_read(lambda: list(Product.objects.all()))
    assert queries.primary == [] and len(queries.replica) == 1


def test_outside_a_request_everything_reads_from_the_primary(vendor):
    ProductFactory(vendor=vendor)
    with Queries() as queries:
        assert Product.objects.count() == 1
    assert queries.replica == []


def test_writes_and_migrations_go_to_the_primary_only():
    router = ReplicaRouter()
    assert router.db_for_write(Product) == "default"
    assert router.allow_migrate("default", "catalog") is True
    assert router.allow_migrate("replica", "catalog") is False
