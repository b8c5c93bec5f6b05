"""A stored value in words, the one place every history page and audit puts values in words.

Field names become their verbose names, choices their labels, related rows their names
(looked up in one query per related model, however many rows a page names), booleans "Yes"
and "No", nothing "—", and dates one format (``DATE_FORMAT``, ``DATETIME_FORMAT``) in the
site's time zone. The admin's history pages, the offering's audit and the API's history
endpoints all word values here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import dateformat, timezone
from django.utils.text import capfirst

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i:s"
EMPTY = "—"
MISSING = "deleted #{pk}"


def when(value: date | datetime | None) -> str:
    """A date, or a date and time in the site's time zone, in the one format pages use."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, DATETIME_FORMAT)
    return dateformat.format(value, DATE_FORMAT)


def label(model: type[models.Model], name: str) -> str:
    """A field's verbose name, capitalized; the name itself for a field the model lacks."""
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:  # a path or a name of no field: said as it is, underscores as spaces
        return capfirst(name.replace("_", " "))


def number(value: Decimal) -> str:
    """A decimal without its padding zeros, but with two places when it has a fraction:
    12, 0.40, 0.875."""
    value = value.normalize()
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def plain(value: object) -> str:
    """A value that is no choice and no related row, in words."""
    if value is None or value == "" or value == [] or value == {} or value == ():
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, date | datetime):
        return when(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(plain(part) for part in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {plain(part)}" for key, part in value.items())
    return str(value)


def related_model(field: models.Field | None) -> type[models.Model] | None:
    if field is None or not field.is_relation or field.remote_field is None:
        return None
    return field.remote_field.model


class Names:
    """Related rows' names: every id wanted is noted first, then each model is read once."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[type[models.Model], dict] = {}

    def want(self, field: models.Field | None, value: object) -> None:
        model = related_model(field)
        if model is None or value is None:
            return
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        self.wanted[model].update(values)

    def fetch(self) -> None:
        """One query per related model named, whatever the number of ids."""
        for model, ids in self.wanted.items():
            ids -= set(self.found.get(model, ()))
            if not ids:
                continue
            rows = model._base_manager.filter(pk__in=ids)
            # A name reading other rows says which (``str_select_related``); else every
            # non-null relation is joined, so naming never costs a query per row.
            joins = getattr(model, "str_select_related", None)
            rows = rows.select_related(*joins) if joins is not None else rows.select_related()
            self.found.setdefault(model, {}).update((row.pk, str(row)) for row in rows)

    def name(self, model: type[models.Model], pk: object) -> str:
        return self.found.get(model, {}).get(pk) or MISSING.format(pk=pk)


def words(field: models.Field | None, value: object, names: Names | None = None) -> str:
    """``value`` of ``field`` in words: its choice label, its related row's name, or plain."""
    if value is None or value == "":
        return EMPTY
    model = related_model(field)
    if model is not None:
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        if not values:
            return EMPTY
        named = [names.name(model, pk) if names else MISSING.format(pk=pk) for pk in values]
        return ", ".join(sorted(named))
    if field is not None and field.flatchoices:
        choices = {str(key): text for key, text in field.flatchoices}
        if isinstance(value, list | tuple):
            return ", ".join(str(choices.get(str(part), part)) for part in value) or EMPTY
        said = str(choices.get(str(value), value))
        if said.lower() == "none":  # a choice labelled "None" must not read as a lost value
            return f"No {field.verbose_name}"
        return said
    return plain(value)


def field_of(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def all_words(changes: Iterable) -> None:
    """Fill each change's ``label``, ``old_text`` and ``new_text``; related names in one query
    per related model for all of them (``catalog.history.Change``)."""
    changes = list(changes)
    names = Names()
    for change in changes:
        names.want(change.source, change.old)
        names.want(change.source, change.new)
    names.fetch()
    for change in changes:
        change.old_text = words(change.source, change.old, names)
        change.new_text = words(change.source, change.new, names)
