"""Hypothesis throws malformed bodies at every writable endpoint: never a 500, and a refused
request saves nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.tests.factories import build_catalog
from catalog.tests.generated import report
from catalog.tests.profiles import cases
from catalog_site.api import router
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)

WRITABLE = [
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if "post" in viewset.http_method_names and hasattr(viewset, "create")
]


def field_names(viewset) -> list[str]:
    return [*sorted(viewset.serializer_class().fields), "junk"]


def row_counts() -> tuple[int, ...]:
    return tuple(
        model._default_manager.count()
        for label in ("catalog", "pricing")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


@pytest.fixture
def world(vendor):
    build_catalog(vendor, 1)
    return priced_offering(vendor, items=1, rates=1, intervals=1, tiers=1)


@pytest.mark.parametrize(("prefix", "viewset"), WRITABLE, ids=[p for p, _ in WRITABLE])
def test_malformed_bodies_never_break_an_endpoint(vendor_api, world, prefix, viewset):
    names = field_names(viewset)
    tried = {"n": 0}

    @settings(
        max_examples=cases(25),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        body=st.dictionaries(st.sampled_from(names), json_values, max_size=6)
        | st.lists(json_values, max_size=3)
        | json_values
    )
    def probe(body):
        tried["n"] += 1
        cache.clear()
        before = row_counts()
        response = vendor_api.post(f"/api/v1/{prefix}/", body, format="json")
        assert response.status_code < 500, (prefix, body, response.content[:300])
        if response.status_code >= 400:
            assert response.json()["code"], (prefix, body)
            assert row_counts() == before, (prefix, body, "a refused request saved rows")

    probe()
    report(f"bad bodies POST {prefix}", tried["n"])
    assert tried["n"] > 0


ACTIONS = ["items/", "clone/", "price-preview/", "inactivate/"]
ACTION_FIELDS = [
    "item",
    "default_quantity",
    "required",
    "applies_to",
    "name",
    "reason",
    "rate",
    "start_date",
    "periods",
    "lines",
    "quantity",
    "junk",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_malformed_bodies_never_break_offering_actions(vendor_api, world, action):
    tried = {"n": 0}
    url = f"/api/v1/offerings/{world.pk}/{action}"

    @settings(
        max_examples=cases(25),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        body=st.dictionaries(st.sampled_from(ACTION_FIELDS), json_values, max_size=6) | json_values
    )
    def probe(body):
        tried["n"] += 1
        cache.clear()
        before = row_counts()
        response = vendor_api.post(url, body, format="json")
        assert response.status_code < 500, (url, body, response.content[:300])
        if response.status_code >= 400:
            assert row_counts() == before, (url, body, "a refused request saved rows")

    probe()
    report(f"bad bodies POST offerings/{{id}}/{action}", tried["n"])
    assert tried["n"] > 0


# Writes of an offering's items, a price's fields and a draft quote's lines, by method and
# path: {offering}, {item}, {price}, {quote} and {line} are rows of the world below.
ROW_WRITES = [
    ("put", "offerings/{offering}/items/"),
    ("patch", "offerings/{offering}/items/{item}/"),
    ("patch", "price-book-items/{price}/"),
    ("post", "quotes/{quote}/lines/"),
    ("put", "quotes/{quote}/lines/"),
    ("patch", "quotes/{quote}/lines/{line}/"),
]
ROW_WRITE_FIELDS = [
    *ACTION_FIELDS,
    "offering",
    "line",
    "custom_attributes",
    "charge_model",
    "pricing_type",
    "intervals",
    "minimum_amount",
    "delivery_weekdays",
]


@pytest.fixture
def draft_quote(vendor, world):
    """A draft quote with one line of the world's offering."""
    from pricing import quote_lines, selling

    quote = selling.quote_create(vendor=vendor, customer="Contoso", currency="USD")
    quote_lines.quote_add_line(
        quote=quote,
        offering=world,
        rate=world.rates.get(),
        item=world.offering_items.get().item,
    )
    return quote


@pytest.mark.parametrize(("method", "path"), ROW_WRITES, ids=[f"{m} {p}" for m, p in ROW_WRITES])
def test_malformed_bodies_never_break_row_writes(vendor_api, world, draft_quote, method, path):
    url = "/api/v1/" + path.format(
        offering=world.pk,
        item=world.offering_items.get().item_id,
        price=world.rates.get().price_book_items.get().pk,
        quote=draft_quote.pk,
        line=draft_quote.lines.get().pk,
    )
    tried = {"n": 0}
    fields = st.sampled_from(ROW_WRITE_FIELDS)

    @settings(
        max_examples=cases(25),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        body=st.dictionaries(fields, json_values, max_size=6)
        | st.lists(st.dictionaries(fields, json_values, max_size=6), max_size=3)
        | json_values
    )
    def probe(body):
        tried["n"] += 1
        cache.clear()
        before = row_counts()
        response = getattr(vendor_api, method)(url, body, format="json")
        assert response.status_code < 500, (url, body, response.content[:300])
        if response.status_code >= 400:
            assert response.json()["code"], (url, body)
            assert row_counts() == before, (url, body, "a refused request saved rows")

    probe()
    report(f"bad bodies {method.upper()} {path}", tried["n"])
    assert tried["n"] > 0
