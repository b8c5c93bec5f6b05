"""After a load, each table's next id is one the installation never gave out.

Django's ``loaddata`` sets each loaded table's sequence to its highest live id (PostgreSQL;
SQLite's ``AUTOINCREMENT`` counter follows the ids inserted). But a deleted row's id lives on
in its history records and in the history of the rows that referred to it (a deleted user's
membership history keeps the user's id): in the database the dump came from, the sequence had
gone past it and it was never given out again. Were the highest id a deleted one, the moved
installation would give it to the next new row, whose history would then begin with the
deleted row's records. So the sequence of every table goes past every id the installation
holds for it: its rows, its history records, and every column that refers to it.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db.models import Max
from django.db.models.fields import AutoFieldMixin


def id_holders(model) -> list[tuple[str, type]]:
    """The columns of ``model`` that hold ids of some model's rows, with that model: its
    primary key, a history record's copy of its row's id, and its foreign keys (a history
    record's carry no database constraint and keep a deleted row's id)."""
    history_of = getattr(model, "instance_type", None)  # django-simple-history's records
    holders = []
    for field in model._meta.concrete_fields:
        if field.is_relation and field.target_field.primary_key:
            holders.append((field.attname, field.related_model))
        elif field.primary_key:
            holders.append((field.attname, model))
        elif history_of is not None and field.attname == history_of._meta.pk.attname:
            holders.append((field.attname, history_of))
    return holders


def highest_ids(using: str) -> dict[type, int]:
    """Each model's highest id held anywhere in the database: one query a table."""
    held = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not (holders := id_holders(model)):
            continue
        tops = model._base_manager.using(using).aggregate(
            **{f"top_{n}": Max(column) for n, (column, _) in enumerate(holders)}
        )
        for n, (_, owner) in enumerate(holders):
            if tops[f"top_{n}"] is not None:
                held[owner].append(tops[f"top_{n}"])
    return {owner: max(ids) for owner, ids in held.items()}


def continue_past_every_id(connection) -> None:
    """Move each sequence of ``connection``'s database past the highest id held for its
    table; a sequence already past it stays where it is."""
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    with connection.cursor() as cursor:
        for model, highest in highest_ids(connection.alias).items():
            if not isinstance(model._meta.pk, AutoFieldMixin):
                continue
            table, column = model._meta.db_table, model._meta.pk.column
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                (sequence,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                last, called = cursor.fetchone()
                if (last + 1 if called else last) <= highest:
                    cursor.execute("SELECT setval(%s, %s, true)", [sequence, highest])
            else:  # SQLite's AUTOINCREMENT: the highest id given out, by table
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                given = cursor.fetchone()
                if given is None:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
                    )
                elif given[0] < highest:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [highest, table]
                    )
