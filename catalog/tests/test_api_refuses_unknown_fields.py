"""Every write endpoint refuses a body field it does not write, with a 400 naming each one, and
changes nothing: an unknown field (``colour``), a read-only one (``id``, an offering's
``items``, a quote line's ``amount``), at the top of the body and inside nested objects
(intervals and their tiers, quote lines, matrix cells, translations, plan items).

Generated from the OpenAPI schema: every operation with a JSON request body, and every nested
object its body holds, so a new endpoint is covered without editing this test.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator

from catalog.api.strict import READ_ONLY, UNKNOWN
from catalog.models import Product
from catalog.tests.factories import build_catalog
from catalog.tests.generated import report
from catalog_site.api import router
from pricing.models import Offering
from pricing.tests.factories import priced_offering, selling_rows

pytestmark = pytest.mark.django_db

API = "/api/v1"
SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
COMPONENTS = SCHEMA["components"]["schemas"]
PREFIXES = {prefix: viewset for prefix, viewset, _ in router.registry}


def component(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


def response_component(request_component: str) -> dict:
    """The same serializer's answer (``OfferingRequest`` → ``Offering``): its read-only fields."""
    name = request_component.removeprefix("Patched").removesuffix("Request")
    return COMPONENTS.get(name, {})


def nested_reference(schema: dict) -> tuple[str, bool] | None:
    """(component, many) of a property holding a nested object or a list of them."""
    if "$ref" in schema:
        return component(schema["$ref"]), False
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return component(schema["items"]["$ref"]), True
    for option in schema.get("allOf", []) + schema.get("oneOf", []):
        if "$ref" in option and "properties" in COMPONENTS[component(option["$ref"])]:
            return component(option["$ref"]), False
    return None


def refused_fields(name: str, path: tuple = ()):
    """(path, field, message) for each field a body (or an object nested in it) may not carry."""
    yield path, "colour", UNKNOWN
    properties = COMPONENTS[name].get("properties", {})
    answer = response_component(name).get("properties", {})
    for field, schema in answer.items():
        if schema.get("readOnly") and field not in properties:
            yield path, field, READ_ONLY
    for field, schema in properties.items():
        nested = nested_reference(schema)
        if nested and "properties" in COMPONENTS[nested[0]]:
            yield from refused_fields(nested[0], (*path, (field, nested[1])))


def body_with(path: tuple, field: str) -> dict:
    """A body carrying ``field`` (value 1) at ``path`` inside it."""
    body: dict = {field: 1}
    for name, many in reversed(path):
        body = {name: [body] if many else body}
    return body


def error_at(errors: dict, path: tuple, field: str):
    """The messages for ``field`` at ``path``; a list's errors are keyed by index ("0")."""
    for name, many in path:
        errors = errors[name]["0"] if many else errors[name]
    return errors[field]


def operations():
    """(method, path template, request component) of every JSON request body."""
    found = []
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body and "$ref" in body["schema"]:
                found.append((method, path, component(body["schema"]["$ref"])))
    return found


OPERATIONS = operations()
CASES = [
    (method, path, refused_path, field, message)
    for method, path, name in OPERATIONS
    for refused_path, field, message in refused_fields(name)
]


