"""A row's versions from its django-simple-history records, with what each one changed.

``row_versions`` serves a single row (the admin's history pages and the API's
``{id}/history/``); ``pricing.audit`` builds an offering's trail from the versions of the
offering and of its rows. A model whose versions include other rows' (a price with its
intervals and tiers) registers its own builder with ``register_versions``.

Each change keeps its raw values (ids for relations) and is put in words by
``catalog.wording`` (``in_words``), once for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

from catalog.wording import all_words, field_of, label

KINDS = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_relation",
}


@dataclass
class Change:
    """One field's change: ``field`` is its name (or a path, "intervals[1].tiers[2].price"),
    ``label`` its name in words; ``old`` and ``new`` the raw values, ``*_text`` in words."""

    field: str
    old: object
    new: object
    label: str = ""
    source: models.Field | None = field(default=None, repr=False, compare=False)
    old_text: str = ""
    new_text: str = ""


@dataclass
class Version:
    date: datetime
    user: object
    kind: str
    reason: str
    what: str
    changes: list[Change] = field(default_factory=list)
    history_id: int | None = None


def tracked_fields(record) -> list[models.Field]:
    """The row's own fields its history records keep (FKs by id)."""
    model = record.instance_type
    kept = {f.name for f in record._meta.fields} - HISTORY_FIELDS
    return [f for f in model._meta.concrete_fields if f.name in kept and not f.primary_key]


def m2m_values(records: list) -> dict[tuple[str, int], frozenset]:
    """The tracked many-to-many values of each record, one query per m2m field."""
    if not records or not getattr(records[0], "_history_m2m_fields", None):
        return {}
    found: dict[tuple[str, int], set] = defaultdict(set)
    for m2m in records[0]._history_m2m_fields:
        through = getattr(records[0], m2m.name).model
        target = m2m.m2m_reverse_field_name()
        rows = through.objects.filter(history__in=[r.history_id for r in records])
        for history_id, pk in rows.values_list("history_id", f"{target}_id"):
            found[(m2m.name, history_id)].add(pk)
    return {key: frozenset(pks) for key, pks in found.items()}


def record_changes(
    record, prior, fields: list[models.Field], m2m: dict[tuple[str, int], frozenset]
) -> list[Change]:
    """What ``record`` changed since ``prior`` (the same row's previous record)."""
    model = record.instance_type
    changes = []
    for model_field in fields:
        old, new = getattr(prior, model_field.attname), getattr(record, model_field.attname)
        if old != new:
            changes.append(
                Change(model_field.name, old, new, label(model, model_field.name), model_field)
            )
    for m2m_field in getattr(record, "_history_m2m_fields", ()):
        old = m2m.get((m2m_field.name, prior.history_id), frozenset())
        new = m2m.get((m2m_field.name, record.history_id), frozenset())
        if old != new:
            changes.append(
                Change(
                    m2m_field.name,
                    sorted(old),
                    sorted(new),
                    label(model, m2m_field.name),
                    field_of(model, m2m_field.name),
                )
            )
    return changes


def versions(records: Iterable, what: Callable[[object], str]) -> list[Version]:
    """History records (oldest first) as versions with field-by-field differences.

    Each record is compared with the previous record of the same row; ``what`` names the row
    a record belongs to. Foreign keys are compared by id and many-to-many values read in one
    query per field: no query per record.
    """
    records = list(records)
    fields = tracked_fields(records[0]) if records else []
    m2m = m2m_values(records)
    result, previous = [], {}
    for record in records:
        prior = previous.get(record.id)
        changes = record_changes(record, prior, fields, m2m) if prior is not None else []
        previous[record.id] = record
        result.append(
            Version(
                record.history_date,
                record.history_user,
                KINDS[record.history_type],
                record.history_change_reason or "",
                what(record),
                changes,
                record.history_id,
            )
        )
    return result


def in_words(versions: list[Version]) -> list[Version]:
    """The versions with every change's values in words (``catalog.wording``)."""
    all_words(change for version in versions for change in version.changes)
    return versions


def has_history(model: type[models.Model] | None) -> bool:
    """Whether the model keeps django-simple-history records (a ``history`` manager)."""
    return model is not None and hasattr(model, "history") and hasattr(model.history, "model")


BUILDERS: dict[type[models.Model], Callable[[models.Model], list[Version]]] = {}


def register_versions(model: type[models.Model]):
    """Decorator: ``builder(row)`` gives the model's versions, newest first, not yet worded."""

    def register(builder):
        BUILDERS[model] = builder
        return builder

    return register


def own_versions(row: models.Model) -> list[Version]:
    """The row's own versions, newest first, in one query whatever their number."""
    records = row.history.order_by("history_date", "history_id").select_related("history_user")
    name = str(row._meta.verbose_name)
    return list(reversed(versions(records, lambda record: name)))


def row_versions(row: models.Model) -> list[Version]:
    """The row's versions, newest first, in words, in a fixed number of queries."""
    builder = BUILDERS.get(type(row)._meta.concrete_model, own_versions)
    return in_words(builder(row))
