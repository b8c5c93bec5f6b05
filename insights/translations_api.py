"""``GET /api/v1/vendors/{slug}/translations/``: per marketplace language, the share of the
vendor's listed rows with a translation its readers get, and the missing rows
(``insights.translations``, where the rule is stated).

Who may: the vendor's staff and superusers; anyone else (a distributor, another vendor's
staff) is told the vendor does not exist (404), an anonymous caller to authenticate (401).
Read-only; throttled before authentication is judged, like every view of the API.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.models import Vendor
from insights.translations import KINDS, translation_completeness

KIND_HELP = "One of: " + ", ".join(f'"{kind}"' for kind in KINDS) + "."


class MissingRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    id = serializers.IntegerField()
    name = serializers.CharField(help_text='Its natural name ("Product: Offer › Plan").')
    admin_url = serializers.CharField(
        source="url", help_text="The admin page where its translations are added."
    )
    found = serializers.ListField(
        child=serializers.CharField(),
        help_text="Its translations in the language that this marketplace's readers do not "
        'all get (e.g. "fr-CA" on a marketplace that also sells in France).',
    )

    class Meta:
        ref_name = "TranslationMissingRow"


class KindShareSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    listed = serializers.IntegerField()
    translated = serializers.IntegerField()
    percent = serializers.IntegerField(
        allow_null=True, help_text="Translated share, rounded down; null when nothing is listed."
    )

    class Meta:
        ref_name = "TranslationKindShare"


class MarketplaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()

    class Meta:
        ref_name = "TranslationMarketplace"


class LanguageShareSerializer(serializers.Serializer):
    marketplace = MarketplaceRefSerializer()
    language = serializers.CharField(help_text='The language, e.g. "fr".')
    name = serializers.CharField(help_text='Its English name, e.g. "French".')
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="The marketplace's countries that speak it."
    )
    locales = serializers.ListField(
        child=serializers.CharField(),
        help_text='The translation locales that count, e.g. ["fr-CA", "fr"].',
    )
    listed = serializers.IntegerField()
    translated = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    kinds = KindShareSerializer(many=True)
    missing = MissingRowSerializer(many=True)

    class Meta:
        ref_name = "TranslationLanguageShare"


class TranslationReportSerializer(serializers.Serializer):
    vendor = serializers.SlugField(source="vendor.slug")
    default_language = serializers.CharField(
        help_text="The rows' own language, which needs no translation."
    )
    languages = LanguageShareSerializer(many=True)
    default_only = MarketplaceRefSerializer(
        many=True,
        help_text="Marketplaces the vendor lists on whose countries read only the default "
        "language.",
    )

    class Meta:
        ref_name = "TranslationReport"


class VendorTranslationsView(ThrottledFirstMixin, APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="vendors_translations",
        tags=["insights"],
        parameters=[
            OpenApiParameter(
                "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The vendor's slug."
            )
        ],
        responses={200: TranslationReportSerializer},
    )
    def get(self, request, slug: str):
        """Per marketplace language, the share of the vendor's listed items, offers, plans,
        feature groups and features that have a translation its readers get, and the
        missing rows by name with the admin page where they are added."""
        vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
        report = translation_completeness(vendor)
        return Response(TranslationReportSerializer(report).data)
