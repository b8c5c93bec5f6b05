"""django-simple-history's ``HistoricalRecords``, whose history manager class is made once.

The library's descriptor (``Model.history``) makes its manager's class anew on every access
(``HistoryManager.from_queryset``, which walks the queryset class's methods with
``inspect``): about 0.1 ms, and every tracked save asks for it once (the library's
``post_save`` reads ``instance.history``), as does every ``bulk_history_create``. The class
depends on the queryset class alone, so ``HistoryManager`` here makes it once per queryset
class; every tracked model declares ``history = HistoricalRecords()`` from this module
(``catalog/tests/test_history_manager_made_once.py`` checks that none is left out).
"""

from __future__ import annotations

import functools

from django.db import connection
from django.utils import timezone
from simple_history import manager, models

from catalog.prepared import statement_cursor


class HistoryManager(manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)


def insert_history(
    model, where_sql: str, where_params: list, *, by, reason: str, history_type: str = "+"
) -> None:
    """Write one history row for every ``model`` row matching ``where_sql`` (the row's alias
    is ``r``), as the row now stands, in one ``INSERT … SELECT`` in id order.

    The same columns simple-history's own records hold: the row's fields, then its date (now),
    reason, type ("+" created, "~" changed) and user. For set-based writes, and for the writes
    of a path whose rows need not be built in Python (a sale). Plain SQL that SQLite and
    PostgreSQL both run."""
    sql, extra = _history_statement(model, where_sql)
    params = {
        "history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": getattr(by, "pk", None),
    }
    with statement_cursor(connection) as cursor:
        cursor.execute(sql, [params[name] for name in extra] + list(where_params))


@functools.lru_cache(maxsize=256)
def _history_statement(model, where_sql: str) -> tuple[str, tuple[str, ...]]:
    """The statement ``insert_history`` runs, and the history fields it takes as parameters
    (made once per model and condition: only the values change). Bounded: a bulk path's
    condition names as many placeholders as it has ids, so each batch size is a statement."""
    historical = model.history.model
    qn = connection.ops.quote_name
    source = {f.column for f in model._meta.concrete_fields}
    targets, values, extra = [], [], []
    for field in historical._meta.concrete_fields:
        if field.name == "history_id":
            continue
        if field.column in source:
            values.append(f"r.{qn(field.column)}")
        elif field.name in HISTORY_FIELDS:
            values.append("%s")
            extra.append(field.name)
        else:  # a field simple-history added that we do not know: leave it to its default
            continue
        targets.append(field.column)
    pk = qn(model._meta.pk.column)
    sql = (
        f"INSERT INTO {qn(historical._meta.db_table)} ({', '.join(qn(c) for c in targets)}) "
        f"SELECT {', '.join(values)} FROM {qn(model._meta.db_table)} r "
        f"WHERE {where_sql} ORDER BY r.{pk}"
    )
    return sql, tuple(extra)


HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user")
