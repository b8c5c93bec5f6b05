"""Offer, plan, feature-group and feature names in other locales, like ``ItemTranslation``.

Each row is one thing's text in one locale ("de", "fr-CA"); the thing's own text is the
default language. The portal looks them up along the reader's locale chain, falling back
field by field to the default text.
"""

from __future__ import annotations

from django.db import models

from catalog.history_records import HistoricalRecords
from catalog.models.offers import Feature, FeatureGroup, Offer, Plan
from catalog.querysets import scoped
from catalog.validators import normalize_locale, validate_locale


def locale_field() -> models.CharField:
    return models.CharField(
        max_length=16, validators=[validate_locale], help_text="e.g. de, fr-CA, pt-BR."
    )


def unique_locale(owner: str, label: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[owner, "locale"],
        name=f"{owner}_translation_unique_locale",
        violation_error_message=f"This {label} already has a translation for this locale.",
    )


class Translation(models.Model):
    """A name in one locale; ``owner`` names the foreign key to what is translated."""

    owner = ""
    locale = locale_field()
    name = models.CharField(max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.owner)} [{self.locale}]"

    def clean(self) -> None:
        if self.locale:
            self.locale = normalize_locale(self.locale)


class OfferTranslation(Translation):
    owner = "offer"
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = scoped("offer__product__vendor", "offer", "offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "locale"]
        constraints = [unique_locale("offer", "offer")]


class PlanTranslation(Translation):
    owner = "plan"
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = scoped("plan__offer__product__vendor", "offer", "plan__offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "locale"]
        constraints = [unique_locale("plan", "plan")]


class FeatureGroupTranslation(Translation):
    owner = "group"
    group = models.ForeignKey(FeatureGroup, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=200)

    objects = scoped("group__offer__product__vendor", "offer", "group__offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "locale"]
        constraints = [unique_locale("group", "feature group")]


class FeatureTranslation(Translation):
    owner = "feature"
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="translations")

    objects = scoped(
        "feature__group__offer__product__vendor", "offer", "feature__group__offer"
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["feature", "locale"]
        constraints = [unique_locale("feature", "feature")]
