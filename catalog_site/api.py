"""The API's URL configuration: one router, each app registers its endpoints."""

from django.urls import include, path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer2, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from catalog.api.auth import TokenView
from catalog.api.urls import register as register_catalog
from exchange import api as exchange_api
from insights import curves_api, impact_api, paths_api
from insights.diff_api import OfferingDiffView
from insights.lint import api as lint_api
from insights.translations_api import VendorTranslationsView
from pricing.api.urls import register as register_pricing


class SchemaTextRenderer(OpenApiYamlRenderer):
    """The schema's YAML as plain text, which a browser shows instead of downloading."""

    media_type = "text/plain"
    charset = "utf-8"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: YAML (or ``?format=json``) for tools; for a browser, the same as a
    page it shows (plain-text YAML, or ``application/json``) instead of a download."""

    def perform_content_negotiation(self, request, force=False):
        if "text/html" in request.headers.get("Accept", ""):
            if request.query_params.get("format") == "json":
                return OpenApiJsonRenderer2(), OpenApiJsonRenderer2.media_type
            if "format" not in request.query_params:
                return SchemaTextRenderer(), SchemaTextRenderer.media_type
        return super().perform_content_negotiation(request, force)


router = DefaultRouter()
register_catalog(router)
register_pricing(router)

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    # Spreadsheets in and out (exchange/api.py); the book or sheet is the file's stem.
    re_path(
        r"^v1/vendors/(?P<slug>[-\w]+)/export/(?P<book>[-\w]+)\.xlsx$",
        exchange_api.WorkbookExportView.as_view(),
        name="vendor-export-workbook",
    ),
    re_path(
        r"^v1/vendors/(?P<slug>[-\w]+)/export/(?P<sheet>[-\w]+)\.csv$",
        exchange_api.SheetExportView.as_view(),
        name="vendor-export-sheet",
    ),
    path("v1/vendors/<slug:slug>/import/", exchange_api.ImportView.as_view(), name="vendor-import"),
    path(
        "v1/vendors/<slug:slug>/translations/",
        VendorTranslationsView.as_view(),
        name="vendor-translations",
    ),
    # Upgrade paths as a graph (insights/paths_api.py): JSON, and the same drawn as SVG.
    path(
        "v1/products/<int:pk>/paths/",
        paths_api.ProductPathsView.as_view(),
        name="product-paths",
    ),
    path(
        "v1/products/<int:pk>/paths.svg",
        paths_api.ProductPathsSvgView.as_view(),
        name="product-paths-svg",
    ),
    # A price's curves (insights/curves_api.py): JSON, and the same drawn as SVG.
    path(
        "v1/price-book-items/<int:pk>/curves/",
        curves_api.PriceCurvesView.as_view(),
        name="price-book-item-curves",
    ),
    path(
        "v1/price-book-items/<int:pk>/curves.svg",
        curves_api.PriceCurvesSvgView.as_view(),
        name="price-book-item-curves-svg",
    ),
    path("v1/offerings/<int:a>/diff/<int:b>/", OfferingDiffView.as_view(), name="offering-diff"),
    path("v1/offerings/<int:pk>/lint/", lint_api.OfferingLintView.as_view(), name="offering-lint"),
    path("v1/vendors/<slug:slug>/lint/", lint_api.VendorLintView.as_view(), name="vendor-lint"),
    # Change impact (insights/impact_api.py): what a change would touch, before it is made.
    path(
        "v1/price-book-items/<int:pk>/impact/",
        impact_api.PriceImpactView.as_view(),
        name="pricebookitem-impact",
    ),
    path("v1/rates/<int:pk>/impact/", impact_api.RateImpactView.as_view(), name="rate-impact"),
    path(
        "v1/offerings/<int:pk>/impact/",
        impact_api.OfferingImpactView.as_view(),
        name="offering-impact",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
