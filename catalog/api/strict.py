"""A request body carries only what its endpoint reads: any other field is a 400.

DRF ignores fields a serializer does not declare and fields it declares read-only, so a
client that misspells a field, or sets one the server owns (``id``, an offering's ``items``,
a quote line's ``amount``), gets a 200 and none of what it asked for. Every serializer that
parses a request body is a ``StrictSerializer`` or ``StrictModelSerializer``: it names each
such field in ``errors`` (``{"colour": ["Unknown field."]}``) along with any other field
errors, before anything is written. Nested serializers (intervals, tiers, quote lines, ...)
check their own fields, so their errors nest under the field that holds them.

A view that reads a field of the body itself, beyond its serializer (a platform admin naming
the ``vendor`` of a new row), declares it with ``body_fields_beyond_serializer``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers

from catalog.api.reading import ReadPlanMixin

UNKNOWN = "Unknown field."
READ_ONLY = "This field is read-only here; leave it out of the request (the server sets it)."


class RefuseUnknownFieldsMixin:
    """Refuse body fields the serializer does not write: unknown ones and read-only ones."""

    def accepted_fields(self) -> set[str]:
        """Names the body may carry: the writable fields, and what the view reads itself."""
        names = {name for name, field in self.fields.items() if not field.read_only}
        view = self.context.get("view") if self.parent is None else None
        beyond = getattr(view, "body_fields_beyond_serializer", None)
        if beyond is not None:
            names |= set(beyond(self))
        return names

    def refused_fields(self, data) -> dict[str, list[str]]:
        if not isinstance(data, Mapping):
            return {}  # DRF answers "expected a dictionary" itself
        accepted = self.accepted_fields()
        return {
            str(name): [READ_ONLY if name in self.fields else UNKNOWN]
            for name in data
            if name not in accepted
        }

    def to_internal_value(self, data):
        refused = self.refused_fields(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if refused and isinstance(exc.detail, Mapping):
                raise serializers.ValidationError({**exc.detail, **refused}) from None
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value


class StrictSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    pass


class StrictModelSerializer(RefuseUnknownFieldsMixin, ReadPlanMixin, serializers.ModelSerializer):
    """Also reads its rows through ``ReadPlanMixin``: a page of rows without DRF's per-row,
    per-field attribute walk."""


class NoBody(StrictSerializer):
    """The body of an action that reads none (``process/``, ``inactivate/``): any field in it
    is refused, as everywhere else."""


def refuse_any_body(request) -> None:
    """A 400 naming each field of a body the action does not read; nothing is done."""
    NoBody(data=request.data if request.data else {}).is_valid(raise_exception=True)
