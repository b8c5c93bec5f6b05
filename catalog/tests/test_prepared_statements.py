"""A prepared query gives what its queryset gives, for each call's values, compiled once."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count, F
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import IdempotencyRecord, Item
from catalog.prepared import Param, Prepared, PreparedUpdate, pipelined
from catalog.tests.factories import ItemFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

ITEMS_OF_PRODUCT = Prepared(
    lambda: (
        Item.objects.select_related("product")
        .annotate(product_name=F("product__name"), translations_count=Count("translations"))
        .filter(product_id=Param("product"), kind=Param("kind"))
        .order_by("pk")
    )
)
ITEMS_BY_ID = Prepared(
    lambda count: Item.objects.filter(pk__in=[Param(f"id{n}") for n in range(count)]).order_by("pk")
)
LOCKED_ITEM = Prepared(lambda: Item.objects.select_for_update().filter(pk=Param("pk")))
RECORD_SINCE = Prepared(
    lambda: IdempotencyRecord.objects.filter(
        created_at__gte=Param("since", IdempotencyRecord._meta.get_field("created_at"))
    ).order_by("pk")
)
RECORD_ANSWER = PreparedUpdate(IdempotencyRecord, ("status_code", "response_body"))


def fields(rows) -> list[dict]:
    return [{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields} for row in rows]


@pytest.fixture
def products():
    first, second = ProductFactory(), ProductFactory()
    for product in (first, second):
        ItemFactory.create_batch(3, product=product)
        ItemFactory(product=product, kind=Item.Kind.ONE_TIME)
    return first, second


def test_rows_are_the_querysets_rows_with_their_related_rows_and_annotations(products):
    for product in products:
        for kind in (Item.Kind.SUBSCRIPTION, Item.Kind.ONE_TIME):
            queryset = (
                Item.objects.select_related("product")
                .annotate(product_name=F("product__name"), translations_count=Count("translations"))
                .filter(product_id=product.pk, kind=kind)
                .order_by("pk")
            )
            rows = ITEMS_OF_PRODUCT.all(product=product.pk, kind=kind)
            assert fields(rows) == fields(queryset)
            assert [row.product_name for row in rows] == [product.name] * len(rows)
            assert [row.translations_count for row in rows] == [0] * len(rows)
            with CaptureQueriesContext(connection) as queries:
                assert [row.product.name for row in rows] == [product.name] * len(rows)
            assert len(queries) == 0, "select_related rows are read with the items"


def test_the_statement_is_compiled_once_however_many_calls(products):
    compiled = []
    real_as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return real_as_sql(self, *args, **kwargs)

    statement = Prepared(lambda: Item.objects.filter(product_id=Param("product")).order_by("pk"))
    with mock.patch.object(SQLCompiler, "as_sql", counting):
        for product in products * 3:
            assert [row.product_id for row in statement.all(product=product.pk)] == [product.pk] * 4
    assert compiled == [Item]


def test_a_shape_is_compiled_for_each_length_of_a_list(products):
    items = list(Item.objects.order_by("pk"))
    for count in (1, 3, len(items)):
        chosen = items[:count]
        rows = ITEMS_BY_ID.all(count, **{f"id{n}": item.pk for n, item in enumerate(chosen)})
        assert rows == chosen


def test_get_answers_one_row_or_the_querysets_errors(products):
    item = Item.objects.first()
    with transaction.atomic():
        assert LOCKED_ITEM.get(pk=item.pk) == item
        with pytest.raises(Item.DoesNotExist):
            LOCKED_ITEM.get(pk=0)
    with pytest.raises(Item.MultipleObjectsReturned):
        Prepared(lambda: Item.objects.filter(product_id=Param("product"))).get(
            product=products[0].pk
        )


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_outside_a_transaction_is_refused_as_the_queryset_would_be():
    item = ItemFactory()
    answers = []
    for read in (
        lambda: Item.objects.select_for_update().get(pk=item.pk),
        lambda: LOCKED_ITEM.get(pk=item.pk),
    ):
        try:
            answers.append(read())
        except TransactionManagementError as error:
            answers.append(str(error))
    assert answers[0] == answers[1]
    if connection.features.has_select_for_update:  # SQLite has no row locks: it reads
        assert answers[0] == "select_for_update cannot be used outside of a transaction."


def test_a_locking_read_takes_the_row_lock(products):
    item = Item.objects.first()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        LOCKED_ITEM.get(pk=item.pk)
    expected = "FOR UPDATE" if connection.features.has_select_for_update else "FROM"
    assert expected in queries[0]["sql"]


def test_a_missing_or_unknown_value_is_an_error_not_a_wrong_statement(products):
    with pytest.raises(TypeError, match="differ on \\['kind'\\]"):
        ITEMS_OF_PRODUCT.all(product=products[0].pk)
    with pytest.raises(TypeError, match="differ on \\['colour'\\]"):
        ITEMS_OF_PRODUCT.all(product=products[0].pk, kind="one_time", colour="red")


def test_a_param_with_a_field_is_sent_as_the_field_sends_it():
    user = UserFactory()
    old, new = (
        IdempotencyRecord.objects.create(user=user, key=key, request_hash="x") for key in "ab"
    )
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    since = timezone.now() - datetime.timedelta(days=1)
    assert RECORD_SINCE.all(since=since) == list(
        IdempotencyRecord.objects.filter(created_at__gte=since).order_by("pk")
    )
    assert RECORD_SINCE.all(since=since) == [new]


def test_an_update_writes_each_value_as_queryset_update_would():
    user = UserFactory()
    record, other = (
        IdempotencyRecord.objects.create(user=user, key=key, request_hash="x") for key in "ab"
    )
    body = {"price": "12.00", "lines": [1, 2], "nested": {"note": None}}
    assert RECORD_ANSWER.run(record.pk, status_code=201, response_body=body) == 1
    record.refresh_from_db()
    other.refresh_from_db()
    assert (record.status_code, record.response_body) == (201, body)
    assert (other.status_code, other.response_body) == (None, None), "only the row named"
    assert RECORD_ANSWER.run(record.pk, status_code=None, response_body=None) == 1
    record.refresh_from_db()
    assert (record.status_code, record.response_body) == (None, None)
    assert RECORD_ANSWER.run(0, status_code=200, response_body={}) == 0


def test_an_update_needs_every_field_it_was_prepared_for():
    with pytest.raises(TypeError, match="was given \\['status_code'\\]"):
        RECORD_ANSWER.run(1, status_code=200)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_the_statement_on_its_own_connection():
    """Compiled in one thread, run in another: on that thread's connection (a connection
    used from another thread is an error, and would be outside the thread's transaction)."""
    item = ItemFactory()
    statement = Prepared(lambda: Item.objects.filter(pk=Param("pk")))
    assert statement.get(pk=item.pk) == item  # compiled here
    answers = []

    def run():
        try:
            with CaptureQueriesContext(connections["default"]) as queries:
                answers.append((statement.get(pk=item.pk), len(queries)))
        except Exception as error:
            answers.append(error)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert answers == [(item, 1)]


