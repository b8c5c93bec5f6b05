"""What a locked-out login sees (django-axes): the "Account locked" page, 429, Retry-After."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: axes' own page, plus when to try again."""
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
