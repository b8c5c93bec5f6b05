"""The OpenAPI schema documents the API's error answers as well as its successes.

Every error has one shape (catalog/api/errors.py), the ``Error`` component. Each operation lists
the statuses it can answer with besides its success: 401/403/429 always (token and session
auth, permissions, throttling), 400 when it takes a body or query parameters, 404 when it
names an object or pages a list, 409 when it writes (locks, rows in use, a reused
``Idempotency-Key``), 415 when it reads a body.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from catalog.api.strict import RefuseUnknownFieldsMixin

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable error code, e.g. OFFERING_LOCKED.")
    detail = serializers.CharField(help_text="What went wrong, for a person.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field name → its messages (empty when no field is at fault).",
    )
    lock_reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Why the offering is locked (OFFERING_LOCKED and RATE_LOCKED only).",
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    400: "Invalid input: `errors` names each field at fault (a field the body may not carry, "
    "unknown or read-only, included), or a business rule refused it.",
    401: "No valid credentials: send `Authorization: Token <key>` or a session cookie.",
    403: "The caller may not do this.",
    404: "No such object visible to the caller, or no such page of a list.",
    409: "Conflict: the offering or rate is locked, other rows still use the object, "
    "or the Idempotency-Key was used for another request.",
    415: "The body's Content-Type is not one the operation reads, or the body cannot be parsed.",
    429: "Too many requests: wait and retry (see the Retry-After header).",
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error statuses each operation can answer with.

    A request body takes the fields its component lists and no other
    (``additionalProperties: false``, ``catalog.api.strict``).

    A model's answer always carries every field of its serializer, defaults included, so
    they are all ``required`` in the response components: generated clients get plain
    attributes, not "maybe unset" ones (request components keep DRF's own rules).
    """

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(serializer, serializers.ModelSerializer):
            schema["required"] = sorted(schema["properties"])
        if direction == "request" and isinstance(serializer, RefuseUnknownFieldsMixin):
            schema["additionalProperties"] = False  # any other field is a 400
        return schema

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        takes_query = any(parameter["in"] == "query" for parameter in parameters)
        names_object = any(parameter["in"] == "path" for parameter in parameters)
        writes = self.method not in SAFE_METHODS
        statuses = [401, 403, 429]
        if writes or takes_query:
            statuses.append(400)
        if names_object or takes_query:  # an unknown page of a list is a 404 as well
            statuses.append(404)
        if writes:
            statuses.append(409)
        if "requestBody" in operation:
            statuses.append(415)
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        for status in sorted(statuses):
            responses.setdefault(
                str(status),
                {
                    "description": ERRORS[status],
                    "content": {"application/json": {"schema": error}},
                },
            )
        return operation
