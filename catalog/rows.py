"""The catalog's write path for plain rows: create, change and delete, each under its lock.

Most catalog rows have no rule beyond what the row checks alone (``clean``, constraints):
a product's name, a feature's position, a listing's status. Their writes still go one way,
from the admin, the API, imports and commands alike: the service locks the row it changes
(and, for a page that writes a row with its inline rows, the parent first), applies the
change to the row as it is in the database, validates it and saves it with its history.

``rows_save`` writes a whole page, the row and its inline rows, in one transaction: a refusal
anywhere saves nothing. ``RULES`` holds the few rules a row cannot check alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from catalog.concurrency import service
from catalog.models import Item, ItemGroup
from catalog.validators import NUL_MESSAGE, contains_nul

M = TypeVar("M", bound=models.Model)

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def refuse_nul_characters(instance: models.Model) -> None:
    """Refuse text and JSON (keys and values) holding NUL, before any query sends them.

    Model fields carry no such validator (forms and DRF fields do); PostgreSQL would fail on
    it and SQLite store it, so every write through here refuses it the same way on both.
    """
    errors = {
        field.name: [NUL_MESSAGE]
        for field in instance._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS) and contains_nul(getattr(instance, field.attname))
    }
    if errors:
        raise ValidationError(errors)


def validated_save(instance: M, *, by: AbstractBaseUser | None = None, reason: str = "") -> M:
    """Validate a row (no NUL text, fields, constraints, ``clean``), then save it with history."""
    with transaction.atomic():
        refuse_nul_characters(instance)
        instance.full_clean()
        if by is not None:
            instance._history_user = by
        if reason:
            instance._change_reason = reason
        instance.save()
    return instance


def locked(row: M) -> M:
    """The row as it is in the database now, under its row lock."""
    return type(row)._base_manager.select_for_update().get(pk=row.pk)


def refuse_item_move(item: Item, changes: Mapping[str, Any]) -> None:
    product = changes.get("product")
    if product is not None and getattr(product, "pk", product) != item.product_id:
        # Paths, add-on bases and plans hang off the product: an item stays where it is.
        raise ValidationError(
            {"product": "An item cannot move to another product; create a new item."},
            code="item_move",
        )


def refuse_item_group_move(group: ItemGroup, changes: Mapping[str, Any]) -> None:
    product = changes.get("product")
    if product is not None and getattr(product, "pk", product) != group.product_id:
        # Its subgroups and items belong to the product: a group stays where it is.
        raise ValidationError(
            {"product": "An item group cannot move to another product; create one there."},
            code="item_group_move",
        )


# Checks of a change that the row cannot make alone: (row before, changes) → ValidationError.
RULES: dict[type[models.Model], Callable[[Any, Mapping[str, Any]], None]] = {
    Item: refuse_item_move,
    ItemGroup: refuse_item_group_move,
}


@dataclass(frozen=True)
class RowWrite:
    """One row of a page to write: a new row (saved as given), changes to an existing one,
    or its deletion. ``m2m`` sets many-to-many relations after the row is saved."""

    row: models.Model
    changes: Mapping[str, Any] = field(default_factory=dict)
    m2m: Mapping[str, Any] = field(default_factory=dict)
    delete: bool = False

    @property
    def is_new(self) -> bool:
        return self.row._state.adding


def create_row(row: M, *, by: AbstractBaseUser | None = None, m2m: Mapping = {}) -> M:
    for relation in row._meta.concrete_fields:
        if relation.many_to_one and getattr(row, relation.attname) is None:
            # A parent saved earlier in this write (an inline row of a new page): its id now.
            setattr(row, relation.name, getattr(row, relation.name))
    validated_save(row, by=by)
    for name, values in m2m.items():
        getattr(row, name).set(values)
    return row


def update_row(
    row: M,
    changes: Mapping[str, Any],
    *,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    m2m: Mapping = {},
) -> M:
    """Lock the row, check the change's rules, apply it to the row as stored, save."""
    current = locked(row)
    if rule := RULES.get(type(current)):
        rule(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    if changes:
        validated_save(current, by=by, reason=reason)
    for name, values in m2m.items():
        getattr(current, name).set(values)
    return current


def delete_row(row: models.Model, *, by: AbstractBaseUser | None = None) -> None:
    """Lock the row and delete it; what other rows protect is refused (``ProtectedError``)."""
    current = locked(row)
    current._history_user = by
    current.delete()


def write_rows(writes: Sequence[RowWrite], *, by: AbstractBaseUser | None = None) -> None:
    """The writes in order, in the caller's transaction (see ``rows_save``)."""
    for write in writes:
        if write.delete:
            delete_row(write.row, by=by)
        elif write.is_new:
            create_row(write.row, by=by, m2m=write.m2m)
        else:
            update_row(write.row, write.changes, by=by, m2m=write.m2m)


@service
def row_create(row: M, *, by: AbstractBaseUser | None = None, m2m: Mapping = {}) -> M:
    """Save a new row (validated, with history)."""
    return create_row(row, by=by, m2m=m2m)


@service
def row_update(
    row: M, *, by: AbstractBaseUser | None = None, reason: str = "", **changes: Any
) -> M:
    """Change fields of a stored row, under its row lock; returns the row as saved."""
    return update_row(row, changes, by=by, reason=reason)


@service
def row_delete(row: models.Model, *, by: AbstractBaseUser | None = None) -> None:
    """Delete a row, under its row lock, keeping its history."""
    delete_row(row, by=by)


@service
def rows_save(writes: Sequence[RowWrite], *, by: AbstractBaseUser | None = None) -> None:
    """Write a page (a row and its inline rows) as a whole: the first row's lock is taken
    first, so two saves of the same page run one after the other; any refusal saves nothing."""
    head = writes[0] if writes else None
    if head is not None and not head.is_new and not head.delete:
        locked(head.row)
    write_rows(writes, by=by)
