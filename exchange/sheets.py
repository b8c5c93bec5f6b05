"""A sheet of a workbook: its columns both ways, and how its rows are written.

Each sheet is a django-import-export ``Resource``: its ``Field``\\ s are the columns (the
export reads them off the rows, following relations by natural key, never by id), and their
widgets (``exchange.columns``) read the cells back on import. The import does not save
instances the library's way: each sheet hands its rows to the catalog's and pricing's
service bodies (``catalog.concurrency.body``), inside the one transaction of
``exchange.importer.run_import``, so a row imported meets every rule, lock and history the
admin and the API meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from import_export import resources
from import_export.fields import Field

from catalog.errors import DomainError
from catalog.rows import update_row, validated_save
from exchange.columns import is_blank
from exchange.context import ImportContext, Refused
from exchange.outcomes import CHANGED, CREATED, REFUSED, UNCHANGED, RowOutcome

Row = Mapping[str, Any]


def column(name: str, widget, attribute: str | None = None) -> Field:
    """A column named ``name`` ("billing period"), read on export from ``attribute`` (by
    default the field of the name, "billing_period")."""
    return Field(attribute=attribute or name.replace(" ", "_"), column_name=name, widget=widget)


def reason_of(exc: Exception) -> str:
    """The sentence a refused row shows."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            parts = []
            for name, errors in exc.message_dict.items():
                text = " ".join(errors)
                parts.append(text if name == NON_FIELD_ERRORS else f"{name}: {text}")
            return " ".join(parts)
        return " ".join(exc.messages)
    return str(exc)


class Sheet(resources.Resource):
    """One sheet: ``title`` names it in the workbook (and a CSV file), ``book`` the workbook
    it belongs to, ``key`` the columns that identify a row."""

    title: ClassVar[str] = ""
    book: ClassVar[str] = "catalog"
    key: ClassVar[tuple[str, ...]] = ()

    # Export -------------------------------------------------------------------------------

    def rows_of(self, vendor) -> Iterable:
        """The objects whose rows the sheet exports for ``vendor``."""
        raise NotImplementedError

    @classmethod
    def headers(cls) -> list[str]:
        return cls().get_export_headers()

    # Import -------------------------------------------------------------------------------

    def parse(self, raw: Row) -> dict[str, Any]:
        """The row's cells as values, or Refused naming each unreadable cell."""
        values, problems = {}, []
        for field in self.get_export_fields():
            try:
                values[field.column_name] = field.widget.clean(raw.get(field.column_name))
            except ValueError as exc:
                problems.append(f"{field.column_name}: {exc}")
        if problems:
            raise Refused(" ".join(problems))
        return values

    def key_text(self, raw: Row) -> str:
        return " / ".join(str(raw[name]) for name in self.key if not is_blank(raw.get(name)))

    def apply(self, ctx: ImportContext, rows: Iterable[tuple[int, Row]]) -> Iterator[RowOutcome]:
        """Each row's outcome; a row is written in its own savepoint, so a refused row
        leaves nothing behind and the next rows still get their verdict."""
        for number, raw in rows:
            key = self.key_text(raw)
            try:
                values = self.parse(raw)
                with transaction.atomic():
                    result, fields = self.apply_row(ctx, values)
            except (Refused, ValidationError, DomainError) as exc:
                yield RowOutcome(self.title, number, key, REFUSED, reason=reason_of(exc))
            else:
                yield RowOutcome(self.title, number, key, result, fields)

    def apply_row(self, ctx: ImportContext, values: dict) -> tuple[str, tuple[str, ...]]:
        raise NotImplementedError


class ModelSheet(Sheet):
    """A sheet whose row is one model row: found by its key, created, or changed in the
    fields ``editable`` names (columns named as the model's fields)."""

    editable: ClassVar[tuple[str, ...]] = ()

    def find(self, ctx: ImportContext, values: dict) -> models.Model | None:
        raise NotImplementedError

    def new(self, ctx: ImportContext, values: dict) -> models.Model:
        raise NotImplementedError

    def wanted(self, ctx: ImportContext, values: dict) -> dict[str, Any]:
        """The editable fields' values the row asks for (model field → value)."""
        return {name: values[name.replace("_", " ")] for name in self.editable}

    def create(self, ctx: ImportContext, values: dict) -> models.Model:
        return validated_save(self.new(ctx, values), by=ctx.by, reason=ctx.reason)

    def update(self, ctx: ImportContext, current, changes: dict) -> models.Model:
        return update_row(current, changes, by=ctx.by, reason=ctx.reason)

    def created(self, ctx: ImportContext, row: models.Model) -> None:
        """Remember a new row for the rows after it (the context's lookups)."""

    def apply_row(self, ctx, values):
        current = self.find(ctx, values)
        if current is None:
            self.created(ctx, self.create(ctx, values))
            return CREATED, ()
        changes = changed(current, self.wanted(ctx, values))
        if not changes:
            return UNCHANGED, ()
        self.update(ctx, current, changes)
        return CHANGED, tuple(changes)


def changed(current: models.Model, wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose wanted value differs from the row's. Line endings are not content:
    a workbook keeps no carriage return (XML reads "\r\n" as "\n"), so a description typed
    in a browser's text box (which sends "\r\n") comes back from its export unchanged."""
    return {
        name: value for name, value in wanted.items() if not same(getattr(current, name), value)
    }


def same(stored, wanted) -> bool:
    if isinstance(stored, str) and isinstance(wanted, str):
        return stored.replace("\r\n", "\n").replace("\r", "\n") == wanted.replace(
            "\r\n", "\n"
        ).replace("\r", "\n")
    return stored == wanted
