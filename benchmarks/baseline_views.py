"""Baselines for the API load benchmark, mounted only when BENCHMARK_VIEWS=1.

- ``tiny``: a bare Django view returning a tiny JSON body (the framework's floor).
- ``offerings`` / ``items``: the same page of rows the API returns, hand-written with
  ``.values()`` and ``JsonResponse`` (no DRF), scoped and authenticated the same way.
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.authtoken.models import Token

from catalog.models import Item
from pricing.models import Offering


def _user(request):
    header = request.headers.get("Authorization", "")
    key = header.removeprefix("Token ").strip()
    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token else None


def tiny(request):
    return JsonResponse({"ok": True})


def offerings(request):
    user = _user(request)
    rows = list(
        Offering.objects.visible_to(user)
        .order_by("name")
        .values("id", "vendor", "name", "description", "type", "status", "start_date", "end_date")[
            : int(request.GET.get("page_size", 50))
        ]
    )
    return JsonResponse({"count": len(rows), "results": rows})


def items(request):
    user = _user(request)
    rows = list(
        Item.objects.visible_to(user)
        .order_by("product__name", "mpn")
        .values(
            "id",
            "product",
            "mpn",
            "name",
            "description",
            "kind",
            "billing_period",
            "unit",
            "status",
        )[: int(request.GET.get("page_size", 100))]
    )
    return JsonResponse({"count": len(rows), "results": rows})


urlpatterns = [
    path("tiny/", tiny),
    path("offerings/", offerings),
    path("items/", items),
]
