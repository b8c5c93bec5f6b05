"""Change impact in the API (``insights.impact``), read-only:

- ``GET /api/v1/price-book-items/{id}/impact/``: what changing the price touches; with a
  proposed price in the JSON body (any of ``charge_model``, ``pricing_type``, the price's
  options and ``intervals``; the others as stored, as PATCH merges them), the draft totals
  and the amounts at a range of quantities before and after. ``POST`` takes the same body,
  for clients that cannot send one with GET; neither saves anything.
- ``GET /api/v1/rates/{id}/impact/?status=inactive``: what changing the rate touches; with
  ``status``, the draft totals once the rate has it.
- ``GET /api/v1/offerings/{id}/impact/``: what holds the offering, the drafts that quote it,
  the listings that show it, its source and clones.

Only a user who may change the subject asks what a change would do (a distributor gets 403);
the subject is found through ``visible_to`` (another organization's is a 404), and every
quote, listing and offering in the answer is one the user may see.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.api.permissions import OrganizationPermission
from catalog.api.schema import ErrorSerializer
from catalog.api.strict import READ_ONLY, UNKNOWN
from insights.impact import offering_impact, price_impact, rate_impact
from pricing.api.serializers import DecimalText, PriceBookItemSerializer
from pricing.models import Offering, PriceBookItem, Rate
from pricing.pricebook.fields import names
from pricing.pricebook.money import exact
from pricing.pricebook.validation import PriceSpec

PROPOSABLE = ("charge_model", "pricing_type", *names("price"), "intervals")


class HeldBySerializer(serializers.Serializer):
    quote = serializers.IntegerField()
    reference = serializers.CharField()
    customer = serializers.CharField()
    currency = serializers.CharField()
    total = DecimalText(allow_null=True)
    contract = serializers.IntegerField(allow_null=True, help_text="The contract made from it.")


class DraftTotalSerializer(serializers.Serializer):
    quote = serializers.IntegerField()
    reference = serializers.CharField()
    customer = serializers.CharField()
    currency = serializers.CharField()
    before = DecimalText(allow_null=True, help_text="Its total now; null: it cannot be priced.")
    after = DecimalText(allow_null=True, help_text="Its total with the change.")
    problem_before = serializers.CharField(help_text="Why it cannot be priced now, or empty.")
    problem_after = serializers.CharField(help_text="Why it could not be priced, or empty.")
    changed = serializers.BooleanField()
    difference = DecimalText(allow_null=True, help_text="after − before.")


class ShownSerializer(serializers.Serializer):
    listing = serializers.IntegerField()
    offer = serializers.CharField()
    marketplace = serializers.CharField()
    currency = serializers.CharField()
    status = serializers.CharField()
    shows = serializers.BooleanField(
        help_text="Listed, and the portal's price selector picks it on that marketplace."
    )


class RelativeSerializer(serializers.Serializer):
    offering = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    relation = serializers.ChoiceField(("source", "clone"))
    copy = serializers.IntegerField(
        allow_null=True, help_text="The same price or rate there, which the change leaves."
    )


class AmountRowSerializer(serializers.Serializer):
    quantity = DecimalText()
    before = DecimalText(allow_null=True)
    after = DecimalText(allow_null=True)
    changed = serializers.BooleanField()


class IntervalAmountsSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The interval, from 1.")
    rows = AmountRowSerializer(many=True)


class ImpactSerializer(serializers.Serializer):
    subject = serializers.ChoiceField(("price", "rate", "offering"))
    name = serializers.CharField()
    proposal = serializers.CharField(help_text="The change in words; empty when none.")
    lock_reasons = serializers.ListField(child=serializers.CharField())
    held_by = HeldBySerializer(many=True, help_text="Processed quotes that sold it (newest 50).")
    held_count = serializers.IntegerField()
    drafts = DraftTotalSerializer(many=True)
    draft_count = serializers.IntegerField(help_text="Draft quotes that quote it, in all.")
    changed_drafts = serializers.IntegerField()
    listings = ShownSerializer(many=True)
    relatives = RelativeSerializer(many=True)
    currency = serializers.CharField()
    amounts = IntervalAmountsSerializer(many=True)


def as_text(body: dict) -> dict:
    """Quantities without a column's zeros."""
    for interval in body["amounts"]:
        for row in interval["rows"]:
            row["quantity"] = exact(row["quantity"])
    return body


