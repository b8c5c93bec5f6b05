"""On PostgreSQL, the item lists' default order (product name, then MPN) is read from indexes
(``product_name_order`` on products, the per-product MPN constraint on items), so a first
page of a distributor's hundreds of thousands of visible items stops after its rows instead
of sorting them all: with sequential scans discouraged, the plan reads the product-name
index (SQLite has no planner to ask in this way: PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection

from catalog.models import Item, Product
from catalog.tests.factories import (
    DistributorFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    distributor_user,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def test_a_distributors_first_page_of_items_reads_the_product_name_index(vendor):
    products = Product.objects.bulk_create(
        Product(vendor=vendor, name=f"Product {n:04d}", status="published") for n in range(300)
    )
    Item.objects.bulk_create(
        Item(product=product, mpn=f"M-{product.pk}-{n}", name="Item", status="published")
        for product in products
        for n in range(10)
    )
    marketplace = MarketplaceFactory()
    distributor = DistributorFactory()
    distributor.marketplaces.add(marketplace)
    for product in products:
        ListingFactory(offer=OfferFactory(product=product), marketplace=marketplace)
    reader = distributor_user(distributor)
    page = Item.objects.visible_to(reader)[:100]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics of every table the page joins
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "product_name_order" in plan, plan
    assert len(list(page)) == 100
