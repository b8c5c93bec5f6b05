"""The OpenAPI schema tells clients which fields they may not set: not in any request body."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from catalog.tests.generated import report

NEVER_WRITTEN = {"id", "vendor", "locked", "lock_reasons", "history", "total", "processed_at"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def request_bodies(schema):
    """(operation, component name) of every JSON request body in the schema."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body and "$ref" in body["schema"]:
                yield f"{method.upper()} {path}", body["schema"]["$ref"].rsplit("/", 1)[-1]


def test_no_request_body_offers_a_field_the_caller_may_not_set(schema):
    components = schema["components"]["schemas"]
    bodies = list(request_bodies(schema))
    offending = {
        operation: sorted(NEVER_WRITTEN & set(components[name].get("properties", {})))
        for operation, name in bodies
    }
    offending = {operation: fields for operation, fields in offending.items() if fields}

    assert len(bodies) >= 30, "the writable endpoints' request bodies are all in the schema"
    assert not offending
    report("schema request bodies checked for read-only fields", len(bodies))


@pytest.mark.parametrize("component", ["Offering", "Product", "Quote"])
def test_responses_mark_those_fields_read_only(schema, component):
    properties = schema["components"]["schemas"][component]["properties"]
    present = NEVER_WRITTEN & set(properties)

    assert "id" in present
    assert all(properties[name].get("readOnly") for name in present), present
