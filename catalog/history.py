"""A row's versions from its django-simple-history records, with what each one changed.

``row_versions`` serves a single row (the API's ``{id}/history/``); ``pricing.audit`` builds
an offering's trail from the versions of the offering and of its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Version:
    date: datetime
    user: object
    kind: str
    reason: str
    what: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def versions(records: Iterable, what: Callable[[object], str]) -> list[Version]:
    """History records (oldest first) as versions with field-by-field differences.

    Each record is compared with the previous record of the same row; ``what`` names the row
    a record belongs to. Foreign keys are compared by id: no query per record.
    """
    result, previous = [], {}
    for record in records:
        changes = []
        prior = previous.get(record.id)
        if prior is not None:
            delta = record.diff_against(prior)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        previous[record.id] = record
        result.append(
            Version(
                record.history_date,
                record.history_user,
                KINDS[record.history_type],
                record.history_change_reason or "",
                what(record),
                changes,
            )
        )
    return result


def has_history(model: type[models.Model] | None) -> bool:
    """Whether the model keeps django-simple-history records (a ``history`` manager)."""
    return model is not None and hasattr(model, "history") and hasattr(model.history, "model")


def row_versions(row: models.Model) -> list[Version]:
    """The row's versions, newest first, in one query whatever their number."""
    records = row.history.order_by("history_date", "history_id").select_related("history_user")
    name = str(row._meta.verbose_name)
    return list(reversed(versions(records, lambda record: name)))
