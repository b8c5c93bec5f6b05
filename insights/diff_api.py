"""``GET /api/v1/offerings/{a}/diff/{b}/``: what offering ``b`` changes from offering ``a``
(``insights.diff.offering_diff``). Read-only; the caller sees the offerings its
``visible_to`` lets it see (any other id is a 404), and both must be the same vendor's (400).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.api.permissions import OrganizationPermission
from catalog.api.schema import ErrorSerializer
from insights.diff import ADDED, CHANGED, REMOVED, SAME, offering_diff
from pricing.models import Offering
from pricing.price_words import reader_locale

STATES = (ADDED, REMOVED, CHANGED, SAME)


class DiffValueSerializer(serializers.Serializer):
    field = serializers.CharField(help_text='What is compared, e.g. "currency" or "price".')
    state = serializers.ChoiceField(STATES)
    old = serializers.CharField(allow_null=True, help_text="Offering a's value (null: none).")
    new = serializers.CharField(allow_null=True, help_text="Offering b's value (null: none).")


class DiffRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="What matches the row in both offerings: an item's MPN and name, a rate's "
        "name, a price's item, rate and custom attributes."
    )
    state = serializers.ChoiceField(STATES)
    values = DiffValueSerializer(many=True)


class DiffCountsSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField()
    same = serializers.IntegerField()


class DiffSectionSerializer(serializers.Serializer):
    counts = DiffCountsSerializer()
    rows = DiffRowSerializer(many=True)


class OfferingDiffSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="The first offering's id.")
    b = serializers.IntegerField(help_text="The second offering's id.")
    changes = serializers.IntegerField(help_text="How many rows differ.")
    offering = DiffRowSerializer(help_text="The offerings' own fields.")
    items = DiffSectionSerializer(help_text="Default quantity, required, application list.")
    rates = DiffSectionSerializer(help_text="Currency, frequency, channel, group, status.")
    prices = DiffSectionSerializer(help_text="Every price in words.")


def offering_id(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=description)


class OfferingDiffView(ThrottledFirstMixin, APIView):
    """Answers JSON whatever the ``Accept`` header, so an error is the API's error shape."""

    permission_classes = [OrganizationPermission]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        operation_id="offerings_diff",
        tags=["offerings"],
        parameters=[
            offering_id("a", "The offering compared from."),
            offering_id("b", "The offering compared with (the same vendor's)."),
        ],
        responses={
            200: OfferingDiffSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Two vendors' offerings."),
            404: OpenApiResponse(ErrorSerializer, description="An offering the caller can't see."),
        },
    )
    def get(self, request, a: int, b: int):
        """What offering ``b`` changes from offering ``a``: its own fields, items (default
        quantity, required, application list), rates (currency, billing frequency, channel,
        customer group, status) and every price in words, each value marked added, removed,
        changed (old → new) or the same."""
        visible = Offering.objects.visible_to(request.user)
        first = get_object_or_404(visible, pk=a)
        second = get_object_or_404(visible, pk=b)
        try:
            diff = offering_diff(first, second, locale=reader_locale())
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(diff.as_dict())
