"""An id is a whole number: 1.9 (or true) is a 400, never read as row 1, for every relation
the API writes (one field class, ScopedPrimaryKeyRelatedField, parses them all)."""

from __future__ import annotations

import pytest
from rest_framework import relations, serializers

from catalog.api.fields import ScopedPrimaryKeyRelatedField
from catalog.tests.factories import MarketplaceFactory, build_catalog
from catalog.tests.generated import report
from catalog_site.api import router
from pricing.api.serializers import (
    OfferingItemWriteSerializer,
    PricePreviewSerializer,
    QuoteLineSerializer,
)
from pricing.models import Quote, Rate
from pricing.tests.factories import QuoteFactory, priced_offering

pytestmark = pytest.mark.django_db


def writable_relations(serializer, path=()):
    """(path, relation field, many) of every writable relation, nested lists included."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        here = (*path, name)
        if isinstance(field, relations.ManyRelatedField):
            yield here, field.child_relation, True
        elif isinstance(field, relations.RelatedField):
            yield here, field, False
        elif isinstance(field, serializers.ListSerializer):
            yield from writable_relations(field.child, (*here, 0))
        elif isinstance(field, serializers.ListField) and isinstance(
            field.child, relations.RelatedField
        ):
            yield here, field.child, True
        elif isinstance(field, serializers.Serializer):
            yield from writable_relations(field, here)


ROUTES = [
    (f"/api/v1/{prefix}/", viewset.serializer_class)
    for prefix, viewset, _ in router.registry
    if "post" in viewset.http_method_names and hasattr(viewset, "create")
]
ACTIONS = [
    ("/api/v1/offerings/{offering}/items/", OfferingItemWriteSerializer),
    ("/api/v1/offerings/{offering}/price-preview/", PricePreviewSerializer),
    ("/api/v1/quotes/{quote}/lines/", QuoteLineSerializer),
]
CASES = [
    (url, path, field, many)
    for url, serializer_class in ROUTES + ACTIONS
    for path, field, many in writable_relations(serializer_class())
]


def test_every_writable_api_relation_is_parsed_by_the_scoped_id_field():
    assert CASES
    strays = [
        (url, path, type(field).__name__)
        for url, path, field, _ in CASES
        if not isinstance(field, ScopedPrimaryKeyRelatedField)
    ]
    assert strays == []


def nest(path, value):
    """{"lines": [{"item": value}]} from ("lines", 0, "item")."""
    for step in reversed(path):
        value = [value] if step == 0 else {step: value}
    return value


@pytest.fixture
def world(vendor):
    build_catalog(vendor, 1, marketplace=MarketplaceFactory())
    offering = priced_offering(vendor)
    QuoteFactory(vendor=vendor)
    return offering


def test_a_float_id_is_a_400_for_every_writable_relation(vendor_api, vendor_user, world):
    quote = Quote.objects.visible_to(vendor_user).get()
    tried = 0
    for url, path, field, many in CASES:
        model = field.model or field.queryset.model
        row = model._default_manager.visible_to(vendor_user).order_by("pk").first()
        assert row is not None, f"the world has no {model.__name__} for {url} {path}"
        body = nest(path, [row.pk + 0.9] if many else row.pk + 0.9)
        response = vendor_api.post(
            url.format(offering=world.pk, quote=quote.pk), body, format="json"
        )
        tried += 1
        assert response.status_code == 400, (url, path, body, response.content[:300])
        assert path[0] in response.json()["errors"], (url, path, response.json())
        assert "Incorrect type" in str(response.json()["errors"][path[0]]), (url, path)
    report("float ids over API relations", tried)
    assert tried > 0


def test_a_rate_for_offering_1_9_is_refused_not_filed_under_offering_1(vendor_api, vendor):
    offering = priced_offering(vendor)
    response = vendor_api.post(
        "/api/v1/rates/",
        {"offering": offering.pk + 0.9, "name": "EUR", "currency": "EUR"},
        format="json",
    )
    assert response.status_code == 400
    assert "offering" in response.json()["errors"]
    assert not Rate.objects.filter(name="EUR").exists()


@pytest.mark.parametrize("good", ["id", "text"])
def test_whole_number_ids_as_numbers_or_digits_are_taken(vendor_api, vendor, good):
    offering = priced_offering(vendor)
    pk = offering.pk if good == "id" else str(offering.pk)
    response = vendor_api.post(
        "/api/v1/rates/", {"offering": pk, "name": "EUR", "currency": "EUR"}, format="json"
    )
    assert response.status_code == 201, response.content[:300]
