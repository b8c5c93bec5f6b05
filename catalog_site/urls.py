import os

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico: the static icon (its hashed name is known per request)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("favicon.ico", FaviconView.as_view()),
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("api/", include("catalog_site.api")),
    path("portal/", include("portal.urls")),
]

handler400 = "catalog.api.errors.bad_request"
handler404 = "catalog.api.errors.page_not_found"

if os.environ.get("BENCHMARK_VIEWS") == "1":  # baselines for benchmarks/bench_api.sh only
    urlpatterns.append(path("bench/", include("benchmarks.baseline_views")))
