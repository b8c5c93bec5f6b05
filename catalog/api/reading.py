"""Serializing a page of rows without asking every field how to read every row.

DRF's ``Serializer.to_representation`` asks each field, for each row, for its attribute
(``Field.get_attribute``: a walk along ``source_attrs`` with a callable check and exception
handling; for a foreign key, ``serializable_value`` and a ``PKOnlyObject``) and then for its
representation. For a page of 100 rows of 15 fields that is most of the serializer's time,
and the answer is the same for every row: a field that reads one column reads it the same
way each time.

``ReadPlanMixin`` works the readers out once per serializer class and model, and reads a
row's plain values in one ``attrgetter`` call:

- a field that reads a concrete column with DRF's own ``get_attribute``: the column. Text,
  choices, whole numbers and flags are read as they are (their ``to_representation`` returns
  what the database gave); any other (dates, decimals, e-mail) goes through the field's
  ``to_representation``, ``None`` staying ``None`` as in DRF;
- a ``PrimaryKeyRelatedField`` over a foreign key: the ``<name>_id`` column, as DRF's
  pk-only optimization answers it;
- a field the view attached (``catalog.api.fields.AttachedMixin``): ``prefetched_<name>``;
- any other field (nested serializers, method fields, dotted sources): DRF's own two calls,
  exactly as ``Serializer.to_representation`` makes them.

The keys come in the serializer's field order, as DRF's do; ``catalog/tests/
test_api_read_plan.py`` checks every serializer's body against DRF's own.
"""

from __future__ import annotations

import copy
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields, relations
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

# DRF fields whose representation of the value the database gives is that value.
AS_READ = (fields.CharField, fields.ChoiceField, fields.IntegerField, fields.BooleanField)


def _attribute(field, model) -> tuple[str, bool] | None:
    """The attribute ``field`` reads straight from a row of ``model`` and whether its value
    needs the field's ``to_representation``; ``None`` when DRF must read it."""
    if getattr(field, "attached", False):
        return f"prefetched_{field.field_name}", False
    if len(field.source_attrs) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not model_field.concrete:
        return None
    kind = type(field)
    if model_field.is_relation:
        pk_only = (
            (model_field.many_to_one or model_field.one_to_one)
            and kind.get_attribute is relations.RelatedField.get_attribute
            and kind.to_representation is relations.PrimaryKeyRelatedField.to_representation
            and field.pk_field is None
        )
        return (model_field.attname, False) if pk_only else None
    if kind.get_attribute is not fields.Field.get_attribute:
        return None
    return model_field.attname, kind not in AS_READ


class ReadPlan:
    """How rows of one model are read by one serializer class (see the module's docstring).

    A plan holds no bound field: the columns' converters are unbound copies of their fields
    (a date's or a decimal's representation depends on the field's options, never on the
    request), and fields that DRF reads are named and taken from the serializer at hand, bound
    to its request. So one plan serves every request, and a serializer whose fields are all
    read straight from the row never builds its fields at all (DRF's ``get_fields``, about a
    millisecond for an item).
    """

    def __init__(self, serializer, model):
        self.order = []
        names, attributes = [], []
        self.converted = []  # (name, to_representation of an unbound copy of the field)
        self.by_drf = []  # names of the fields DRF reads
        for field in serializer._readable_fields:
            name = field.field_name
            self.order.append(name)
            read = _attribute(field, model)
            if read is None:
                self.by_drf.append(name)
                continue
            names.append(name)
            attributes.append(read[0])
            if read[1]:
                self.converted.append((name, copy.deepcopy(field).to_representation))
        self.names = tuple(names)
        self.read = attrgetter(*attributes) if len(attributes) > 1 else None
        self.single = attributes[0] if len(attributes) == 1 else None
        # DRF's fields last: the keys then need putting back in the serializer's order.
        self.reorder = self.order != [*names, *self.by_drf]

    def values(self, instance) -> tuple:
        if self.read is not None:
            return self.read(instance)
        return (getattr(instance, self.single),) if self.single else ()

    def represent(self, instance, serializer) -> dict:
        ret = dict(zip(self.names, self.values(instance), strict=True))
        for name, convert in self.converted:
            value = ret[name]
            if value is not None:
                ret[name] = convert(value)
        if not self.by_drf:
            return ret
        fields = serializer.fields
        for name in self.by_drf:  # DRF's own loop body
            field = fields[name]
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check is None else field.to_representation(attribute)
        if self.reorder:
            ret = {name: ret[name] for name in self.order if name in ret}
        return ret


_plans: dict[tuple[type, type], ReadPlan] = {}


def plan_of(serializer, model) -> ReadPlan:
    """The plan of ``serializer``'s class for rows of ``model``, kept for the process."""
    plan = _plans.get((type(serializer), model))
    if plan is None:
        plan = _plans[type(serializer), model] = ReadPlan(serializer, model)
    return plan


class Row:
    """A list's row read as ``values()``: its columns as attributes named as a model instance
    names them (``product_id``), and room for what the view attaches (``prefetched_…``).
    A row costs one dict where a model instance costs its ``__init__`` with a descriptor per
    foreign key: about a quarter of a millisecond on a page of 100 items.

    Only a serializer whose plan reads every field from the row is given rows
    (``ScopedViewSetMixin.read_as_rows``): the plan reads them as it reads instances.
    """

    __slots__ = ("__dict__",)
    _meta = None  # the model's, on each model's class of rows

    @property
    def pk(self):
        return self.__dict__[self._meta.pk.attname]


_row_classes: dict[type, type[Row]] = {}


def rows_of(model, values: list[dict]) -> list[Row]:
    """``values()`` rows of ``model`` (every column, keyed by its attribute name) as rows."""
    row_class = _row_classes.get(model)
    if row_class is None:
        attributes = {"__slots__": (), "_meta": model._meta}
        row_class = _row_classes[model] = type(f"{model.__name__}Row", (Row,), attributes)
    rows = []
    for value in values:
        row = row_class()
        row.__dict__ = value
        rows.append(row)
    return rows


class ReadPlanMixin:
    """``to_representation`` through the ``ReadPlan`` of the serializer's class and the row's
    model (or its class of ``Row``), worked out on the first row and kept for the process."""

    def to_representation(self, instance):
        model = type(instance)
        if not hasattr(model, "_meta"):  # not a model row: DRF's own way
            return super().to_representation(instance)
        return plan_of(self, model).represent(instance, self)
