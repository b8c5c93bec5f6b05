"""Bulk rows with ids given here: PostgreSQL ``COPY`` (psycopg 3), else ``executemany``.

The generator names every row's id itself, so a child row points at its parent without
reading anything back. Each table's ids continue from its highest one; on PostgreSQL the
table is locked (``EXCLUSIVE``: reads go on, writes wait) until the run's transaction ends,
so no other writer takes an id from the sequence meanwhile. At the end the history rows of
each table are written in one ``INSERT … SELECT`` over the ids the run gave out (the same
columns simple-history writes: the row, date, reason, type "+", no user), and every
sequence is moved past the ids now held (``catalog.id_sequences``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from django.db import connection as default_connection
from django.db.models import Max, Model

from catalog.history_records import insert_history
from catalog.id_sequences import continue_past_every_id


class BulkWriter:
    """Buffers rows by model and writes them in batches; counts what it wrote."""

    def __init__(
        self,
        *,
        history: bool,
        batch_size: int,
        reason: str,
        connection=default_connection,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.history = history
        self.batch_size = batch_size
        self.reason = reason
        self.connection = connection
        self.progress = progress or (lambda message: None)
        self.copy = connection.vendor == "postgresql"
        self.columns: dict[type[Model], tuple[str, ...]] = {}
        self.buffers: dict[type[Model], list[tuple]] = {}
        self.next_id: dict[type[Model], int] = {}
        self.first_id: dict[type[Model], int] = {}
        self.rows: Counter[type[Model]] = Counter()
        self.history_rows: Counter[type[Model]] = Counter()
        self.seconds: Counter[str] = Counter()

    def declare(self, model: type[Model], columns: Sequence[str]) -> None:
        """The columns each row of ``model`` gives, id first; every NOT NULL column is one."""
        known = {field.attname: field for field in model._meta.concrete_fields}
        if unknown := set(columns) - set(known):
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}.")
        if missing := [n for n, f in known.items() if not f.null and n not in columns]:
            raise ValueError(f"{model.__name__} rows need {missing}.")
        if columns[0] != model._meta.pk.attname:
            raise ValueError(f"{model.__name__} rows start with their id.")
        self.columns[model] = tuple(columns)
        self.buffers[model] = []

    def ids(self, model: type[Model], count: int = 1) -> int:
        """The first of ``count`` new ids of ``model``'s table."""
        if model not in self.next_id:
            if self.copy:
                with self.connection.cursor() as cursor:
                    table = self.connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            top = model._base_manager.using(self.connection.alias).aggregate(top=Max("pk"))["top"]
            self.next_id[model] = self.first_id[model] = (top or 0) + 1
        first = self.next_id[model]
        self.next_id[model] = first + count
        return first

    def add(self, model: type[Model], row: tuple) -> None:
        buffer = self.buffers[model]
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self.flush(model)

    def extend(self, model: type[Model], rows: Iterable[tuple]) -> None:
        buffer = self.buffers[model]
        buffer.extend(rows)
        if len(buffer) >= self.batch_size:
            self.flush(model)

    def flush(self, model: type[Model] | None = None) -> None:
        """Write the buffered rows of ``model`` (of every model when None)."""
        for each in [model] if model is not None else list(self.buffers):
            rows = self.buffers[each]
            if not rows:
                continue
            started = time.perf_counter()
            self._write(each, rows)
            self.seconds[each._meta.db_table] += time.perf_counter() - started
            self.rows[each] += len(rows)
            self.buffers[each] = []

    def _write(self, model: type[Model], rows: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column) for column in self.columns[model])
        with self.connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns[model]))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def finish(self) -> None:
        """Write what is buffered, the history rows (``history``), and move the sequences."""
        self.flush()
        if self.history:
            for model in self.columns:
                if self.rows[model] and hasattr(model, "history"):
                    started = time.perf_counter()
                    first, last = self.first_id[model], self.next_id[model] - 1
                    insert_history(
                        model, "r.id BETWEEN %s AND %s", [first, last], by=None, reason=self.reason
                    )
                    self.history_rows[model.history.model] += self.rows[model]
                    seconds = time.perf_counter() - started
                    self.seconds[model.history.model._meta.db_table] += seconds
                    self.progress(f"  history of {model._meta.db_table}: {seconds:.1f} s")
        started = time.perf_counter()
        continue_past_every_id(self.connection)
        self.seconds["(id sequences)"] += time.perf_counter() - started

    def analyze(self) -> None:
        """PostgreSQL: fresh planner statistics for the tables written (after the commit).
        Until autovacuum gets to them, a table grown by millions of rows in one go is
        planned as the small table it was, and the first reads scan it whole."""
        if not self.copy:
            return
        started = time.perf_counter()
        tables = [model._meta.db_table for model in self.columns if self.rows[model]]
        tables += [model._meta.db_table for model in self.history_rows]
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(table)}")
        self.seconds["(analyze)"] += time.perf_counter() - started
