"""Pricing API views: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from catalog.api.base import ScopedModelViewSet
from catalog.api.history import change_body
from catalog.api.idempotency import idempotent
from catalog.api.strict import refuse_any_body
from catalog.models import Item
from pricing import clone, rates, services
from pricing.api.filters import (
    OfferingFilter,
    PriceBookItemFilter,
    RateFilter,
)
from pricing.api.serializers import (
    CloneSerializer,
    OfferingHistorySerializer,
    OfferingItemChangeSerializer,
    OfferingItemWriteSerializer,
    OfferingSerializer,
    PriceBookItemSerializer,
    PricePreviewResultSerializer,
    PricePreviewSerializer,
    RateSerializer,
    attach_offering_sets,
)
from pricing.api.views_selling import ContractViewSet, QuoteViewSet
from pricing.audit import offering_audit
from pricing.models import (
    Offering,
    PriceBookItem,
    Rate,
)
from pricing.pricebook.fields import names
from pricing.selectors import PreviewLine, offering_price_preview


class OfferingViewSet(ScopedModelViewSet):
    """Offerings: the items sold together, and whether an offering is locked (an active rate, a
    quote or a contract uses it) and why. A locked offering refuses changes (409
    OFFERING_LOCKED with ``lock_reasons``): clone it and inactivate it instead."""

    queryset = Offering.objects.all()
    serializer_class = OfferingSerializer
    vendor_from_body = True
    filterset_class = OfferingFilter
    search_fields = ("name", "description")
    ordering_fields = ("name", "start_date", "id")
    ordering = ("name",)

    def attach_related(self, offerings):
        attach_offering_sets(offerings)

    def render(self, offering, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=offering.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offering = services.offering_create(
            vendor=self.acting_vendor(), by=request.user, **serializer.validated_data
        )
        return self.render(offering, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        offering = self.get_object()
        serializer = self.get_serializer(offering, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        offering = services.offering_update(
            offering=offering, by=request.user, **serializer.validated_data
        )
        return self.render(offering)

    def perform_destroy(self, offering):
        services.offering_delete(offering=offering, by=self.request.user)

    @extend_schema(request=OfferingItemWriteSerializer, responses={201: OfferingSerializer})
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request, pk=None):
        """Add an item to the offering (409 OFFERING_LOCKED while it is locked)."""
        offering = self.get_object()
        data = OfferingItemWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.offering_add_item(offering=offering, by=request.user, **data.validated_data)
        return self.render(offering, status.HTTP_201_CREATED)

    @extend_schema(
        request=OfferingItemWriteSerializer(many=True), responses={200: OfferingSerializer}
    )
    @add_item.mapping.put
    def set_items(self, request, pk=None):
        """Write the offering's whole item list in one request: items left out are removed,
        the others added or changed (default quantity, required, ``applies_to``), all checked
        together against the offering's type (400 INVALID_OFFERING_COMPOSITION). A change
        while the offering is locked is 409 OFFERING_LOCKED; the list it already has is not a
        change."""
        offering = self.get_object()
        data = OfferingItemWriteSerializer(
            data=request.data, many=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        lines = [
            services.OfferingLine(
                item=line["item"],
                default_quantity=line["default_quantity"],
                required=line["required"],
                applies_to=tuple(line["applies_to"]),
            )
            for line in data.validated_data
        ]
        services.offering_set_items(offering=offering, lines=lines, by=request.user)
        return self.render(offering)

    def offering_item(self, offering, item_id) -> Item | None:
        """The item ``item_id`` if the caller sees it and the offering holds it."""
        item = Item.objects.visible_to(self.request.user).filter(pk=item_id).first()
        if item is None or not offering.offering_items.filter(item=item).exists():
            return None
        return item

    @staticmethod
    def no_such_item() -> Response:
        return Response(
            {"code": "NOT_FOUND", "detail": "The offering has no such item.", "errors": {}},
            status=status.HTTP_404_NOT_FOUND,
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>[0-9]+)")
    def remove_item(self, request, pk=None, item_id=None):
        """Take an item out of the offering (409 OFFERING_LOCKED while it is locked)."""
        offering = self.get_object()
        item = self.offering_item(offering, item_id)
        if item is None:
            return self.no_such_item()
        services.offering_remove_item(offering=offering, item=item, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=OfferingItemChangeSerializer(partial=True), responses={200: OfferingSerializer}
    )
    @remove_item.mapping.patch
    def update_item(self, request, pk=None, item_id=None):
        """Change one item of the offering: its default quantity, required flag and/or what it
        applies to (``applies_to`` replaces the list); fields left out keep their values.
        409 OFFERING_LOCKED while the offering is locked, 400 INVALID_OFFERING_COMPOSITION
        when the items would no longer fit the offering's type."""
        offering = self.get_object()
        item = self.offering_item(offering, item_id)
        if item is None:
            return self.no_such_item()
        data = OfferingItemChangeSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        services.offering_update_item(
            offering=offering, item=item, by=request.user, **data.validated_data
        )
        return self.render(offering)

    @extend_schema(request=CloneSerializer, responses={201: OfferingSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def clone(self, request, pk=None):
        """Copy the offering with its items, rates (as drafts) and prices: the way to change a
        locked one. Accepts an ``Idempotency-Key`` header."""
        offering = self.get_object()
        data = CloneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        copy = clone.offering_clone(offering=offering, by=request.user, **data.validated_data)
        return self.render(copy, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OfferingSerializer)
    @action(detail=True, methods=["post"])
    def inactivate(self, request, pk=None):
        """Retire the offering: it stays on the quotes and contracts that hold it."""
        refuse_any_body(request)
        offering = services.offering_inactivate(
            offering=self.get_object(), by=request.user, reason="inactivated through the API"
        )
        return self.render(offering)

    @extend_schema(responses=OfferingHistorySerializer)
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """The offering's audit trail, newest first: versions of it and of its rows with who,
        when, why and what changed, when it locked, and the changes it refused."""
        audit = offering_audit(self.get_object())
        return self.respond(
            OfferingHistorySerializer,
            {
                "lock_reasons": audit["reasons"],
                "versions": [
                    {
                        "date": v.date,
                        "user": getattr(v.user, "username", None),
                        "what": v.what,
                        "kind": v.kind,
                        "reason": v.reason,
                        "changes": [change_body(change) for change in v.changes],
                    }
                    for v in audit["versions"]
                ],
                "lock_events": [{"date": e.date, "why": e.why} for e in audit["lock_events"]],
                "sales": audit["sales"],
                "contracts": audit["contracts"],
                "refusals": [
                    {
                        "date": r.at,
                        "user": getattr(r.user, "username", None),
                        "code": r.code,
                        "attempted": r.attempted,
                        "reasons": r.reasons,
                    }
                    for r in audit["refusals"]
                ],
            },
        )

    @extend_schema(request=PricePreviewSerializer, responses=PricePreviewResultSerializer)
    @action(detail=True, methods=["post"], url_path="price-preview")
    def price_preview(self, request, pk=None):
        """What ``lines`` of items cost on one of the offering's rates from ``start_date``, per
        line and in total, period by period for ``periods`` billing periods. Saves nothing."""
        offering = self.get_object()
        data = PricePreviewSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        preview = offering_price_preview(
            offering=offering,
            rate=data.validated_data["rate"],
            start_date=data.validated_data["start_date"],
            periods=data.validated_data["periods"],
            lines=[PreviewLine(**line) for line in data.validated_data["lines"]],
        )
        return self.respond(PricePreviewResultSerializer, preview)

    @staticmethod
    def respond(serializer_class, body: dict) -> Response:
        """``body`` rendered by the serializer the schema documents it with."""
        return Response(serializer_class(body).data)


class RateViewSet(ScopedModelViewSet):
    """Rates of an offering: currency, billing frequency, sales channel and customer group.
    An active rate locks its offering and refuses price changes (409 RATE_LOCKED)."""

    queryset = Rate.objects.all()
    serializer_class = RateSerializer
    filterset_class = RateFilter
    search_fields = ("name", "customer_group")
    ordering_fields = ("name", "id")
    ordering = ("id",)

    def perform_create(self, serializer):
        serializer.instance = rates.rate_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        if changes.pop("offering", serializer.instance.offering) != serializer.instance.offering:
            raise ValidationError(
                {"offering": ["A rate stays with its offering; create one on the other offering."]}
            )
        serializer.instance = rates.rate_update(
            rate=serializer.instance, by=self.request.user, **changes
        )

    def perform_destroy(self, rate):
        rates.rate_delete(rate=rate, by=self.request.user)


class PriceBookItemViewSet(ScopedModelViewSet):
    """Prices of an item on a rate: charge model, intervals and their tiers, written whole
    (create and full replace) or in part (PATCH: the fields given, the others as stored;
    ``intervals``, when given, replace the old ones whole). A rate that priced a processed
    quote or a contract refuses changes (409 RATE_LOCKED)."""

    queryset = PriceBookItem.objects.all()
    serializer_class = PriceBookItemSerializer
    filterset_class = PriceBookItemFilter
    ordering_fields = ("id",)
    ordering = ("id",)
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().with_rows()

    def save(self, serializer, instance=None):
        data = serializer.validated_data
        return rates.price_book_item_save(
            rate=data["rate"],
            item=data["item"],
            charge_model=data.get("charge_model", "per_unit"),
            pricing_type=data.get("pricing_type", PriceBookItem.PricingType.REGULAR),
            intervals=serializer.interval_specs(),
            custom_attributes=data.get("custom_attributes", {}),
            **{name: data.get(name) for name in names("price")},
            instance=instance,
            by=self.request.user,
        )

    def perform_create(self, serializer):
        serializer.instance = self.save(serializer)

    def perform_update(self, serializer):
        serializer.instance = self.save(serializer, instance=serializer.instance)

    def partial_update(self, request, *args, **kwargs):
        """The given fields merged into the stored price, which is then checked and saved
        whole as a PUT would: ``intervals``, when given, replace the old ones whole."""
        instance = self.get_object()
        if not isinstance(request.data, Mapping):  # DRF's own 400 for a body that is no object
            self.get_serializer(instance, data=request.data, partial=True).is_valid(
                raise_exception=True
            )
        stored = self.get_serializer(instance)
        writable = {name for name, field in stored.fields.items() if not field.read_only}
        merged = {name: value for name, value in stored.data.items() if name in writable}
        merged.update({name: request.data[name] for name in request.data})
        serializer = self.get_serializer(instance, data=merged)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        fresh = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(self.get_serializer(fresh).data)

    def perform_destroy(self, instance):
        rates.price_book_item_delete(pbi=instance, by=self.request.user)


ROUTES = [
    ("offerings", OfferingViewSet, "offering"),
    ("rates", RateViewSet, "rate"),
    ("price-book-items", PriceBookItemViewSet, "pricebookitem"),
    ("quotes", QuoteViewSet, "quote"),
    ("contracts", ContractViewSet, "contract"),
]
