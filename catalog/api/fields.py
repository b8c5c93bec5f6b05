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


class PrefetchedListSerializer(serializers.ListSerializer):
    """A nested list read from the rows attached as ``prefetched_<field_name>``."""

    def get_attribute(self, instance):
        return prefetched(instance, self.field_name)

    def to_representation(self, data):
        # Attached rows are ``values()`` dicts of plain columns (text, numbers, booleans, id
        # lists): already their JSON representation, so no field needs to convert them.
        names = [field.field_name for field in self.child._readable_fields]
        return [{name: row[name] for name in names} for row in data]


class PrefetchedManyRelatedField(serializers.ManyRelatedField):
    """Primary keys of a many-to-many relation, attached as ``prefetched_<field_name>``."""

    def get_attribute(self, instance):
        return prefetched(instance, self.field_name)

    def to_representation(self, iterable):
        return list(iterable)


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
