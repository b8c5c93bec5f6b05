"""The linter in the API (read-only; our auth, throttling and error shape):

- ``GET /api/v1/offerings/{id}/lint/`` the findings of one offering;
- ``GET /api/v1/vendors/{slug}/lint/`` the findings of a vendor's whole catalog.

Who may: ``insights.lint.access`` (the vendor's staff, platform admins); others get a 404.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.api.schema import ErrorSerializer
from insights.lint import SEVERITIES, error_count, lint_offering, lint_vendor
from insights.lint.access import lintable_offering, lintable_vendor


class FindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(
        SEVERITIES, help_text="error: it sells wrongly or not at all."
    )
    code = serializers.CharField(help_text="The check, e.g. volume_cliff.")
    subject = serializers.CharField(help_text="What it is about, by its natural name.")
    message = serializers.CharField()
    fix = serializers.CharField(help_text="The fix, in one line.")
    offering_id = serializers.IntegerField(allow_null=True, help_text="None: a product's paths.")
    offering = serializers.CharField(help_text="The offering's name (empty for none).")

    class Meta:
        ref_name = "LintFinding"


class LintReportSerializer(serializers.Serializer):
    error_count = serializers.IntegerField()
    warning_count = serializers.IntegerField()
    findings = FindingSerializer(many=True)

    class Meta:
        ref_name = "LintReport"


def report(findings) -> Response:
    errors = error_count(findings)
    return Response(
        {
            "error_count": errors,
            "warning_count": len(findings) - errors,
            "findings": [finding.as_dict() for finding in findings],
        }
    )


NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="Not visible to the caller.")}


class LintView(ThrottledFirstMixin, APIView):
    pass


class OfferingLintView(LintView):
    @extend_schema(
        operation_id="offerings_lint",
        tags=["offerings"],
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: LintReportSerializer, **NOT_FOUND},
    )
    def get(self, request, pk: int):
        """The linter's findings for one offering: its prices, items, the listings of offers
        it prices and the paths of its items, errors first, each with a one-line fix."""
        return report(lint_offering(lintable_offering(request.user, pk)))


class VendorLintView(LintView):
    @extend_schema(
        operation_id="vendors_lint",
        tags=["offerings"],
        parameters=[
            OpenApiParameter(
                "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The vendor's slug."
            )
        ],
        responses={200: LintReportSerializer, **NOT_FOUND},
    )
    def get(self, request, slug: str):
        """The linter's findings for a vendor's whole catalog, grouped by offering."""
        return report(lint_vendor(lintable_vendor(request.user, slug)))
