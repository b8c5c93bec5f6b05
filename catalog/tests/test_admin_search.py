"""The admin's search matches a related field in its own table first (``catalog.admin_search``)
and finds what Django's own search finds; a picker counts only one row past its page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.admin_base import ScopedAdmin
from catalog.models import Item, Product

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_item_changelist"


@pytest.fixture
def catalog(vendor, other_vendor):
    shield = Product.objects.create(vendor=vendor, name="Rapid Shield")
    vault = Product.objects.create(vendor=vendor, name="Data Vault")
    theirs = Product.objects.create(vendor=other_vendor, name="Rapid Shield Pro")
    rows = {
        "shield-basic": Item(product=shield, mpn="RS-100", name="Basic"),
        "shield-pro": Item(product=shield, mpn="RS-200", name="Professional"),
        "vault-rapid": Item(product=vault, mpn="DV-100", name="Rapid restore"),
        "vault-plain": Item(product=vault, mpn="DV-200", name="Plain"),
        "theirs": Item(product=theirs, mpn="RS-100", name="Basic"),
    }
    Item.objects.bulk_create(rows.values())
    return rows


def found(vendor_client, q) -> set[str]:
    response = vendor_client.get(reverse(CHANGELIST), {"q": q})
    assert response.status_code == 200
    return {item.mpn for item in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "q, expected",
    [
        ("shield", {"RS-100", "RS-200"}),  # the product's name
        ("rapid", {"RS-100", "RS-200", "DV-100"}),  # the product's name or the item's
        ("RS-1", {"RS-100"}),  # the MPN; the other vendor's RS-100 is not theirs to see
        ("vault plain", {"DV-200"}),  # every word must match, each in any field
        ('"data vault"', {"DV-100", "DV-200"}),  # a quoted phrase is one word
        ("nothing-like-it", set()),
    ],
)
def test_the_search_finds_what_django_s_own_finds(vendor_client, catalog, q, expected):
    assert found(vendor_client, q) == expected


def test_past_the_limit_the_related_field_is_searched_through_the_join(
    vendor_client, catalog, monkeypatch
):
    monkeypatch.setattr(ScopedAdmin, "related_search_limit", 0)
    with CaptureQueriesContext(connection) as captured:
        assert found(vendor_client, "shield") == {"RS-100", "RS-200"}
    searches = [
        q["sql"] for q in captured if 'FROM "catalog_item"' in q["sql"] and "LIKE" in q["sql"]
    ]
    assert searches and all('"catalog_product"."name"' in sql for sql in searches)


def test_within_the_limit_the_item_query_matches_product_ids(vendor_client, catalog):
    with CaptureQueriesContext(connection) as captured:
        found(vendor_client, "shield")
    searches = [
        q["sql"] for q in captured if 'FROM "catalog_item"' in q["sql"] and "LIKE" in q["sql"]
    ]
    assert searches
    for sql in searches:
        assert '"catalog_item"."product_id" IN' in sql
        assert 'UPPER("catalog_product"."name"' not in sql


def test_a_picker_counts_one_row_past_its_page(vendor_client, vendor):
    product = Product.objects.create(vendor=vendor, name="Many")
    Item.objects.bulk_create(
        Item(product=product, mpn=f"M-{n:03d}", name=f"M {n}") for n in range(45)
    )
    url = reverse("admin:autocomplete")
    params = {"app_label": "catalog", "model_name": "itemtranslation", "field_name": "item"}

    pages = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            response = vendor_client.get(url, {**params, "term": "M-", "page": page})
        assert response.status_code == 200
        body = response.json()
        pages.append((len(body["results"]), body["pagination"]["more"]))
        [count] = [q["sql"] for q in captured if "COUNT(*)" in q["sql"]]
        assert f"LIMIT {20 * page + 2}" in count  # one past the page, and the cap's own one

    assert pages == [(20, True), (20, True), (5, False)]
