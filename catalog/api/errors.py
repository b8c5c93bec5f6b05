"""One error shape for the whole API: {"code", "detail", "errors"}."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from catalog.errors import DomainError

CODES = {
    400: "VALIDATION_ERROR",
    401: "NOT_AUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "THROTTLED",
}


def _errors(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: value if isinstance(value, (list, dict)) else [value]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {}


def protected_detail(exc: ProtectedError) -> str:
    """What still uses the row, by kind only: the rows may be another vendor's."""
    kinds = sorted({str(row._meta.verbose_name_plural) for row in exc.protected_objects})
    return f"Still used by {', '.join(kinds)}; change its status instead of deleting it."


def exception_handler(exc, context):
    """DRF's handler, reshaped; domain errors carry their own code and status."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc), "errors": exc.errors}
        if reasons := exc.details.get("reasons"):
            body["lock_reasons"] = reasons
        return Response(body, status=exc.http_status)
    if isinstance(exc, ProtectedError):
        return Response(
            {"code": "PROTECTED", "detail": protected_detail(exc), "errors": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        message = "The request has invalid fields."
        errors = _errors(detail)
    else:
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        errors = {}
    code = CODES.get(response.status_code, "ERROR")
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        code = "NOT_AUTHENTICATED"
    response.data = {"code": code, "detail": message, "errors": errors}
    return response


def page_not_found(request, exception):
    """The project's 404 page; under /api/ (an id that is no id, a path that is none) our shape."""
    if request.path.startswith("/api/"):
        body = {"code": CODES[404], "detail": "Not found.", "errors": {}}
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """The project's 400 page; under /api/ our shape, and 413 for a body over the limit.

    Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``RequestDataTooBig``, and
    other ``SuspiciousOperation``s) wherever it is first read, middleware included, and
    answers with this handler rather than the view's.
    """
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = {
            "code": "REQUEST_TOO_LARGE",
            "detail": f"The request body is larger than {limit:,} bytes.",
            "errors": {},
        }
        return JsonResponse(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    body = {"code": CODES[400], "detail": "The request is malformed.", "errors": {}}
    return JsonResponse(body, status=status.HTTP_400_BAD_REQUEST)
