"""Serializer fields that only reach the caller's own rows, and read what views attached."""

from collections import defaultdict

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from catalog.validators import load_json


def is_id(value) -> bool:
    """A whole positive number that fits a bigint, or its digits; not a float, not a bool."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return value.isascii() and value.isdigit() and len(value) < 19
    return isinstance(value, int) and 0 < value < 2**63


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller may point at: rows ``visible_to`` them, others do not exist.

    Another vendor's id gets the same 400 as an id that was never used, so it reveals nothing.
    An id is a whole number (or its digits): DRF's own field would read 1.9 as row 1.
    """

    def __init__(self, model=None, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none() if model else None)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not is_id(data):
            if isinstance(data, int) and not isinstance(data, bool):
                self.fail("does_not_exist", pk_value=data)  # 0, negative, past a bigint
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    def get_queryset(self):
        request = self.context.get("request")
        model = self.model or self.queryset.model
        if request is None:
            return model._default_manager.none()
        return model._default_manager.visible_to(request.user)


def prefetched(instance, field_name: str):
    """What was attached for ``field_name`` as ``prefetched_<field_name>``, or ``None``.

    Views attach nested sets to a page of rows; a serializer given a row that came another
    way (one just written) attaches them itself when this is ``None``, so the fields below
    always read attached rows.
    """
    return getattr(instance, f"prefetched_{field_name}", None)


def grouped(rows, key: str = "") -> defaultdict:
    """``values()`` dicts by their ``key`` (popped), or ``values_list()`` tuples by the first."""
    groups = defaultdict(list)
    for row in rows:
        if key:
            groups[row.pop(key)].append(row)
        else:
            groups[row[0]].append(row[1] if len(row) == 2 else row[1:])
    return groups


class AttachedMixin:
    """A field read from what the view attached as ``prefetched_<field_name>``, which is
    already the field's JSON representation: ``values()`` rows of plain columns, id lists,
    flags and texts. Nothing converts it, so ``ReadPlanMixin`` reads it straight from the row.
    Writes go through the field's own ``to_internal_value`` as before.
    """

    attached = True

    def get_attribute(self, instance):
        return prefetched(instance, self.field_name)

    def to_representation(self, value):
        return value


class PrefetchedListSerializer(AttachedMixin, serializers.ListSerializer):
    """A nested list: the attached ``values()`` rows, each with exactly the child's fields."""


class PrefetchedManyRelatedField(AttachedMixin, serializers.ManyRelatedField):
    """Primary keys of a relation: the attached list of ids."""


class AttachedBooleanField(AttachedMixin, serializers.BooleanField):
    """A read-only flag the view attaches (an offering's ``locked``)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


class AttachedListField(AttachedMixin, serializers.ListField):
    """A read-only list the view attaches (an offering's ``lock_reasons``)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


class BoundedJSONField(serializers.JSONField):
    """DRF's JSONField; JSON sent as form text is parsed with bounded nesting (``load_json``).

    JSON bodies are bounded by the API's parser; a form-encoded field holding JSON text is
    parsed here, where DRF's own ``json.loads`` would recurse out of the stack.
    """

    def to_internal_value(self, data):
        if self.binary or getattr(data, "is_json_string", False):
            try:
                data = load_json(data.decode() if isinstance(data, bytes) else data)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
            except (TypeError, ValueError):
                self.fail("invalid")
            return data
        return super().to_internal_value(data)
