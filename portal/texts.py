"""Texts in the reader's language: items, offers, plans, feature groups and features.

Texts are handed out first, in the default language (the row's own text), and filled in by
``Texts.load()`` once everything on the page is known: one query per kind of row wanted,
none in the default language. Each field falls back along the locale chain ("fr-CA", then
"fr") to the row's own text, on its own: a translation with a name and no description
gives the name only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from catalog.models import (
    Feature,
    FeatureGroup,
    FeatureGroupTranslation,
    FeatureTranslation,
    Item,
    ItemTranslation,
    Offer,
    OfferTranslation,
    Plan,
    PlanTranslation,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from portal.locales import ContentLocale

# What translates each kind of row, and the translation's key to it.
TRANSLATIONS: dict[type, tuple[type, str]] = {
    Item: (ItemTranslation, "item_id"),
    Offer: (OfferTranslation, "offer_id"),
    Plan: (PlanTranslation, "plan_id"),
    FeatureGroup: (FeatureGroupTranslation, "group_id"),
    Feature: (FeatureTranslation, "feature_id"),
}


@dataclass(frozen=True)
class Text:
    """A translatable text and the locale it is in (None: the default language)."""

    value: str
    lang: str | None = None


class Texts:
    """The texts one page shows, in the reader's language, loaded at the end."""

    def __init__(self, locale: ContentLocale) -> None:
        self.chain = locale.chain
        self.wanted: dict[type, set[int]] = defaultdict(set)
        self.pending: list[tuple[object, str, type, int, str]] = []

    def want(self, row: Model, field_name: str, holder: object, attribute: str) -> None:
        """Set ``holder.attribute`` to the row's own text now, and to its translation at
        ``load()``."""
        model = type(row)
        setattr(holder, attribute, Text(getattr(row, field_name)))
        self.wanted[model].add(row.pk)
        self.pending.append((holder, attribute, model, row.pk, field_name))

    def name(self, row: Model, holder: object, attribute: str = "name") -> None:
        self.want(row, "name", holder, attribute)

    def description(self, row: Model, holder: object, attribute: str = "description") -> None:
        self.want(row, "description", holder, attribute)

    def load(self) -> None:
        if not self.chain:
            return  # the default language: the rows' own texts, already in place
        found: dict[tuple[type, int, str], object] = {}
        for model, pks in self.wanted.items():
            translation, key = TRANSLATIONS[model]
            rows = translation.objects.filter(**{f"{key}__in": pks}, locale__in=self.chain)
            for row in rows:
                found[(model, getattr(row, key), row.locale)] = row
        for holder, attribute, model, pk, field_name in self.pending:
            for locale in self.chain:
                row = found.get((model, pk, locale))
                if row is not None and getattr(row, field_name):
                    setattr(holder, attribute, Text(getattr(row, field_name), locale))
                    break
