"""Login guessing (django-axes): who is locked out, by which address, and what they see.

Failures lock the username they were made on (``AXES_FAILURE_LIMIT``); an address is locked
only after ``AXES_IP_FAILURE_LIMIT`` failures across usernames, so guessing made-up names
behind one proxy does not lock everybody behind it. The address is ``REMOTE_ADDR`` unless
``TRUSTED_PROXY_COUNT`` proxies in front of the app say who the client is.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def lockout_parameters(request_or_attempt, credentials=None) -> list[str]:
    """``AXES_LOCKOUT_PARAMETERS``: the username, and the address once it reached its own limit.

    Axes locks when the failures of any parameter reach ``AXES_FAILURE_LIMIT``. A failure
    is recorded per username and address anyway; the address joins the parameters only
    when its failures, across usernames and within the cool-off, reach
    ``AXES_IP_FAILURE_LIMIT`` (not below ``AXES_FAILURE_LIMIT``), and so locks there.
    """
    if address_failures(request_or_attempt) >= settings.AXES_IP_FAILURE_LIMIT:
        return ["username", "ip_address"]
    return ["username"]


def address_failures(request_or_attempt) -> int:
    """Failed logins from the request's (or attempt's) address since the cool-off began."""
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None and hasattr(request_or_attempt, "axes_attempt_time"):
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request_or_attempt))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def client_ip_address(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: ``REMOTE_ADDR``, or the client the trusted proxies saw.

    Each of the ``TRUSTED_PROXY_COUNT`` proxies appends the address it was called from to
    X-Forwarded-For, so the client is that many entries from the right; entries further
    left are whatever the client sent. A header that did not pass all of them is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies <= 0 or len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: axes' own page, plus when to try again."""
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
