"""``Idempotency-Key`` for POSTs that create or process: retries never do the work twice.

The same key (per user) with the same request replays the first successful answer; the same
key with another request is a 409. Failed requests are not remembered, so they may be retried.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from catalog.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()


def _conflict(detail: str) -> Response:
    return Response({"code": "IDEMPOTENCY_KEY_REUSED", "detail": detail, "errors": {}}, status=409)


def idempotent(view_method):
    """Wrap a viewset action so an ``Idempotency-Key`` header makes it safe to retry."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 200:
            return Response(
                {
                    "code": "VALIDATION_ERROR",
                    "detail": f"{HEADER} is too long.",
                    "errors": {HEADER: ["At most 200 characters."]},
                },
                status=400,
            )
        fingerprint = _fingerprint(request)
        previous = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if previous is not None:
            if previous.request_hash != fingerprint:
                return _conflict(f"{HEADER} {key!r} was used for another request.")
            return Response(previous.response_body, status=previous.status_code)
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    IdempotencyRecord.objects.create(
                        user=request.user,
                        key=key,
                        request_hash=fingerprint,
                        status_code=response.status_code,
                        response_body=response.data,
                    )
        except IntegrityError:
            # The same key raced in from another request and won: answer with its result.
            previous = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if previous is None or previous.request_hash != fingerprint:
                return _conflict(f"{HEADER} {key!r} is in use by another request.")
            return Response(previous.response_body, status=previous.status_code)
        return response

    return wrapper
