"""On PostgreSQL, a ``%…%`` search of an item's MPN or name reads its trigram index
(migration 0007: on ``UPPER(col::text)``, as Django writes ``icontains``), and the API's
``?search=`` and the admin's ``?q=`` read an index, never the whole item table (plans taken
with sequential scans discouraged, so a plan that still scans has no index to use). SQLite
has no such index (its search scans), so this is PostgreSQL's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Item, Product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
    ),
]


@pytest.fixture
def items(vendor):
    product = Product.objects.create(vendor=vendor, name="Bulk")
    Item.objects.bulk_create(
        Item(product=product, mpn=f"BULK-{n:05d}", name=f"Bulk item {n}") for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_item")


def plans(call, *, discourage=("seqscan",)) -> list[str]:
    """The plan of every query on the item table that ``call`` runs, with the planner's
    ``discourage`` scans made as costly as it can make them."""
    with CaptureQueriesContext(connection) as captured:
        call()
    found = []
    with connection.cursor() as cursor:
        for scan in discourage:
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        for query in captured:
            if 'FROM "catalog_item"' in query["sql"] and "LIKE" in query["sql"]:
                cursor.execute(f"EXPLAIN {query['sql']}")
                found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


def test_a_contains_search_of_each_column_reads_its_trigram_index(items):
    for column in ("mpn", "name"):
        found = Item.objects.filter(**{f"{column}__icontains": "2345"})
        query = found.order_by().values("pk")
        [plan] = plans(lambda query=query: list(query))
        assert f"catalog_item_{column}_trgm" in plan, plan


def test_the_api_search_reads_no_whole_table(vendor_api, items):
    found = plans(lambda: vendor_api.get("/api/v1/items/?search=BULK-0012"))
    assert found, "the search ran no query on the item table"
    for plan in found:
        assert "Seq Scan on catalog_item" not in plan, plan


def test_the_admin_search_reads_no_whole_table(vendor_client, items):
    found = plans(
        lambda: vendor_client.get(reverse("admin:catalog_item_changelist"), {"q": "item 12"})
    )
    assert found
    for plan in found:
        assert "Seq Scan on catalog_item" not in plan, plan


def test_the_admin_search_can_read_each_column_s_trigram_index(vendor_client, items):
    """The product's name is matched in the product table first (``admin_search``), so the
    item query is an ``OR`` the planner can answer with the MPN's and the name's trigram
    indexes together. With the product's name inside the ``OR`` (Django's own search) it
    cannot: it reads the vendor's items one by one, as it would on this small table anyway,
    which is why plain index scans are discouraged here too."""
    found = plans(
        lambda: vendor_client.get(reverse("admin:catalog_item_changelist"), {"q": "BULK-0012"}),
        discourage=("seqscan", "indexscan"),
    )
    assert found
    for plan in found:
        assert "catalog_item_mpn_trgm" in plan and "catalog_item_name_trgm" in plan, plan
