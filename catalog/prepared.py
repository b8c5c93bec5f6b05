"""Querysets built once per process, then run with each call's values.

Django builds a queryset's SQL every time it runs: it resolves each lookup, join and
annotation, then compiles them. For the few statements a hot path runs on every call (a sale
runs seven) that building costs more than the database does: 0.4 to 1.5 ms of CPU each on
this machine, against 0.1 to 0.2 ms for running the statement.

A ``Prepared`` query is written as an ordinary queryset in which each value a call gives is a
``Param``. It is compiled once per database connection's alias and shape. After that, every
call runs the same SQL with the call's values in place of the params. Rows become instances,
with their ``select_related`` rows and annotations, through Django's own iterable, exactly as
the queryset would give them::

    LOCKED_QUOTE = Prepared(
        lambda: Quote.objects.select_for_update().filter(pk=Param("pk"))
    )
    quote = LOCKED_QUOTE.get(pk=quote.pk)

``PreparedUpdate`` does the same for an ``UPDATE`` of some fields of one row by its primary
key: each value goes through its field's ``get_db_prep_save``, as ``QuerySet.update`` would
send it.

Only what cannot change between calls may be built into the queryset: a value that varies
must be a ``Param``, and a list whose length varies is a new shape (``Prepared(build)``
gets the shape's arguments, e.g. how many ids).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Hashable, Iterable
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Expression, Field, Model, QuerySet
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

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def bind(self, values: dict[str, Any], connection, *, for_save: bool = False) -> Any:
        value = values[self.name]
        if (field := self._output_field_or_none) is None:
            return value
        if for_save:
            return field.get_db_prep_save(value, connection=connection)
        return field.get_db_prep_value(value, connection=connection)


def numbered(name: str, count: int) -> list[Param]:
    """``count`` params for a list of values (``pk__in=numbered("id", 3)``): a list is a
    shape, its length part of it."""
    return [Param(f"{name}{n}") for n in range(count)]


def numbered_values(name: str, values: Iterable) -> dict[str, Any]:
    """The values of ``numbered(name, count)``'s params, in order."""
    return {f"{name}{n}": value for n, value in enumerate(values)}


_EVERY: weakref.WeakSet = weakref.WeakSet()


def forget() -> None:
    """Build and compile every prepared statement again at its next call (a test that
    changes how querysets compile, e.g. one that takes the row locks out)."""
    for statement in _EVERY:
        statement.forget()


def _bind(params, values: dict[str, Any], connection, *, for_save: bool = False) -> list:
    bound = [
        param.bind(values, connection, for_save=for_save) if isinstance(param, Param) else param
        for param in params
    ]
    if missing := {p.name for p in params if isinstance(p, Param)} ^ set(values):
        raise TypeError(f"prepared statement: values and params differ on {sorted(missing)}")
    return bound


class _Frozen:
    """A compiled statement: its compiler, as set up by compiling it, its SQL and its params
    (``Param`` where a call gives the value)."""

    def __init__(self, queryset: QuerySet, compiler, sql: str, params):
        self.queryset, self.compiler, self.sql, self.params = queryset, compiler, sql, params

    def compiler_for(self, connection, bound: list):
        """A copy of the compiler that answers the frozen SQL with these values, on this
        thread's connection (Django's connections are each a thread's own)."""
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, bound)
        return compiler


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
        return frozen, connection, _bind(frozen.params, values, connection)

    def all(self, *shape: Hashable, **values) -> list[Model]:
        """The rows, as the queryset would give them, for these values."""
        frozen, connection, bound = self._bound(shape, values)
        compiler = frozen.compiler_for(connection, bound)
        clone = frozen.queryset._chain()
        clone.query.get_compiler = lambda *args, **kwargs: compiler
        return list(clone)

    def execute(self, *shape: Hashable, **values) -> None:
        """Run the statement for what it does, not for its rows (a lock it takes): inside
        ``pipelined`` it is sent and not waited for."""
        frozen, connection, bound = self._bound(shape, values)
        with connection.cursor() as cursor:
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


class PreparedUpdate:
    """``UPDATE`` of ``fields`` of one ``model`` row by its primary key, compiled once per
    database alias: ``run(pk, **values)`` gives every field's value and answers the number of
    rows changed. Like ``QuerySet.update``: no signal, no ``save()``, no history."""

    def __init__(self, model: type[Model], fields: tuple[str, ...]):
        self.model = model
        self.fields = tuple(fields)
        self._frozen: dict[tuple, tuple[str, list]] = {}
        _EVERY.add(self)

    def forget(self) -> None:
        self._frozen.clear()

    def run(self, pk, **values) -> int:
        """The number of rows changed (-1 inside ``pipelined``, where it is not known)."""
        if set(values) != set(self.fields):
            raise TypeError(f"PreparedUpdate of {self.fields} was given {sorted(values)}")
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        key = (alias, connection.vendor)
        if (frozen := self._frozen.get(key)) is None:
            meta = self.model._meta
            query = self.model._base_manager.filter(pk=Param("pk")).query.chain(UpdateQuery)
            query.add_update_values(
                {name: Param(name, meta.get_field(name)) for name in self.fields}
            )
            frozen = self._frozen[key] = query.get_compiler(using=alias).as_sql()
        sql, params = frozen
        with connection.cursor() as cursor:
            cursor.execute(sql, _bind(params, {**values, "pk": pk}, connection, for_save=True))
            return cursor.rowcount


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
