"""A cursor's position is a value of the column its list is ordered by.

Ordered by a foreign key (``?ordering=product``), a page ends at a product's id, never at
its name, so the next page starts after it; a cursor whose position is no value of that
column (edited, or made for another ordering) is a 404 in the error shape, never a 500.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest

from catalog.models import Item, Product

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def items(vendor):
    """12 items in 4 products named so that their names sort against their ids."""
    products = [
        Product.objects.create(vendor=vendor, name=name) for name in ("Delta", "Charlie", "Bravo")
    ]
    products.append(Product.objects.create(vendor=vendor, name="Alpha"))
    return Item.objects.bulk_create(
        Item(product=products[n % 4], mpn=f"CUR-{n:02d}", name=f"Cursor item {n}")
        for n in range(12)
    )


def walk(client, url) -> list[dict]:
    rows, body = [], client.get(url).json()
    while True:
        rows += body["results"]
        if body["next"] is None:
            return rows
        response = client.get(body["next"])
        assert response.status_code == 200, response.content
        body = response.json()


@pytest.mark.parametrize("ordering", ["product", "-product"])
def test_a_cursor_ordered_by_a_foreign_key_walks_every_row_once(vendor_api, items, ordering):
    rows = walk(vendor_api, f"{API}/items/?cursor=&page_size=2&ordering={ordering}")
    assert sorted(row["id"] for row in rows) == sorted(item.pk for item in items)
    products = [row["product"] for row in rows]
    assert products == sorted(products, reverse=ordering.startswith("-"))


@pytest.mark.parametrize("ordering", ["kind", "-kind", "product,-mpn"])
def test_a_cursor_walks_rows_of_one_value_once_in_id_order(vendor_api, items, ordering):
    """Every item has the same kind: each page ends among equals, and the next goes on."""
    rows = walk(vendor_api, f"{API}/items/?cursor=&page_size=5&ordering={ordering}")
    ids = [row["id"] for row in rows]
    assert sorted(ids) == sorted(item.pk for item in items)
    if "," not in ordering:
        assert ids == sorted(ids, reverse=ordering.startswith("-"))


def cursor(**parts) -> str:
    return base64.b64encode(urlencode(parts).encode()).decode()


@pytest.mark.parametrize(
    "ordering, position",
    [("", "not-an-id"), ("product", "Alpha"), ("-id", "1.5"), ("start_date", "x")],
)
def test_a_cursor_at_no_value_of_the_ordering_is_a_404(vendor_api, items, ordering, position):
    query = urlencode({"cursor": cursor(o=0, p=position), "ordering": ordering})
    resource = "offerings" if ordering == "start_date" else "items"
    response = vendor_api.get(f"{API}/{resource}/?{query}")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert "cursor" in response.json()["detail"].lower()
