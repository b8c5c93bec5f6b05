"""Querysets built once per process, then run with each call's values.

Django builds a queryset's SQL every time it runs: it resolves each lookup, join and
annotation, then compiles them. For the few statements a hot path runs on every call (a sale
runs eight) that building costs more than the database does: 0.4 to 1.5 ms of CPU each on
this machine, against 0.1 to 0.2 ms for running the statement.

A ``Prepared`` query is written as an ordinary queryset in which each value a call gives is a
``Param``. It is compiled once per database alias and shape. After that, every call runs the
same SQL with the call's values in place of the params, on the calling thread's connection.
Rows become instances, with their ``select_related`` rows and annotations, through Django's
own iterable, exactly as the queryset would give them::

    LOCKED_QUOTE = Prepared(
        lambda: Quote.objects.select_for_update().filter(pk=Param("pk"))
    )
    quote = LOCKED_QUOTE.get(pk=quote.pk)

``PreparedUpdate`` does the same for an ``UPDATE`` of some fields of rows by their primary
keys: each value goes through its field's ``get_db_prep_save``, as ``QuerySet.update`` and
``bulk_update`` would send it. ``pipelined()`` sends the statements run inside it to
PostgreSQL together (psycopg's pipeline mode); ``send()`` runs a read and leaves its rows to be
read later, so that several reads in a pipeline are answered after one wait.

On PostgreSQL these statements go through ``statement_cursor``: the values travel apart from
the SQL (server-side binding), so the SQL is the same at every run, and psycopg prepares it
on the server once the connection has run it ``DATABASE_PREPARE_THRESHOLD`` times (5). From
then on PostgreSQL neither parses nor plans it. A sale's statements, run by ``pgbench`` from
one client, took 2.7 ms a transaction as plain SQL and 1.0 ms prepared. The SQL Django logs
for them shows ``$1``, ``$2``… where the values go.

Only what cannot change between calls may be built into the queryset: a value that varies
must be a ``Param``, and a list whose length varies is a new shape (``Prepared(build)``
gets the shape's arguments, e.g. how many ids). The frozen compiler answers Django's
iterable as the compiler it copies would (``as_sql``, ``select``, ``klass_info``, converters):
that is Django's compiler API, pinned with Django (``catalog/tests/test_prepared_statements.py``
compares the rows with the queryset's own).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Case, Expression, Field, Model, QuerySet, When
from django.db.models.functions import Cast
from django.db.models.sql.compiler import cursor_iter
from django.db.models.sql.constants import MULTI
from django.db.models.sql.subqueries import UpdateQuery
from django.db.transaction import TransactionManagementError


class Param(Expression):
    """A value given when the prepared statement runs, by name.

    ``field`` (optional) turns the value into what the database takes
    (``get_db_prep_value``); without it the value goes to the driver as it is, which is right
    for ints, strings and dates."""

    def __init__(self, name: str, field: Field | None = None):
        super().__init__(output_field=field)
        self.name = name
        self.db_field = field

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [self]


def numbered(name: str, count: int) -> list[Param]:
    """``count`` params for a list of values (``pk__in=numbered("id", 3)``): a list is a
    shape, its length part of it."""
    return [Param(f"{name}{n}") for n in range(count)]


_EVERY: weakref.WeakSet = weakref.WeakSet()


def forget() -> None:
    """Build and compile every prepared statement again at its next call (a test that
    changes how querysets compile, e.g. one that takes the row locks out)."""
    for statement in _EVERY:
        statement.forget()


class _Params:
    """A compiled statement's params: constants, and the slots each call fills by name."""

    def __init__(self, params):
        self.params = list(params)
        self.slots = [(n, p.name, p.db_field) for n, p in enumerate(params) if isinstance(p, Param)]
        self.names = frozenset(name for _, name, _ in self.slots)

    def bind(self, values: dict[str, Any], connection, *, for_save: bool = False) -> list:
        """The params with these values in their slots, each as its field sends it
        (``get_db_prep_save`` in an update, ``get_db_prep_value`` elsewhere)."""
        if values.keys() != self.names:
            differ = sorted(self.names.symmetric_difference(values))
            raise TypeError(f"prepared statement: values and params differ on {differ}")
        bound = self.params.copy()
        for n, name, field in self.slots:
            value = values[name]
            if field is not None:
                if for_save:
                    value = field.get_db_prep_save(value, connection=connection)
                else:
                    value = field.get_db_prep_value(value, connection=connection)
            bound[n] = value
        return bound


