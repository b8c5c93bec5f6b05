"""``GET {id}/history/`` on every resource whose model keeps django-simple-history records.

``HistoryMixin`` is part of every scoped viewset (``catalog.api.base``); the action is routed
only for a model with ``history``. It answers the row's versions, newest first, from one
query whatever their number; only a row the caller may see (``visible_to``), else a 404.
A viewset with a richer history of its own (offerings) defines ``history`` itself.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from catalog.history import Change, Version, has_history, row_versions


class RowChangeSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text='The field\'s name, or a path to it ("intervals[1].tiers[2].price").'
    )
    label = serializers.CharField(help_text="The field in words, as the admin names it.")
    old = serializers.CharField(help_text="The value before, as text (an id for a relation).")
    new = serializers.CharField(help_text="The value after, as text (an id for a relation).")
    old_display = serializers.CharField(
        help_text='The value before in words: choice labels, names of related rows, "—" '
        "for nothing; as the admin's history pages show it."
    )
    new_display = serializers.CharField(help_text="The value after in words.")


class RowVersionSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Username; null if none was known.")
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField(allow_blank=True, help_text="Why, when the writer said.")
    changes = RowChangeSerializer(
        many=True, help_text="What this version changed; empty for the first one."
    )


class RowHistorySerializer(serializers.Serializer):
    """A row's versions, newest first."""

    versions = RowVersionSerializer(many=True)


def change_body(change: Change) -> dict:
    return {
        "field": change.field,
        "label": change.label,
        "old": str(change.old),
        "new": str(change.new),
        "old_display": change.old_text,
        "new_display": change.new_text,
    }


def version_body(version: Version) -> dict:
    return {
        "date": version.date,
        "user": getattr(version.user, "username", None),
        "kind": version.kind,
        "reason": version.reason,
        "changes": [change_body(change) for change in version.changes],
    }


class HistoryMixin:
    """Adds ``GET {id}/history/`` to a viewset whose model has ``history``."""

    @extend_schema(responses=RowHistorySerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        """The row's versions, newest first: when, who, whether it was created, changed or
        deleted, why, and each field it changed (old and new value)."""
        row = self.history_row()
        versions = [version_body(version) for version in row_versions(row)]
        return Response(RowHistorySerializer({"versions": versions}).data)

    def history_row(self):
        """The row named in the URL among those the caller sees, without the list's
        prefetches (the history reads none of them)."""
        queryset = self.queryset.all().visible_to(self.request.user)
        lookup = self.lookup_url_kwarg or self.lookup_field
        row = get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, row)
        return row

    @classmethod
    def get_extra_actions(cls):
        actions = super().get_extra_actions()
        model = getattr(cls.queryset, "model", None)
        if has_history(model):
            return actions
        return [extra for extra in actions if extra is not HistoryMixin.history]
