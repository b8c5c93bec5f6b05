"""``Idempotency-Key`` for POSTs that create or process: retries never do the work twice.

The first request with a key claims it (a row with no answer yet, committed at once), runs
the view, whose service is its own transaction, and stores its answer; a failed request
gives the key back so it may be retried. The same key (per user) with the same request
replays the stored answer; with another request it is a 409 ``IDEMPOTENCY_KEY_REUSED``. A
retry that arrives while the first request runs waits up to ``IDEMPOTENCY_WAIT_SECONDS``
for its answer and replays it; past that it gets a 409 ``IDEMPOTENCY_KEY_IN_PROGRESS`` with
``Retry-After``. A claim older than ``IDEMPOTENCY_STALE_SECONDS`` without an answer (its
process died) is taken over.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from catalog.models import IdempotencyRecord

HEADER = "Idempotency-Key"
POLL_SECONDS = 0.05


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()


def _error(code: str, detail: str, status: int = 409, **headers) -> Response:
    return Response({"code": code, "detail": detail, "errors": {}}, status=status, headers=headers)


def _claim(user, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Claim the key for this request; None if another request holds it."""
    stale = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_STALE_SECONDS)
    IdempotencyRecord.objects.filter(
        user=user, key=key, status_code__isnull=True, created_at__lt=stale
    ).delete()
    try:
        with transaction.atomic(durable=True):
            return IdempotencyRecord.objects.create(user=user, key=key, request_hash=fingerprint)
    except IntegrityError:
        return None


def _answer_for(user, key: str, fingerprint: str) -> Response | None:
    """The answer to a request whose key another request holds: a replay, a 409, or None
    while that request is still running."""
    previous = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if previous is None:
        return None
    if previous.request_hash != fingerprint:
        return _error("IDEMPOTENCY_KEY_REUSED", f"{HEADER} {key!r} was used for another request.")
    if previous.status_code is None:
        return None
    return Response(previous.response_body, status=previous.status_code)


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
        deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
        while (claim := _claim(request.user, key, fingerprint)) is None:
            if (answer := _answer_for(request.user, key, fingerprint)) is not None:
                return answer
            if time.monotonic() >= deadline:
                return _error(
                    "IDEMPOTENCY_KEY_IN_PROGRESS",
                    f"A request with {HEADER} {key!r} is still running; retry shortly.",
                    **{"Retry-After": "1"},
                )
            time.sleep(POLL_SECONDS)
        try:
            response = view_method(self, request, *args, **kwargs)
        except BaseException:
            claim.delete()
            raise
        if 200 <= response.status_code < 300:
            claim.status_code, claim.response_body = response.status_code, response.data
            claim.save(update_fields=["status_code", "response_body"])
        else:
            claim.delete()  # failures are not remembered: the key may be retried
        return response

    return wrapper
