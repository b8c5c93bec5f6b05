"""The API's URL configuration: one router, each app registers its endpoints."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from catalog.api.auth import TokenView
from catalog.api.urls import register as register_catalog
from pricing.api.urls import register as register_pricing

router = DefaultRouter()
register_catalog(router)
register_pricing(router)

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
