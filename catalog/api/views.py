"""Catalog API views: scoped querysets, fixed query counts, writes through the serializers.

``get_queryset`` starts from ``super().get_queryset()`` (the rows ``visible_to`` the caller)
and only adds ``select_related`` / ``prefetch_related``, so a list or a detail runs the same
number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog.api import filters, serializers
from catalog.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from catalog.models import (
    Feature,
    FeatureGroup,
    Item,
    ItemGroup,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanFeature,
    PlanItem,
    Product,
)
from catalog.rows import row_delete


class CatalogModelViewSet(ScopedModelViewSet):
    """Deletes record the acting user; a row other rows protect is a 409 PROTECTED."""

    def perform_destroy(self, instance):
        row_delete(instance, by=self.request.user)


class ProductViewSet(CatalogModelViewSet):
    """Products of the caller's vendor (distributors: of the offers listed to them)."""

    queryset = Product.objects.all()
    serializer_class = serializers.ProductSerializer
    vendor_from_body = True
    filterset_class = filters.ProductFilter
    search_fields = ["name", "category"]
    ordering_fields = ["id", "name", "category", "status"]


class ItemViewSet(CatalogModelViewSet):
    """Items (SKUs) of products, with their translations, the add-on bases they require and
    their upgrade and downgrade paths."""

    queryset = Item.objects.all()
    serializer_class = serializers.ItemSerializer
    filterset_class = filters.ItemFilter
    search_fields = ["name", "mpn"]
    ordering_fields = ["id", "mpn", "name", "kind", "status", "product"]

    def attach_related(self, items):
        serializers.attach_item_sets(items, self.request.user)


class ItemGroupViewSet(CatalogModelViewSet):
    """Item groups: the nodes of a product's variation tree (Shirt → Red → Size M). Moving a
    group under itself or one of its subgroups is refused; a group with subgroups cannot be
    deleted (409)."""

    queryset = ItemGroup.objects.all()
    serializer_class = serializers.ItemGroupSerializer
    filterset_class = filters.ItemGroupFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name", "position", "product", "parent"]


class MarketplaceViewSet(ScopedReadOnlyViewSet):
    """Marketplaces (sales channels) and their currencies; managed by platform admins only."""

    queryset = Marketplace.objects.all()
    serializer_class = serializers.MarketplaceSerializer
    filterset_class = filters.MarketplaceFilter
    search_fields = ["name", "code"]
    ordering_fields = ["id", "name", "code", "currency"]


class OfferViewSet(CatalogModelViewSet):
    """Offers of a product: their plans, feature groups and features, and the plan × feature
    matrix (``cells``)."""

    queryset = Offer.objects.all()
    serializer_class = serializers.OfferSerializer
    filterset_class = filters.OfferFilter
    search_fields = ["name", "product__name"]
    ordering_fields = ["id", "name", "product"]

    def get_queryset(self):
        plan_items = PlanItem.objects.visible_to(self.request.user).order_by("pk")
        plans = Plan.objects.order_by("position", "pk").prefetch_related(
            Prefetch("plan_items", queryset=plan_items),
            Prefetch("feature_values", queryset=PlanFeature.objects.order_by("pk")),
            "translations",
        )
        features = Feature.objects.order_by("position", "pk").prefetch_related("translations")
        groups = FeatureGroup.objects.order_by("position", "pk").prefetch_related(
            Prefetch("features", queryset=features), "translations"
        )
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "translations",
                Prefetch("plans", queryset=plans),
                Prefetch("feature_groups", queryset=groups),
            )
        )

    @extend_schema(request=serializers.MatrixWriteSerializer, responses=serializers.OfferSerializer)
    @action(detail=True, methods=["patch"])
    def matrix(self, request, pk=None):
        """Write cells of the plan × feature matrix in one request, as the admin's grid does."""
        offer = self.get_object()
        cells = serializers.MatrixWriteSerializer(data=request.data)
        cells.is_valid(raise_exception=True)
        cells.save(offer=offer, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)


class PlanViewSet(CatalogModelViewSet):
    """Plans of an offer, in order, each with the items it sells and the offering that prices it."""

    queryset = Plan.objects.all()
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name", "position", "offer"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "plan_items",
                    queryset=PlanItem.objects.visible_to(self.request.user).order_by("pk"),
                ),
                "translations",
            )
        )


class FeatureGroupViewSet(CatalogModelViewSet):
    """Feature groups of an offer: the row sections of its matrix."""

    queryset = FeatureGroup.objects.prefetch_related("translations")
    serializer_class = serializers.FeatureGroupSerializer
    filterset_class = filters.FeatureGroupFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name", "position", "offer"]


class FeatureViewSet(CatalogModelViewSet):
    """Features of an offer's feature groups: the rows of its matrix."""

    queryset = Feature.objects.prefetch_related("translations")
    serializer_class = serializers.FeatureSerializer
    filterset_class = filters.FeatureFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name", "position", "group"]


class ListingViewSet(CatalogModelViewSet):
    """Listings: an offer published on a marketplace, in that marketplace's currency."""

    queryset = Listing.objects.all()
    serializer_class = serializers.ListingSerializer
    filterset_class = filters.ListingFilter
    search_fields = [
        "offer__name",
        "offer__product__name",
        "marketplace__name",
        "marketplace__code",
    ]
    ordering_fields = ["id", "status", "offer", "marketplace"]


ROUTES: list = [
    ("products", ProductViewSet, "product"),
    ("items", ItemViewSet, "item"),
    ("item-groups", ItemGroupViewSet, "item-group"),
    ("marketplaces", MarketplaceViewSet, "marketplace"),
    ("offers", OfferViewSet, "offer"),
    ("plans", PlanViewSet, "plan"),
    ("feature-groups", FeatureGroupViewSet, "feature-group"),
    ("features", FeatureViewSet, "feature"),
    ("listings", ListingViewSet, "listing"),
]
