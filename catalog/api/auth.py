"""The token endpoint: a script trades a username and password for its API token.

Throttled on its own tight scope ("auth"), and django-axes counts its failed logins with the
admin's: a locked-out username or address gets 429 with ``Retry-After`` here too.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError

from catalog.api.strict import RefuseUnknownFieldsMixin
from catalog.api.throttling import AnonRateThrottle, ScopedRateThrottle


class TokenRequestSerializer(RefuseUnknownFieldsMixin, AuthTokenSerializer):
    """DRF's username and password; any other field is a 400 (``catalog.api.strict``)."""

    class Meta:
        ref_name = "AuthToken"


class TokenView(ObtainAuthToken):
    """POST ``username`` and ``password``; the answer is ``{"token": …}``: the same key each
    time, made on first use and again after the password changed (``catalog/api/tokens.py``)."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # Axes refuses a locked-out login inside authenticate() and flags the request.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    wait=settings.AXES_COOLOFF_TIME * 3600,
                    detail="Too many failed logins for this username or address; try later.",
                ) from None
            raise