def test_statements_in_a_pipeline_run_in_order_and_a_read_sees_the_writes_before_it():
    user = UserFactory()
    record = IdempotencyRecord.objects.create(user=user, key="a", request_hash="x")
    with transaction.atomic(), pipelined():
        RECORD_ANSWER.run(record.pk, status_code=201, response_body={"n": 1})
        RECORD_ANSWER.run(record.pk, status_code=202, response_body={"n": 2})
        seen = RECORD_SINCE.all(since=timezone.now() - datetime.timedelta(days=1))
    assert [(r.status_code, r.response_body) for r in seen] == [(202, {"n": 2})]
    record.refresh_from_db()
    assert (record.status_code, record.response_body) == (202, {"n": 2})


def test_an_error_in_a_pipeline_is_djangos_error_and_the_transaction_writes_nothing():
    user = UserFactory()
    record = IdempotencyRecord.objects.create(user=user, key="a", request_hash="x")
    duplicate = PreparedUpdate(IdempotencyRecord, ("key",))
    IdempotencyRecord.objects.create(user=user, key="b", request_hash="x")
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():
        RECORD_ANSWER.run(record.pk, status_code=201, response_body={"n": 1})
        duplicate.run(record.pk, key="b")  # the user's keys are unique
    record.refresh_from_db()
    assert (record.key, record.status_code) == ("a", None)


@pytest.mark.parametrize("count", [1, 2, 300])
def test_a_bulk_update_writes_each_rows_own_values_as_bulk_update_would(count):
    """300 rows are more than one batch on SQLite (999 parameters a statement)."""
    user = UserFactory()
    records = IdempotencyRecord.objects.bulk_create(
        IdempotencyRecord(user=user, key=f"k{n}", request_hash="x") for n in range(count + 1)
    )
    *changed, untouched = records
    for n, record in enumerate(changed):
        record.status_code = 200 + n % 7 if n % 3 else None
        record.response_body = {"n": n, "price": f"{n}.50"} if n % 2 else None
    RECORD_ANSWER.bulk(changed)
    stored = {
        r.pk: (r.status_code, r.response_body) for r in IdempotencyRecord.objects.order_by("pk")
    }
    assert stored == {
        **{r.pk: (r.status_code, r.response_body) for r in changed},
        untouched.pk: (None, None),
    }
