"""A changelist stays cheap on a huge table: it counts once, at most LIST_COUNT_LIMIT + 1 rows
(never the whole table a second time for "N total"); past the limit it says "More than N"
and asks for a search or a filter; a related filter with more choices than it lists keeps
only the chosen one; autocomplete pages through the same bounded count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.admin_base import RelatedOnlyFilter
from catalog.models import Item, Product

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:catalog_item_changelist"


@pytest.fixture
def items(vendor):
    products = Product.objects.bulk_create(
        Product(vendor=vendor, name=f"Product {n}") for n in range(5)
    )
    return Item.objects.bulk_create(
        Item(product=products[n % 5], mpn=f"BULK-{n:03d}", name=f"Bulk item {n}") for n in range(30)
    )


def counts(sql: list[str]) -> list[str]:
    return [query for query in sql if "COUNT(" in query.upper()]


def test_past_the_limit_the_list_says_more_than_and_counts_once(vendor_client, items, settings):
    settings.LIST_COUNT_LIMIT = 25
    with CaptureQueriesContext(connection) as captured:
        response = vendor_client.get(reverse(CHANGELIST))
    html = response.content.decode()
    assert "More than 25 items: search or filter to see the rest" in html
    [count] = counts([q["sql"] for q in captured])
    assert "LIMIT 26" in count


def test_within_the_limit_the_list_says_how_many(vendor_client, items, settings):
    settings.LIST_COUNT_LIMIT = 30
    html = vendor_client.get(reverse(CHANGELIST)).content.decode()
    assert "30 items" in html and "More than" not in html


def test_a_search_counts_the_same_bounded_way(vendor_client, items, settings):
    settings.LIST_COUNT_LIMIT = 25
    with CaptureQueriesContext(connection) as captured:
        html = vendor_client.get(reverse(CHANGELIST), {"q": "BULK-01"}).content.decode()
    assert "10 items" in html
    assert len(counts([q["sql"] for q in captured])) == 1  # no "of N total" count


def product_choices(client, **params) -> list[str]:
    """The product filter's choices, as the filter panel lists them."""
    html = client.get(reverse(CHANGELIST), params).content.decode()
    panel = html[html.index('id="changelist-filter"') :]
    return [f"Product {n}" for n in range(5) if f">Product {n}</a>" in panel]


def test_a_filter_with_too_many_choices_keeps_only_the_chosen_one(
    vendor_client, items, monkeypatch
):
    monkeypatch.setattr(RelatedOnlyFilter, "max_choices", 3)
    chosen = items[1].product
    assert product_choices(vendor_client) == []  # 5 products: more than 3, none listed
    assert product_choices(vendor_client, product__id__exact=chosen.pk) == [chosen.name]
    monkeypatch.setattr(RelatedOnlyFilter, "max_choices", 5)
    assert product_choices(vendor_client) == [f"Product {n}" for n in range(5)]


def test_autocomplete_pages_through_the_bounded_count(vendor_client, items, settings):
    settings.LIST_COUNT_LIMIT = 25
    response = vendor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "catalog",
            "model_name": "itemtranslation",
            "field_name": "item",
            "term": "BULK",
        },
    )
    body = response.json()
    assert response.status_code == 200, body
    assert len(body["results"]) == 20 and body["pagination"]["more"] is True


def test_a_search_finds_items_by_mpn_name_or_product_name_word_by_word(vendor_client, items):
    def found(q: str) -> int:
        html = vendor_client.get(reverse(CHANGELIST), {"q": q}).content.decode()
        return html.count('class="action-select"')

    assert found("Product 3") == 6  # the product's name: items 3, 8, …, 28
    assert found("BULK-01") == 10  # MPNs
    assert found("Bulk item 29") == 1  # every word, in the name (and the MPN BULK-029)
    assert found('"Product 3" BULK-00') == 2  # every word: product 3's BULK-003 and -008
    assert found("nothing like it") == 0