class _Frozen:
    """A compiled statement: its compiler, as set up by compiling it, its SQL and its params
    (``Param`` where a call gives the value)."""

    def __init__(self, queryset: QuerySet, compiler, sql: str, params):
        self.queryset, self.compiler, self.sql = queryset, compiler, sql
        self.params = _Params(params)
        self.converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def compiler_for(self, connection, bound: list):
        """A copy of the compiler that answers the frozen SQL with these values, on this
        thread's connection (Django's connections are each a thread's own)."""
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, bound)
        if (converters := self.converters.get(connection)) is None:
            # What turns each column into its value: the same for every run on a connection.
            converters = self.converters[connection] = compiler.get_converters(
                [column for column, *_ in compiler.select[: compiler.col_count]]
            )
        compiler.get_converters = lambda expressions: converters
        return compiler


def statement_cursor(connection):
    """A cursor for a statement that runs again and again with other values. On PostgreSQL,
    one that sends the values apart from the SQL (psycopg's server-side binding, not
    Django's default client-side one): the SQL is then the same at every run, and psycopg
    prepares it on the server once it has run ``prepare_threshold`` times (5), so that
    PostgreSQL no longer parses and plans it each time. Elsewhere, the usual cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.validate_thread_sharing()
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


class Prepared:
    """A queryset compiled once per database alias and shape (``build``'s arguments), then run
    with each call's ``Param`` values. ``finish`` (optional) edits the compiled SQL once, for
    what the ORM cannot say (``FOR SHARE``), given the SQL and the connection."""

    def __init__(self, build: Callable[..., QuerySet], finish: Callable | None = None):
        self.build = build
        self.finish = finish
        self._built: dict[tuple, QuerySet] = {}
        self._frozen: dict[tuple, _Frozen] = {}
        _EVERY.add(self)

    def forget(self) -> None:
        self._built.clear()
        self._frozen.clear()

    def _compiled(self, shape: tuple[Hashable, ...]) -> _Frozen:
        if (queryset := self._built.get(shape)) is None:
            queryset = self._built[shape] = self.build(*shape)
        alias = queryset.db  # the router's choice, made for each call
        key = (alias, connections[alias].vendor, shape)
        if (frozen := self._frozen.get(key)) is None:
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            if self.finish is not None:
                sql = self.finish(sql, connections[alias])
            frozen = self._frozen[key] = _Frozen(queryset, compiler, sql, params)
        return frozen

    def _bound(self, shape, values) -> tuple[_Frozen, Any, list]:
        frozen = self._compiled(shape)
        queryset = frozen.queryset
        connection = connections[queryset.db]
        locking = queryset.query.select_for_update and connection.features.has_select_for_update
        if locking and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        return frozen, connection, frozen.params.bind(values, connection)

    def all(self, *shape: Hashable, **values) -> list[Model]:
        """The rows, as the queryset would give them, for these values."""
        return self.send(*shape, **values).all()

    def send(self, *shape: Hashable, **values) -> Sent:
        """Run the statement now and read its rows later (``Sent.all``): inside ``pipelined``,
        statements sent one after another are all answered at the first read, one wait."""
        frozen, connection, bound = self._bound(shape, values)
        cursor = statement_cursor(connection)
        try:
            cursor.execute(frozen.sql, bound)
        except Exception:
            cursor.close()
            raise
        return Sent(frozen, connection, bound, cursor)

    def execute(self, *shape: Hashable, **values) -> None:
        """Run the statement for what it does, not for its rows (a lock it takes): inside
        ``pipelined`` it is sent and not waited for."""
        frozen, connection, bound = self._bound(shape, values)
        with statement_cursor(connection) as cursor:
            cursor.execute(frozen.sql, bound)

    def get(self, *shape: Hashable, **values) -> Model:
        """The one row for these values (``DoesNotExist`` / ``MultipleObjectsReturned``
        otherwise, as ``QuerySet.get``)."""
        rows = self.all(*shape, **values)
        model = self._compiled(shape).queryset.model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(rows) > 1:
            raise model.MultipleObjectsReturned(
                f"get() returned more than one {model._meta.object_name} -- it returned "
                f"{len(rows)}!"
            )
        return rows[0]


class Sent:
    """A prepared statement that has run: ``all()`` reads its rows, once."""

    def __init__(self, frozen: _Frozen, connection, bound: list, cursor):
        self.frozen, self.connection, self.bound, self.cursor = frozen, connection, bound, cursor

    def all(self) -> list[Model]:
        compiler = self.frozen.compiler_for(self.connection, self.bound)
        cursor, features = self.cursor, self.connection.features

        def execute_sql(result_type=MULTI, chunked_fetch=False, chunk_size=100):
            columns = compiler.col_count if compiler.has_extra_select else None
            return list(cursor_iter(cursor, features.empty_fetchmany_value, columns, chunk_size))

        compiler.execute_sql = execute_sql
        clone = self.frozen.queryset._chain()
        clone.query.get_compiler = lambda *args, **kwargs: compiler
        return list(clone)


class PreparedUpdate:
    """``UPDATE`` of ``fields`` of ``model`` rows by their primary keys, compiled once per
    database alias and number of rows. Like ``QuerySet.update``: no signal, no ``save()``,
    no history.

    ``run(pk, **values)`` writes one row; ``bulk(objs)`` writes each object's values of the
    fields, as ``QuerySet.bulk_update(objs, fields)`` does (``CASE … WHEN`` by primary key,
    in batches the database takes), one statement a batch."""

    def __init__(self, model: type[Model], fields: tuple[str, ...]):
        self.model = model
        self.fields = tuple(fields)
        self._frozen: dict[tuple, tuple[str, _Params]] = {}
        _EVERY.add(self)

    def forget(self) -> None:
        self._frozen.clear()

    def run(self, pk, **values) -> int:
        """The number of rows changed (-1 inside ``pipelined``, where it is not known)."""
        if set(values) != set(self.fields):
            raise TypeError(f"PreparedUpdate of {self.fields} was given {sorted(values)}")
        return self._execute(1, {**{f"{name}0": v for name, v in values.items()}, "pk0": pk})

    def bulk(self, objs) -> None:
        """Write each object's values of the fields (rows counted by nobody: inside
        ``pipelined`` they are not known)."""
        meta = self.model._meta
        attnames = [(name, meta.get_field(name).attname) for name in self.fields]
        connection = connections[router.db_for_write(self.model)]
        size = connection.ops.bulk_batch_size([meta.pk, meta.pk, *self.fields], objs) or 1
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            values = {f"pk{n}": obj.pk for n, obj in enumerate(batch)}
            for n, obj in enumerate(batch):
                values.update({f"{name}{n}": getattr(obj, attname) for name, attname in attnames})
            self._execute(len(batch), values)

    def _execute(self, count: int, values: dict[str, Any]) -> int:
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        key = (alias, connection.vendor, count)
        if (frozen := self._frozen.get(key)) is None:
            frozen = self._frozen[key] = self._compile(count, alias)
        sql, params = frozen
        with statement_cursor(connection) as cursor:
            cursor.execute(sql, params.bind(values, connection, for_save=True))
            return cursor.rowcount

    def _compile(self, count: int, alias: str) -> tuple[str, _Params]:
        meta = self.model._meta
        if count == 1:
            rows = self.model._base_manager.filter(pk=Param("pk0"))
            updates = {name: Param(f"{name}0", meta.get_field(name)) for name in self.fields}
        else:  # as bulk_update builds it
            rows = self.model._base_manager.filter(pk__in=numbered("pk", count))
            cast = connections[alias].features.requires_casted_case_in_updates
            updates = {}
            for name in self.fields:
                field = meta.get_field(name)
                case = Case(
                    *(
                        When(pk=Param(f"pk{n}"), then=Param(f"{name}{n}", field))
                        for n in range(count)
                    ),
                    output_field=field,
                )
                updates[name] = Cast(case, output_field=field) if cast else case
        query = rows.query.chain(UpdateQuery)
        query.add_update_values(updates)
        sql, params = query.get_compiler(using=alias).as_sql()
        return sql, _Params(params)


@contextmanager
def pipelined(using: str = DEFAULT_DB_ALIAS):
    """The statements run inside go to PostgreSQL together, in psycopg's pipeline mode,
    which waits for their answers once, at the end, not once each: for a run of writes whose
    results nothing reads (a row count is -1 until the end). A read inside still answers: it
    waits for everything sent before it. Elsewhere, statements run one by one, as always.

    A database error of any of them is raised at the end at the latest, as Django's error
    (``IntegrityError``, ``OperationalError``...), and the transaction is rolled back as for
    any error."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield
