"""Offer, plan, feature-group and feature names in other locales, as the API reads and
writes them: a ``translations`` list on each, replaced as a whole when given (like an item's).
"""

from __future__ import annotations

from rest_framework import serializers

from catalog.api.strict import StrictSerializer
from catalog.services import Translation, translated_save


class TranslationListSerializer(serializers.ListSerializer):
    """A list of translations with one entry per locale."""

    def validate(self, rows):
        locales = [row["locale"].strip().lower().replace("_", "-") for row in rows]
        if len(set(locales)) != len(locales):
            raise serializers.ValidationError("Each locale may appear only once.")
        return rows


class NameTranslationSerializer(StrictSerializer):
    """A feature group's or a feature's name in one locale ("de", "fr-CA")."""

    locale = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=300)

    class Meta:
        list_serializer_class = TranslationListSerializer

    def validate(self, attrs):
        # A PATCH is partial all the way down in DRF; a translation is whole all the same.
        missing = {name: ["This field is required."] for name in ("locale", "name")}
        missing = {name: errors for name, errors in missing.items() if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class NameDescriptionTranslationSerializer(NameTranslationSerializer):
    """An offer's or a plan's name and description in one locale."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")


def pop_translations(validated_data: dict) -> list[Translation] | None:
    """The translations given, taken out of ``validated_data``; None when not given."""
    rows = validated_data.pop("translations", None)
    return None if rows is None else [Translation(**row) for row in rows]


class TranslatedRowMixin:
    """For the serializer of an offer, feature group or feature: the row and its
    ``translations`` are saved by one service call (a plan's serializer calls ``plan_save``)."""

    def create(self, validated_data):
        translations = pop_translations(validated_data)
        with self.translated_errors():
            row = self.Meta.model(**validated_data)
            return translated_save(row=row, translations=translations, by=self.acting_user)

    def update(self, instance, validated_data):
        translations = pop_translations(validated_data)
        with self.translated_errors():
            return translated_save(
                row=instance, translations=translations, by=self.acting_user, **validated_data
            )

    def translated_errors(self):
        from catalog.api.serializers import service_errors  # that module imports this one

        return service_errors(self.Meta.model)