def row_state() -> tuple:
    """Every row count of the two apps, history included: a save anywhere adds a record."""
    return tuple(
        model._default_manager.count()
        for label in ("catalog", "pricing")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


@pytest.fixture
def world(vendor):
    build_catalog(vendor, 1)
    offering = priced_offering(vendor, items=1, rates=1, intervals=1, tiers=1)
    selling_rows(offering, 1)


def url_for(path: str, user) -> str:
    """The operation's URL, naming the first of the caller's rows where it names one."""
    url = path
    if "{id}" in path:
        prefix = path.removeprefix(f"{API}/").split("/")[0]
        model = PREFIXES[prefix].queryset.model
        row = model._default_manager.visible_to(user).order_by("pk").first()
        assert row is not None, f"the world has no {model.__name__} for {path}"
        url = path.replace("{id}", str(row.pk))
        # A row of that row: an offering's item, a quote's line.
        if "{item_id}" in url:
            url = url.replace("{item_id}", str(row.offering_items.order_by("pk").first().item_id))
        if "{line_id}" in url:
            url = url.replace("{line_id}", str(row.lines.order_by("pk").first().pk))
    return url


def test_the_schema_offers_every_write_endpoint_of_the_router():
    operated = {(method, path) for method, path, _ in OPERATIONS}
    missing = []
    for prefix, viewset in PREFIXES.items():
        for name, method, detail in (
            ("create", "post", False),
            ("update", "put", True),
            ("partial_update", "patch", True),
        ):
            if hasattr(viewset, name) and method in viewset.http_method_names:
                path = f"{API}/{prefix}/" + ("{id}/" if detail else "")
                if (method, path) not in operated:
                    missing.append((method, path))
    assert not missing
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize(
    ("method", "path", "name"),
    OPERATIONS,
    ids=[f"{method.upper()} {path.removeprefix(API)}" for method, path, _ in OPERATIONS],
)
def test_a_write_names_each_field_it_does_not_write_and_changes_nothing(
    vendor_api, vendor_user, world, method, path, name
):
    url = url_for(path, vendor_user)
    tried = 0
    for refused_path, field, message in refused_fields(name):
        cache.clear()  # the "writes" throttle has its own tests
        before = row_state()
        body = body_with(refused_path, field)

        response = getattr(vendor_api, method)(url, body, format="json")

        assert response.status_code == 400, (method, url, body, response.content[:300])
        answer = response.json()
        assert answer["code"] == "VALIDATION_ERROR", answer
        assert error_at(answer["errors"], refused_path, field) == [message], (body, answer)
        assert row_state() == before, (method, url, body, "a refused request changed rows")
        tried += 1
    report("write endpoints refusing unknown and read-only fields", tried)
    assert tried > 0


def test_the_schema_says_each_body_takes_its_fields_and_no_other():
    bodies = {name for _, _, name in OPERATIONS}
    bodies |= {nested_reference(schema)[0] for name in set(bodies) for schema in nested(name)}
    open_bodies = [name for name in bodies if COMPONENTS[name].get("additionalProperties", True)]

    assert not open_bodies  # each is ``additionalProperties: false``


def nested(name: str):
    """The properties of a body component holding nested objects, all the way down."""
    for schema in COMPONENTS[name].get("properties", {}).values():
        found = nested_reference(schema)
        if found and "properties" in COMPONENTS[found[0]]:
            yield schema
            yield from nested(found[0])


def test_every_nested_body_object_is_checked():
    nested = {(method, path, refused_path) for method, path, refused_path, _, _ in CASES}
    deep = {case for case in nested if len(case[2]) >= 2}

    assert any(path.endswith("/price-book-items/") for _, path, _ in deep), "intervals → tiers"
    assert any(path.endswith("/quotes/") and p for _, path, p in nested), "quote lines"
    report("write endpoints × refused fields (generated)", len(CASES))


# The cases the issue names, as a script meets them ----------------------------------------


def test_putting_back_what_get_answered_names_the_read_only_fields_of_an_offering(
    vendor_api, vendor
):
    offering = priced_offering(vendor, items=1, rates=0, intervals=1, tiers=0)
    url = f"{API}/offerings/{offering.pk}/"
    body = vendor_api.get(url).json()
    before = row_state()

    response = vendor_api.put(url, {**body, "name": "Renamed"}, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == {"id", "vendor", "items", "locked", "lock_reasons"}
    assert errors["items"] == [READ_ONLY]
    assert row_state() == before
    assert Offering.objects.get(pk=offering.pk).name == offering.name


def test_an_unknown_field_is_named_along_with_the_other_field_errors(vendor_api, vendor):
    response = vendor_api.post(f"{API}/products/", {"colour": "red", "status": "x"}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["colour"] == [UNKNOWN]
    assert set(errors) == {"colour", "name", "status"}
    assert not Product.objects.exists()


def test_a_form_encoded_body_is_checked_the_same_way(vendor_api, vendor):
    response = vendor_api.post(f"{API}/products/", {"name": "Office", "colour": "red"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"colour": [UNKNOWN]}
    assert not Product.objects.exists()


def test_a_body_with_only_writable_fields_still_writes(vendor_api, vendor):
    response = vendor_api.post(f"{API}/products/", {"name": "Office"}, format="json")
    assert response.status_code == 201, response.content

    url = f"{API}/products/{response.json()['id']}/"
    response = vendor_api.patch(url, {"description": "Mail"}, format="json")
    assert response.status_code == 200, response.content
    assert Product.objects.get().description == "Mail"


def test_a_platform_admin_names_the_vendor_on_create_only(api_client, superuser, vendor):
    api_client.force_authenticate(superuser)
    created = api_client.post(
        f"{API}/products/", {"name": "Office", "vendor": vendor.pk}, format="json"
    )
    assert created.status_code == 201, created.content

    url = f"{API}/products/{created.json()['id']}/"
    moved = api_client.patch(url, {"vendor": vendor.pk, "name": "Renamed"}, format="json")

    assert moved.status_code == 400
    assert moved.json()["errors"] == {"vendor": [READ_ONLY]}
    assert Product.objects.get().name == "Office"


def test_the_token_endpoint_refuses_unknown_fields_too(api_client, vendor_user):
    response = api_client.post(
        f"{API}/auth/token/",
        {"username": vendor_user.username, "password": "correct-horse-battery", "otp": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"otp": [UNKNOWN]}