class ImpactView(ThrottledFirstMixin, APIView):
    """Answers JSON whatever the ``Accept`` header, so an error is the API's error shape."""

    permission_classes = [OrganizationPermission]
    renderer_classes = [JSONRenderer]
    model = None

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    def subject(self, request, pk: int):
        found = get_object_or_404(self.model.objects.visible_to(request.user), pk=pk)
        opts = self.model._meta
        if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise PermissionDenied("Only who may change it asks what a change would do.")
        return found

    @staticmethod
    def respond(impact) -> Response:
        return Response(ImpactSerializer(as_text(impact.as_dict())).data)


ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="The caller may not change it."),
    404: OpenApiResponse(ErrorSerializer, description="One the caller can't see."),
}


class PriceImpactView(ImpactView):
    model = PriceBookItem
    # POST asks as GET does, of one price: the permission asks "may change" of its model.
    queryset = PriceBookItem.objects.none()
    detail = True

    @extend_schema(
        operation_id="price_book_items_impact",
        tags=["price-book-items"],
        responses={200: ImpactSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        """What changing the price touches: processed quotes and contracts that sold it (and
        lock its rate), draft quotes it prices (total now and, with a proposed price in the
        body, with it), listings whose marketplace shows it, clones that hold a copy, and,
        proposed, the amount of a period at a range of quantities before and after."""
        pbi = self.subject(request, pk)
        return self.respond(price_impact(pbi, user=request.user, proposed=proposal(request, pbi)))

    @extend_schema(
        operation_id="price_book_items_impact_proposed",
        tags=["price-book-items"],
        request=PriceBookItemSerializer(partial=True),
        responses={200: ImpactSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        """The same as GET with a proposed price in the body; saves nothing."""
        return self.get(request, pk)


def proposal(request, pbi: PriceBookItem) -> PriceSpec | None:
    """The proposed price of the body merged into the stored one, checked as a write is;
    None for no body."""
    body = request.data
    if not body:
        return None
    if not isinstance(body, dict):
        raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
    stored = PriceBookItemSerializer(pbi, context={"request": request})
    if refused := {
        name: [READ_ONLY if name in stored.fields else UNKNOWN]
        for name in body
        if name not in PROPOSABLE
    }:
        raise serializers.ValidationError(refused)  # the API's words for a field not read
    writable = {name for name, field in stored.fields.items() if not field.read_only}
    merged = {name: value for name, value in stored.data.items() if name in writable}
    merged.update(body)
    serializer = PriceBookItemSerializer(pbi, data=merged, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return PriceSpec.from_data(serializer.validated_data, serializer.interval_specs())


class RateImpactView(ImpactView):
    model = Rate

    @extend_schema(
        operation_id="rates_impact",
        tags=["rates"],
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=list(Rate.Status.values),
                description="The status the rate would get: the drafts are priced with it.",
            )
        ],
        responses={200: ImpactSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        """What changing the rate touches: what it priced (and so locks it), the drafts it
        prices (their totals now and, with ``status``, once it has that status), listings
        whose marketplace shows its prices, clones that hold a copy."""
        rate = self.subject(request, pk)
        status = request.query_params.get("status")
        if status is not None and status not in Rate.Status.values:
            raise serializers.ValidationError(
                {"status": [f"One of {', '.join(Rate.Status.values)}."]}
            )
        return self.respond(rate_impact(rate, user=request.user, status=status))


class OfferingImpactView(ImpactView):
    model = Offering

    @extend_schema(
        operation_id="offerings_impact",
        tags=["offerings"],
        responses={200: ImpactSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        """What changing the offering touches: processed quotes and contracts that hold it
        (and so lock it), drafts that quote it with their totals, listings that show it, its
        source and clones."""
        return self.respond(offering_impact(self.subject(request, pk), user=request.user))
