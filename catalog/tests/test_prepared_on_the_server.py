"""Prepared statements run with their values apart from their SQL, so that PostgreSQL
prepares each once per connection; statements sent together are read after one wait."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Item
from catalog.prepared import Param, Prepared, pipelined, statement_cursor
from catalog.tests.factories import ItemFactory, ProductFactory

pytestmark = pytest.mark.django_db
postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL prepares statements on the server"
)

ITEMS_OF_PRODUCT = Prepared(lambda: Item.objects.filter(product_id=Param("product")).order_by("pk"))
ITEM = Prepared(lambda: Item.objects.filter(pk=Param("pk")))


@pytest.fixture
def products():
    first, second = ProductFactory(), ProductFactory()
    ItemFactory.create_batch(2, product=first)
    ItemFactory.create_batch(3, product=second)
    return first, second


def server_statements() -> dict[str, int]:
    """What this connection has prepared on the server: statement → times it was planned."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def test_statements_sent_together_are_each_read_as_their_queryset_gives_it(products):
    first, second = products
    with transaction.atomic(), pipelined():
        sent = [ITEMS_OF_PRODUCT.send(product=product.pk) for product in (first, second)]
        one = ITEM.send(pk=second.items.order_by("pk").first().pk)
    for product, rows in zip((first, second), sent, strict=True):
        assert rows.all() == list(product.items.order_by("pk"))
    assert one.all() == [second.items.order_by("pk").first()]


@postgres
def test_a_statement_runs_with_the_same_sql_for_every_value(products):
    with CaptureQueriesContext(connection) as queries:
        for product in products:
            ITEMS_OF_PRODUCT.all(product=product.pk)
    first, second = (query["sql"] for query in queries.captured_queries)
    assert first == second
    assert "$1" in first


@postgres
def test_a_connection_prepares_a_statement_once_it_has_run_it_the_threshold_times(products):
    threshold = connection.connection.prepare_threshold
    assert threshold == 5  # DATABASE_PREPARE_THRESHOLD's default
    for run in range(threshold + 3):
        product = products[run % 2]
        assert ITEMS_OF_PRODUCT.all(product=product.pk) == list(product.items.order_by("pk"))
    prepared = [
        (statement, plans)
        for statement, plans in server_statements().items()
        if statement.startswith('SELECT "catalog_item"."id"')
    ]
    assert len(prepared) == 1
    statement, plans = prepared[0]
    assert "$1" in statement and plans >= 3  # prepared at the 6th run, then run from it


@postgres
def test_with_the_threshold_off_nothing_is_prepared(products):
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        for run in range(8):
            product = products[run % 2]
            assert ITEMS_OF_PRODUCT.all(product=product.pk) == list(product.items.order_by("pk"))
        assert not any(s.startswith('SELECT "catalog_item"."id"') for s in server_statements())
    finally:
        raw.prepare_threshold = threshold


@postgres
def test_a_prepared_statement_still_runs_after_a_rollback_drops_them_all(products):
    first, second = products
    for _ in range(7):
        ITEMS_OF_PRODUCT.all(product=first.pk)
    assert any(s.startswith('SELECT "catalog_item"."id"') for s in server_statements())
    with pytest.raises(RuntimeError), transaction.atomic():
        ITEMS_OF_PRODUCT.all(product=first.pk)
        raise RuntimeError  # a rollback: psycopg deallocates what the connection prepared
    assert not any(s.startswith('SELECT "catalog_item"."id"') for s in server_statements())
    assert ITEMS_OF_PRODUCT.all(product=second.pk) == list(second.items.order_by("pk"))


@postgres
def test_djangos_own_cursors_are_never_prepared(products):
    for _ in range(8):
        list(Item.objects.filter(product=products[0]).order_by("pk"))
    assert not any(s.startswith('SELECT "catalog_item"."id"') for s in server_statements())


def test_the_statement_cursor_elsewhere_is_the_usual_cursor():
    with statement_cursor(connection) as cursor:
        cursor.execute("SELECT %s", [7])
        assert cursor.fetchone() == (7,)


@pytest.mark.parametrize(("value", "expected"), [("off", "None"), ("3", "3"), (None, "5")])
def test_the_threshold_is_read_from_database_prepare_threshold(value, expected):
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/any"}
    env.pop("DATABASE_PREPARE_THRESHOLD", None)
    if value is not None:
        env["DATABASE_PREPARE_THRESHOLD"] = value
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'catalog_site.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['prepare_threshold'])"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected
