"""The base of every API view: organization scoping in one place, thin writes."""

from __future__ import annotations

from rest_framework import viewsets

from catalog.querysets import vendor_of


class ScopedViewSetMixin:
    """``get_queryset`` is the model's rows ``visible_to`` the caller: nothing else filters."""

    queryset = None

    def get_queryset(self):
        queryset = self.queryset.all()
        return queryset.visible_to(self.request.user)

    @property
    def caller_vendor(self):
        return vendor_of(self.request.user)

    def check_permissions(self, request):
        # Throttle before answering 401/403, so guessing tokens is throttled too.
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        if getattr(request, "_throttles_checked", False):
            return
        request._throttles_checked = True
        super().check_throttles(request)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    throttle_scope = "writes"

    def get_throttles(self):
        # Only writes count against the tighter "writes" scope.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            self.throttle_scope = None
        return super().get_throttles()
