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


def plans(call) -> list[str]:
    """The plan of every query on the item table that ``call`` runs."""
    with CaptureQueriesContext(connection) as captured:
        call()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
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
