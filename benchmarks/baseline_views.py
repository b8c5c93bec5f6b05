"""Baselines for the API load benchmark, mounted only when BENCHMARK_VIEWS=1.

- ``tiny``: a bare Django view returning a tiny JSON body (the framework's floor).
- ``offerings`` / ``items``: the same page the API returns, the same JSON body byte for byte
  in content (``catalog/tests/test_benchmark_baselines.py`` compares them), hand-written
  with ``.values()`` and ``JsonResponse``: no DRF, no serializers, no model instances. They
  authenticate by token and scope rows with ``visible_to`` like the API does.
- ``offerings-drf`` / ``items-drf``: the same hand-written bodies, answered through DRF's
  request and response (an ``APIView`` with the API's authentication, throttles, permission
  and renderer): what DRF's own envelope costs, and so the most any DRF view of the page
  could reach against the hand-written one.
- ``offerings-orjson`` / ``items-orjson``: the hand-written bodies encoded by orjson, as the
  API encodes its own (``catalog/api/renderers.py``), not by ``JsonResponse``'s ``json``: the
  baseline a hand-written view with the API's encoder would set.
"""

from collections import defaultdict

import orjson
from django.http import HttpResponse, JsonResponse
from django.urls import path
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.models import AddOnRequirement, Item, ItemPath, ItemTranslation
from catalog.paginator import count_limit
from pricing.lock import lock_reasons_by_offering
from pricing.models import Offering, OfferingItem, OfferingItemScope


def _user(request):
    key = request.headers.get("Authorization", "").removeprefix("Token ").strip()
    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token else None


def _page(request, queryset, default_size):
    size = int(request.GET.get("page_size", default_size))
    number = int(request.GET.get("page", 1))
    limit = count_limit()
    counted = queryset[: limit + 1].count()  # bounded, as the API counts
    count = min(counted, limit)
    rows = list(queryset[(number - 1) * size : number * size])
    base = request.build_absolute_uri(request.path)
    after = f"{base}?page={number + 1}&page_size={size}" if number * size < count else None
    if number <= 1:
        before = None
    elif number == 2:
        before = f"{base}?page_size={size}"
    else:
        before = f"{base}?page={number - 1}&page_size={size}"
    return (count, counted > limit), rows, after, before


def _grouped(rows, key):
    groups = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def _iso(value):
    return value.isoformat() if value is not None else None


def tiny(request):
    return JsonResponse({"ok": True})


def offerings_body(request, user) -> dict:
    queryset = (
        Offering.objects.visible_to(user)
        .order_by("name")
        .values("id", "vendor", "name", "description", "type", "status", "start_date", "end_date")
    )
    count, rows, after, before = _page(request, queryset, 50)
    ids = [row["id"] for row in rows]
    lines = list(
        OfferingItem.objects.filter(offering_id__in=ids)
        .order_by("pk")
        .values("id", "offering_id", "item", "default_quantity", "required")
    )
    scopes = _grouped(
        OfferingItemScope.objects.filter(offering_item__offering_id__in=ids).values(
            "offering_item_id", "item_id"
        ),
        "offering_item_id",
    )
    for line in lines:
        line["applies_to"] = sorted(scope["item_id"] for scope in scopes[line.pop("id")])
    lines = _grouped(lines, "offering_id")
    reasons = lock_reasons_by_offering(ids)  # the lock's one selector, no model instances
    for row in rows:
        pk = row["id"]
        row["start_date"], row["end_date"] = _iso(row["start_date"]), _iso(row["end_date"])
        row["items"] = lines[pk]
        row["locked"], row["lock_reasons"] = bool(reasons[pk]), reasons[pk]
    return {"count": count[0], "count_capped": count[1], "next": after, "previous": before} | {
        "results": rows
    }


def items_body(request, user) -> dict:
    queryset = (
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
            "commitment_term",
            "status",
            "group",
        )
    )
    count, rows, after, before = _page(request, queryset, 100)
    ids = [row["id"] for row in rows]
    translations = _grouped(
        ItemTranslation.objects.filter(item_id__in=ids)
        .order_by("locale")
        .values("item_id", "locale", "name", "description"),
        "item_id",
    )
    paths = _grouped(
        ItemPath.objects.filter(source_id__in=ids)
        .order_by("kind", "target_id")
        .values("source_id", "target_id", "kind"),
        "source_id",
    )
    bases = _grouped(
        AddOnRequirement.objects.filter(addon_id__in=ids, base__in=Item.objects.visible_to(user))
        .order_by("base_id")
        .values("addon_id", "base_id"),
        "addon_id",
    )
    for row in rows:
        pk = row["id"]
        row["translations"] = translations[pk]
        row["requires_one_of"] = [base["base_id"] for base in bases[pk]]
        row["upgrades_to"] = [p["target_id"] for p in paths[pk] if p["kind"] == "upgrade"]
        row["downgrades_to"] = [p["target_id"] for p in paths[pk] if p["kind"] == "downgrade"]
    return {"count": count[0], "count_capped": count[1], "next": after, "previous": before} | {
        "results": rows
    }


def offerings(request):
    return JsonResponse(offerings_body(request, _user(request)))


def items(request):
    return JsonResponse(items_body(request, _user(request)))


def offerings_orjson(request):
    return HttpResponse(orjson.dumps(offerings_body(request, _user(request))), "application/json")


def items_orjson(request):
    return HttpResponse(orjson.dumps(items_body(request, _user(request))), "application/json")


class ThroughDrf(ThrottledFirstMixin, APIView):
    """A hand-written body through DRF's request and response, with the API's settings."""

    body = staticmethod(items_body)

    def get(self, request):
        return Response(self.body(request._request, request.user))


urlpatterns = [
    path("tiny/", tiny),
    path("offerings/", offerings),
    path("items/", items),
    path("offerings-drf/", ThroughDrf.as_view(body=offerings_body)),
    path("items-drf/", ThroughDrf.as_view(body=items_body)),
    path("offerings-orjson/", offerings_orjson),
    path("items-orjson/", items_orjson),
]
