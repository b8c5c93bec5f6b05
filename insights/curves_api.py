"""A price's curves in the API (read-only):

- ``GET /api/v1/price-book-items/{id}/curves/``: per interval, the amount of one billing
  period at each quantity tried (every tier edge ± 1 and evenly up to about 1.5 × the last
  edge) and the linter's cliff; for interval pricing, the amount at the offering item's
  default quantity in each interval over time; as JSON, Decimals as strings;
- ``GET /api/v1/price-book-items/{id}/curves.svg``: the same drawn (``image/svg+xml``).

The numbers are ``insights.curves``' (the engine's, as a quote line would be charged). Who
sees which price is the price book item endpoint's ``visible_to``: another vendor's price
(and any price, for a distributor) is a 404. A price the engine cannot read is a 400
(INVALID_PRICE_BOOK_ITEM). Errors are the API's shape.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.api.schema import ErrorSerializer
from insights.curves import Cliff, PriceCurves, default_quantity, price_curves
from insights.curves_svg import curves_document
from insights.svg import fill
from pricing import pricebook
from pricing.api.serializers import DecimalText
from pricing.errors import InvalidPriceBookItem
from pricing.models import PriceBookItem
from pricing.pricebook.money import exact

SVG = "image/svg+xml"
MONTH_PLACES = Decimal("0.0001")
DELIVERY = "delivery"


def number(value: Decimal) -> str:
    """A quantity or a month as the API writes Decimals: a string, without trailing zeros
    ("11", "1.5")."""
    return str(exact(value))


def money(amount: Decimal) -> str:
    """An amount, rounded to its currency as the engine gives it ("55.00")."""
    return str(amount)


def month(value: Decimal) -> str:
    return number(value.quantize(MONTH_PLACES))


class CurvePointSerializer(serializers.Serializer):
    quantity = DecimalText()
    amount = DecimalText(help_text="One billing period at this quantity, rounded.")


class PriceCliffSerializer(serializers.Serializer):
    quantity = DecimalText(help_text="The larger quantity …")
    amount = DecimalText(help_text="… costs this, less than …")
    dearer_quantity = DecimalText(help_text="… this smaller quantity …")
    dearer_amount = DecimalText(help_text="… at this amount.")


class IntervalCurveSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The interval, 1 for the first.")
    points = CurvePointSerializer(many=True, help_text="By quantity, from 0.")
    cliff = PriceCliffSerializer(
        allow_null=True,
        help_text="The first larger quantity that costs less than a smaller one (as the "
        "price-book linter reports it), or null.",
    )


class PriceTimeStepSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The interval, 1 for the first.")
    start_month = DecimalText(help_text="Months from the start (a day is 1/30 month).")
    end_month = DecimalText(help_text="For the open-ended interval: 12 months after its start.")
    open_ended = serializers.BooleanField(help_text="The last interval, billed for ever.")
    amount = DecimalText(help_text="One billing period at time_quantity in this interval.")


class PriceCurvesSerializer(serializers.Serializer):
    price_book_item = serializers.IntegerField()
    currency = serializers.CharField()
    charge_model = serializers.ChoiceField(choices=pricebook.choices())
    intervals = IntervalCurveSerializer(
        many=True, help_text="The amount against quantity, per interval (none by delivery)."
    )
    time_quantity = DecimalText(
        help_text="The quantity priced over time: the offering item's default (1 if none)."
    )
    time_steps = PriceTimeStepSerializer(
        many=True, help_text="The amount over time, an interval a step (none for one interval)."
    )
    no_curve = serializers.ChoiceField(
        choices=[DELIVERY],
        allow_null=True,
        help_text="delivery: priced per delivery, so no curve by quantity; else null.",
    )

    class Meta:
        ref_name = "PriceCurves"


def cliff_body(cliff: Cliff) -> dict:
    return {
        "quantity": number(cliff.quantity),
        "amount": money(cliff.amount),
        "dearer_quantity": number(cliff.dearer_quantity),
        "dearer_amount": money(cliff.dearer_amount),
    }


def curves_body(pbi: PriceBookItem, curves: PriceCurves) -> dict:
    return {
        "price_book_item": pbi.pk,
        "currency": curves.currency,
        "charge_model": pbi.charge_model,
        "intervals": [
            {
                "number": curve.number,
                "points": [{"quantity": number(q), "amount": money(a)} for q, a in curve.points],
                "cliff": None if curve.cliff is None else cliff_body(curve.cliff),
            }
            for curve in curves.quantity_curves
        ],
        "time_quantity": number(curves.time_quantity),
        "time_steps": [
            {
                "number": step.number,
                "start_month": month(step.start_month),
                "end_month": month(step.end_month),
                "open_ended": step.open_ended,
                "amount": money(step.amount),
            }
            for step in curves.time_steps
        ],
        "no_curve": None if curves.quantity_curves or curves.time_steps else DELIVERY,
    }


class SignedIn(permissions.BasePermission):
    """Any signed-in member reads (scoped by ``visible_to``); writing methods then answer
    405, whoever asks, as the endpoint has none."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class CurvesView(ThrottledFirstMixin, APIView):
    """Answers JSON whatever the ``Accept`` header (the SVG is a plain HttpResponse), so an
    error is always the API's error shape."""

    permission_classes = [SignedIn]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    def curves(self, pk: int) -> tuple[PriceBookItem, PriceCurves]:
        """The visible price (three queries: it, its intervals, their tiers) and its curves
        (one more: the default quantity)."""
        visible = PriceBookItem.objects.visible_to(self.request.user)
        pbi = get_object_or_404(visible.select_related("rate", "item").with_rows(), pk=pk)
        try:
            return pbi, price_curves(pbi, default_quantity(pbi))
        except ValueError as exc:
            message = fill(pgettext("portal", "No price curve: {reason}"), reason=exc)
            raise InvalidPriceBookItem(message) from exc


PRICE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A price the engine cannot read."),
    404: OpenApiResponse(ErrorSerializer, description="No such price visible."),
}


class PriceCurvesView(CurvesView):
    @extend_schema(
        operation_id="price_book_items_curves",
        tags=["price-book-items"],
        parameters=[PRICE_ID],
        responses={200: PriceCurvesSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        """A price's amount per billing period against quantity, per interval, with the
        linter's cliff; and, for interval pricing, against time at the offering item's
        default quantity (the drawing: ``curves.svg``)."""
        pbi, curves = self.curves(pk)
        return Response(PriceCurvesSerializer(curves_body(pbi, curves)).data)


class PriceCurvesSvgView(CurvesView):
    @extend_schema(
        operation_id="price_book_items_curves_svg",
        tags=["price-book-items"],
        parameters=[PRICE_ID],
        responses={
            (200, SVG): OpenApiResponse(OpenApiTypes.STR, description="The curves as SVG."),
            **ERRORS,
        },
    )
    def get(self, request, pk: int):
        """A price's curves drawn as one SVG picture (a chart per interval against quantity,
        one over time for interval pricing; each with a title, a description and its words;
        the cliff marked)."""
        pbi, curves = self.curves(pk)
        title = fill(
            pgettext("portal", "Price curves of {item} ({currency})"),
            item=pbi.item.mpn,
            currency=curves.currency,
        )
        svg = curves_document(curves, title=title)
        return HttpResponse(svg, content_type=f"{SVG}; charset=utf-8")
