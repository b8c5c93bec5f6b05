"""Catalog API filters (django-filter).

Foreign keys are filtered by id with ``IdFilter``: a model-choice filter would answer
"not a valid choice" for another vendor's id and an empty list for a missing one, and so tell
them apart. The rows themselves are already scoped by ``visible_to`` in the view.

Every filter set offers ``updated_since``: rows created or changed at or after a time, read
from the rows' history (every tracked model keeps one), so no column has to be kept in step.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from catalog.models import (
    Feature,
    FeatureGroup,
    Item,
    ItemGroup,
    Listing,
    Marketplace,
    Offer,
    Plan,
    Product,
)


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(filters.NumberFilter):
    """A row's id: a whole number the database can hold, else a 400 (never an overflow 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant, in UTC: any offset Python reads, whatever the database accepts.

    PostgreSQL refuses offsets beyond ±15:59 in a literal; an instant moved out of the range
    of datetime by its offset (year 1 at +23:00) is a 400, never a 500.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("Enter a date and time within years 1 to 9999.") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, without building a filter set for a request that names none
    of its filters.

    A filter set bound to no value of its own filters changes nothing (django-filter passes
    the queryset through every filter whose value is empty) but costs a form and its
    validation on every request: about as much as one of the page's queries. A request
    whose query string has a parameter starting with a filter's name (``status``,
    ``updated_since``, a range's ``price_min``) goes through django-filter as before.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            names = tuple(filterset_class.base_filters)
            if not any(key.startswith(names) for key in request.query_params):
                return queryset
        return super().filter_queryset(request, queryset, view)


class ColumnOrderingFilter(OrderingFilter):
    """DRF's ``?ordering=``, a foreign key ordered by its column: the id the API shows, not
    the related model's own ordering (a product's name), which the cursor's keyset, a filter
    on the column, could not follow."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return ordering and [self.column(queryset.model, term) for term in ordering]

    @staticmethod
    def column(model, term: str) -> str:
        name = term.lstrip("-")
        field = model_field(model, name)
        if field is not None and field.concrete and (field.many_to_one or field.one_to_one):
            return term.replace(name, field.attname)
        return term


def model_field(model, name: str):
    """The field of ``model`` an ordering names (``pk`` included), or None (an annotation)."""
    opts = model._meta
    try:
        return opts.pk if name == "pk" else opts.get_field(name)
    except FieldDoesNotExist:
        return None


class TrackedFilterSet(filters.FilterSet):
    updated_since = UtcDateTimeFilter(
        method="filter_updated_since",
        label="Only rows created or changed at or after this time (ISO 8601).",
    )

    def filter_updated_since(self, queryset, name, value):
        history = queryset.model.history.model._default_manager
        changes = history.filter(id=OuterRef("pk"), history_date__gte=value)
        return queryset.filter(Exists(changes))


class ProductFilter(TrackedFilterSet):
    vendor = IdFilter(field_name="vendor")
    category = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Product
        fields = ["status"]


class ItemFilter(TrackedFilterSet):
    product = IdFilter(field_name="product")
    vendor = IdFilter(field_name="product__vendor")
    group = IdFilter(field_name="group")
    mpn = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Item
        fields = ["status", "kind", "billing_period", "commitment_term"]


class ItemGroupFilter(TrackedFilterSet):
    product = IdFilter(field_name="product")
    vendor = IdFilter(field_name="product__vendor")
    parent = IdFilter(field_name="parent")
    top_level = filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label="Only groups with no parent (true)."
    )

    class Meta:
        model = ItemGroup
        fields = []


class MarketplaceFilter(TrackedFilterSet):
    currency = filters.CharFilter(lookup_expr="iexact")
    code = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Marketplace
        fields = []


class OfferFilter(TrackedFilterSet):
    product = IdFilter(field_name="product")
    vendor = IdFilter(field_name="product__vendor")
    marketplace = IdFilter(method="filter_marketplace")

    class Meta:
        model = Offer
        fields = []

    def filter_marketplace(self, queryset, name, value):
        """Offers with a listing (any status) on the marketplace; ``Exists``, so no duplicates."""
        listings = Listing.objects.filter(offer=OuterRef("pk"), marketplace=value)
        return queryset.filter(Exists(listings))


class PlanFilter(TrackedFilterSet):
    offer = IdFilter(field_name="offer")
    product = IdFilter(field_name="offer__product")
    vendor = IdFilter(field_name="offer__product__vendor")
    offering = IdFilter(field_name="offering")

    class Meta:
        model = Plan
        fields = []


class FeatureGroupFilter(TrackedFilterSet):
    offer = IdFilter(field_name="offer")

    class Meta:
        model = FeatureGroup
        fields = []


class FeatureFilter(TrackedFilterSet):
    group = IdFilter(field_name="group")
    offer = IdFilter(field_name="group__offer")

    class Meta:
        model = Feature
        fields = []


class ListingFilter(TrackedFilterSet):
    offer = IdFilter(field_name="offer")
    product = IdFilter(field_name="offer__product")
    vendor = IdFilter(field_name="offer__product__vendor")
    marketplace = IdFilter(field_name="marketplace")
    currency = filters.CharFilter(field_name="marketplace__currency", lookup_expr="iexact")

    class Meta:
        model = Listing
        fields = ["status"]
