"""Catalog API filters (django-filter).

Foreign keys are filtered by id with ``NumberFilter``: a model-choice filter would answer
"not a valid choice" for another vendor's id and an empty list for a missing one, and so tell
them apart. The rows themselves are already scoped by ``visible_to`` in the view.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters

from catalog.models import (
    Feature,
    FeatureGroup,
    Item,
    Listing,
    Marketplace,
    Offer,
    Plan,
    Product,
)


class ProductFilter(filters.FilterSet):
    vendor = filters.NumberFilter(field_name="vendor")
    category = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Product
        fields = ["status"]


class ItemFilter(filters.FilterSet):
    product = filters.NumberFilter(field_name="product")
    vendor = filters.NumberFilter(field_name="product__vendor")
    group = filters.NumberFilter(field_name="group")
    mpn = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Item
        fields = ["status", "kind", "billing_period", "commitment_term"]


class MarketplaceFilter(filters.FilterSet):
    currency = filters.CharFilter(lookup_expr="iexact")
    code = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Marketplace
        fields = []


class OfferFilter(filters.FilterSet):
    product = filters.NumberFilter(field_name="product")
    vendor = filters.NumberFilter(field_name="product__vendor")
    marketplace = filters.NumberFilter(method="filter_marketplace")

    class Meta:
        model = Offer
        fields = []

    def filter_marketplace(self, queryset, name, value):
        """Offers with a listing (any status) on the marketplace; ``Exists``, so no duplicates."""
        listings = Listing.objects.filter(offer=OuterRef("pk"), marketplace=value)
        return queryset.filter(Exists(listings))


class PlanFilter(filters.FilterSet):
    offer = filters.NumberFilter(field_name="offer")
    product = filters.NumberFilter(field_name="offer__product")
    vendor = filters.NumberFilter(field_name="offer__product__vendor")
    offering = filters.NumberFilter(field_name="offering")

    class Meta:
        model = Plan
        fields = []


class FeatureGroupFilter(filters.FilterSet):
    offer = filters.NumberFilter(field_name="offer")

    class Meta:
        model = FeatureGroup
        fields = []


class FeatureFilter(filters.FilterSet):
    group = filters.NumberFilter(field_name="group")
    offer = filters.NumberFilter(field_name="group__offer")

    class Meta:
        model = Feature
        fields = []


class ListingFilter(filters.FilterSet):
    offer = filters.NumberFilter(field_name="offer")
    product = filters.NumberFilter(field_name="offer__product")
    vendor = filters.NumberFilter(field_name="offer__product__vendor")
    marketplace = filters.NumberFilter(field_name="marketplace")
    currency = filters.CharFilter(field_name="marketplace__currency", lookup_expr="iexact")

    class Meta:
        model = Listing
        fields = ["status"]
