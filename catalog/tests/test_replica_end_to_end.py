"""The replica is another database: what it lacks shows which database answered (PostgreSQL).

The replica is made as a copy of the test database (``CREATE DATABASE … TEMPLATE``) after
the first rows; the rows made afterwards are on the primary only, as if replication lagged.
The routing rules themselves are tested on both backends in ``test_replica_routing.py``.
"""

from __future__ import annotations

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from catalog.tests.factories import ProductFactory, vendor_staff
from catalog.tests.replica import replica_alias, route_to_replica
from portal.tests.conftest import listed_offer

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second database server-side copy needs PostgreSQL (set DATABASE_URL); the "
        "routing is tested on SQLite too, with the replica as a mirror",
    ),
]

API = "/api/v1"


def replica_name() -> str:
    """test_replica_<the test database's name without its test_ prefix>."""
    return "test_replica_" + connections["default"].settings_dict["NAME"].removeprefix("test_")


def server(sql: str) -> None:
    """Run ``sql`` outside any database (as Django's test database creation does)."""
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture(scope="module", autouse=True)
def _replica(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        yield
        return
    name = replica_name()
    with django_db_blocker.unblock():
        server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            with replica_alias(name=name):
                yield
        finally:
            server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_primary_to_replica() -> None:
    """The replica as of now: a copy of the test database (no one may be connected to it)."""
    primary = connections["default"].settings_dict["NAME"]
    connections["default"].close()
    connections["replica"].close()
    server(f'DROP DATABASE IF EXISTS "{replica_name()}" WITH (FORCE)')
    server(f'CREATE DATABASE "{replica_name()}" TEMPLATE "{primary}"')


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_reads_come_from_the_replica_until_the_client_writes(
    settings, vendor, vendor_api, marketplace, distributor_member, superuser
):
    product = ProductFactory(vendor=vendor, name="In both")
    listed_offer(vendor, marketplace, product=product, name="Listed in both")
    copy_primary_to_replica()
    product = ProductFactory(vendor=vendor, name="On the primary only")
    listed_offer(vendor, marketplace, product=product, name="Listed on the primary only")
    route_to_replica(settings)

    # API and portal reads: the replica answers, without the rows it lacks.
    assert names(vendor_api.get(f"{API}/products/")) == {"In both"}
    portal = Client()
    portal.force_login(distributor_member)
    page = portal.get("/portal/").content.decode()
    assert "Listed in both" in page
    assert "Listed on the primary only" not in page

    # The admin reads the primary.
    admin = Client()
    admin.force_login(superuser)
    assert "On the primary only" in admin.get("/admin/catalog/product/").content.decode()

    # A write, and the same client's next read: the primary, its own row included.
    response = vendor_api.post(f"{API}/products/", {"name": "Posted"}, format="json")
    assert response.status_code == 201, response.content
    assert names(vendor_api.get(f"{API}/products/")) == {
        "In both",
        "On the primary only",
        "Posted",
    }

    # Another user of the same vendor still reads the replica.
    colleague = APIClient()
    colleague.force_authenticate(vendor_staff(vendor, username="colleague"))
    assert names(colleague.get(f"{API}/products/")) == {"In both"}

    # Without the router, the same client reads the primary: one database, as before.
    settings.DATABASE_ROUTERS = []
    assert names(colleague.get(f"{API}/products/")) == {
        "In both",
        "On the primary only",
        "Posted",
    }
