"""The bad-input family: nesting, NUL characters, year 10000, huge durations, float ids and
oversize bodies, posted through the API and the admin. Every answer is below 500 and no row
of any model changes; the count of posts tried is reported and must not be 0."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from catalog.tests.factories import build_catalog
from catalog.tests.generated import report
from catalog_site.api import router
from pricing import quote_lines, selling
from pricing.models import Quote
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
BIG = "x" * (5 * 1024 * 1024)
NUL = "nul\x00here"
WRITABLE = [
    prefix
    for prefix, viewset, _ in router.registry
    if "post" in viewset.http_method_names and hasattr(viewset, "create")
]


@dataclass(frozen=True)
class Post:
    kind: str  # which bad input
    face: str  # "api" or "admin"
    url: str
    body: object
    content_type: str = "application/json"
    method: str = "post"  # or get, put, patch


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def admin_price(rate, item, *, attributes="{}", unit="infinity", duration="") -> dict:
    intervals = [(unit, duration)] + ([("infinity", "")] if unit != "infinity" else [])
    data = {
        "rate": rate.pk,
        "item": item.pk,
        "charge_model": "per_unit",
        "pricing_type": "interval" if len(intervals) > 1 else "regular",
        "custom_attributes": attributes,
        **management("intervals", len(intervals)),
    }
    for i, (interval_unit, interval_duration) in enumerate(intervals):
        data |= {
            f"intervals-{i}-sequence": i + 1,
            f"intervals-{i}-duration_unit": interval_unit,
            f"intervals-{i}-duration": interval_duration,
            f"intervals-{i}-price": "1",
            f"intervals-{i}-included_units": "0",
            f"intervals-{i}-overage_price": "0",
            **management(f"intervals-{i}-tiers", 0),
        }
    return data


def admin_quote(vendor, start: str, periods) -> dict:
    return {
        "vendor": vendor.pk,
        "customer": "Contoso",
        "currency": "USD",
        "status": "draft",
        "start_date": start,
        "periods": periods,
        **management("lines", 0),
    }


def posts(vendor, offering) -> Iterator[Post]:
    rate = offering.rates.get()
    item = offering.offering_items.get().item
    api_price = {"rate": rate.pk, "item": item.pk, "charge_model": "per_unit"}
    infinity = {"duration_unit": "infinity", "price": "1"}
    line = {"offering": offering.pk, "rate": rate.pk, "item": item.pk, "quantity": "1"}
    quote = {"customer": "Contoso", "currency": "USD", "lines": [line]}
    preview = {"rate": rate.pk, "lines": [{"item": item.pk, "quantity": "1"}]}
    offering_url = f"/api/v1/offerings/{offering.pk}"
    admin_pbi = reverse("admin:pricing_pricebookitem_add")
    admin_quote_url = reverse("admin:pricing_quote_add")

    for prefix in WRITABLE:
        url = f"/api/v1/{prefix}/"
        yield Post("nesting", "api", url, DEEP)
        yield Post("nesting", "api", url, '{"name": ' + DEEP + "}")
        yield Post("NUL", "api", url, json.dumps({"name": NUL, "customer": NUL, "mpn": NUL}))
        yield Post("float id", "api", url, json.dumps({"offering": offering.pk + 0.9}))
    for action in ("items/", "clone/", "price-preview/"):
        yield Post("nesting", "api", f"{offering_url}/{action}", DEEP)
        yield Post("NUL", "api", f"{offering_url}/{action}", json.dumps({"name": NUL}))
    for attributes in ({NUL: "a"}, {"a": NUL}, {"a": [DEEP[:200]]}):
        body = {**api_price, "custom_attributes": attributes, "intervals": [infinity]}
        yield Post("NUL", "api", "/api/v1/price-book-items/", json.dumps(body))
    for unit, duration in (("day", 2_147_483_647), ("month", 2_147_483_647), ("day", 10**12)):
        body = {**api_price, "pricing_type": "interval"}
        body["intervals"] = [{"duration_unit": unit, "duration": duration, "price": "1"}, infinity]
        yield Post("huge duration", "api", "/api/v1/price-book-items/", json.dumps(body))
    for start, periods in (("9999-12-01", 120), ("2026-01-01", 100_000), ("10000-01-01", 1)):
        body = {**quote, "start_date": start, "periods": periods}
        yield Post("year 10000", "api", "/api/v1/quotes/", json.dumps(body))
        body = {**preview, "start_date": start, "periods": periods}
        yield Post("year 10000", "api", f"{offering_url}/price-preview/", json.dumps(body))
    yield Post(
        "float id",
        "api",
        "/api/v1/quotes/",
        json.dumps({**quote, "lines": [{**line, "offering": offering.pk + 0.9}]}),
    )
    yield Post("float id", "api", f"{offering_url}/items/", json.dumps({"item": item.pk + 0.5}))
    draft = Quote.objects.get(vendor=vendor)
    draft_line = draft.lines.get()
    lines_url = f"/api/v1/quotes/{draft.pk}/lines/"
    price_url = f"/api/v1/price-book-items/{rate.price_book_items.get().pk}/"
    for method, url in (
        ("put", f"{offering_url}/items/"),
        ("patch", f"{offering_url}/items/{item.pk}/"),
        ("patch", price_url),
        ("post", lines_url),
        ("put", lines_url),
        ("patch", f"{lines_url}{draft_line.pk}/"),
    ):
        yield Post("nesting", "api", url, DEEP, method=method)
    for attributes in ({NUL: "a"}, {"a": NUL}):
        body = json.dumps({**line, "custom_attributes": attributes})
        yield Post("NUL", "api", lines_url, body)
        yield Post("NUL", "api", f"{lines_url}{draft_line.pk}/", body, method="patch")
        body = json.dumps({"custom_attributes": attributes})
        yield Post("NUL", "api", price_url, body, method="patch")
    body = json.dumps([{**line, "line": draft_line.pk + 0.5}])
    yield Post("float id", "api", lines_url, body, method="put")
    body = json.dumps([{"item": item.pk + 0.5}])
    yield Post("float id", "api", f"{offering_url}/items/", body, method="put")
    for prefix in ("products", "price-book-items", "quotes"):
        body = json.dumps({"name": "Seats", "description": BIG})
        yield Post("oversize", "api", f"/api/v1/{prefix}/", body)

    form = "application/x-www-form-urlencoded"
    for data in (
        admin_price(rate, item, attributes=DEEP),
        admin_price(rate, item, attributes=json.dumps({"a\x00": 1})),
        admin_price(rate, item, attributes=json.dumps({"a": "b\x00"})),
        admin_price(rate, item, unit="day", duration="2147483647"),
        admin_price(rate, item, unit="month", duration="2147483647"),
    ):
        yield Post("admin price", "admin", admin_pbi, data, form)
    for start, periods in (("9999-12-01", 120), ("2026-01-01", 100_000), ("10000-01-01", 1)):
        yield Post(
            "year 10000", "admin", admin_quote_url, admin_quote(vendor, start, periods), form
        )
    yield Post(
        "NUL",
        "admin",
        reverse("admin:catalog_product_add"),
        {"vendor": vendor.pk, "name": NUL, "description": NUL, "status": "draft"},
        form,
    )
    yield Post(
        "float id",
        "admin",
        reverse("admin:pricing_rate_add"),
        {"offering": f"{offering.pk}.9", "name": "EUR", "currency": "EUR"},
        form,
    )
    pbi = rate.price_book_items.get()
    change = reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])
    for query in (
        {"quantity": "1", "start_date": "9999-12-01", "periods": "120"},
        {"quantity": "1", "start_date": "2026-01-01", "periods": "100000"},
    ):
        yield Post("year 10000", "admin", change, query, method="get")
    yield Post("oversize", "admin", admin_pbi, "name=" + BIG, form)


@pytest.fixture
def world(vendor):
    build_catalog(vendor, 1)
    offering = priced_offering(vendor, items=1, rates=1, intervals=1)
    quote = selling.quote_create(vendor=vendor, customer="Contoso", currency="USD")
    quote_lines.quote_add_line(
        quote=quote,
        offering=offering,
        rate=offering.rates.get(),
        item=offering.offering_items.get().item,
    )
    return offering


def test_bad_input_never_answers_5xx_and_changes_no_row(vendor_api, vendor_client, vendor, world):
    tried = 0
    for post in posts(vendor, world):
        cache.clear()  # throttles
        before = row_counts()
        client = vendor_api if post.face == "api" else vendor_client
        if post.method == "get":
            response = client.get(post.url, post.body)
        else:
            send = getattr(client, post.method)
            response = send(post.url, post.body, content_type=post.content_type)
        tried += 1
        where = (post.kind, post.face, post.url, str(post.body)[:120])
        assert response.status_code < 500, (*where, response.content[:300])
        assert response.status_code != 302, (*where, "an admin form was saved")
        if post.face == "api":
            assert 400 <= response.status_code < 500, where
            assert response.json()["code"], where
        after = row_counts()
        changed = {
            label: (count, after[label]) for label, count in before.items() if after[label] != count
        }
        assert not changed, (*where, changed)
    report("bad input posts (API and admin)", tried)
    assert tried > 0
