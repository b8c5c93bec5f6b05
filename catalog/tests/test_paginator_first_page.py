"""A first page that is not full is the whole list: it is read, and never counted
(``catalog.paginator.CappedPaginator``); a full first page is counted as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from catalog.paginator import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(vendor):
    return Product.objects.bulk_create(Product(vendor=vendor, name=f"P{n:02d}") for n in range(7))


def read(per_page: int, number=1):
    paginator = CappedPaginator(Product.objects.order_by("name"), per_page)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(number)
        shown = [product.name for product in page]
        facts = (paginator.count, paginator.num_pages, page.has_next(), page.has_previous())
    counts = [q for q in captured if "COUNT(*)" in q["sql"]]
    return shown, facts, len(captured), len(counts)


def test_a_list_shorter_than_a_page_is_read_once_and_not_counted(products):
    shown, facts, queries, counts = read(per_page=10)
    assert shown == [f"P{n:02d}" for n in range(7)]
    assert facts == (7, 1, False, False)
    assert (queries, counts) == (1, 0)


def test_a_full_first_page_is_counted(products):
    shown, facts, queries, counts = read(per_page=7)
    assert shown == [f"P{n:02d}" for n in range(7)]
    assert facts == (7, 1, False, False)
    assert (queries, counts) == (2, 1)
    shown, facts, _, counts = read(per_page=3)
    assert shown == ["P00", "P01", "P02"] and facts == (7, 3, True, False) and counts == 1


def test_later_pages_and_an_empty_list_read_as_django_s_paginator_does(products, vendor):
    shown, facts, _, _ = read(per_page=3, number=3)
    assert shown == ["P06"] and facts == (7, 3, False, True)
    Product.objects.all().delete()
    shown, facts, queries, counts = read(per_page=3)
    assert shown == [] and facts == (0, 1, False, False) and (queries, counts) == (1, 0)
