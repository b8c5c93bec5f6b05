"""The base of every API view: organization scoping in one place, thin writes."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers, viewsets
from rest_framework.response import Response

from catalog.api.fields import is_id
from catalog.api.history import HistoryMixin
from catalog.api.reading import ReadPlanMixin, plan_of, rows_of
from catalog.models import Vendor
from catalog.querysets import vendor_of


class ThrottledFirstMixin:
    """Throttle before answering 401/403, so guessing tokens is throttled too (once per
    request: DRF checks throttles again after the permissions)."""

    def check_permissions(self, request):
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        if getattr(request, "_throttles_checked", False):
            return
        request._throttles_checked = True
        super().check_throttles(request)


# (serializer class, model) → whether its lists are read as rows; worked out once.
_reads_rows: dict[tuple[type, type], bool] = {}


class ScopedViewSetMixin(ThrottledFirstMixin, HistoryMixin):
    """``get_queryset`` is the model's rows ``visible_to`` the caller: nothing else filters.

    Every viewset whose model keeps history answers ``GET {id}/history/`` (``HistoryMixin``).
    """

    queryset = None
    # True where ``create`` takes the new row's vendor from ``acting_vendor``: a platform
    # admin's body may then carry ``vendor`` (a read-only field of the serializer).
    vendor_from_body = False

    def get_queryset(self):
        queryset = self.queryset.all()
        return queryset.visible_to(self.request.user)

    def attach_related(self, rows: list) -> None:
        """Attach to a page of rows what their serializer reads as ``prefetched_<field>``.

        Views whose rows carry nested sets override this with one ``values()`` query per set:
        a fixed number of queries, and no model instance or related manager per nested row.
        """

    def paginate_queryset(self, queryset):
        as_rows = self.read_as_rows(queryset)
        page = super().paginate_queryset(queryset.values() if as_rows else queryset)
        if page is None:
            return None
        if as_rows:
            page = rows_of(queryset.model, page)
        self.attach_related(page)
        return page

    def read_as_rows(self, queryset) -> bool:
        """Whether a page is read as ``values()`` rows (``catalog.api.reading.Row``) instead
        of model instances: when the serializer's read plan takes every field from the row's
        columns and the sets ``attach_related`` attaches (no nested serializer, no method
        field, no prefetch)."""
        serializer_class = self.get_serializer_class()
        if not issubclass(serializer_class, ReadPlanMixin) or queryset._prefetch_related_lookups:
            return False
        key = (serializer_class, queryset.model)
        if key not in _reads_rows:
            _reads_rows[key] = not plan_of(self.get_serializer(), queryset.model).by_drf
        return _reads_rows[key]

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.attach_related([instance])
        return Response(self.get_serializer(instance).data)

    def acting_vendor(self) -> Vendor:
        """The vendor a new row belongs to: the caller's own, never another.

        ``vendor`` is read-only for vendor staff (a body that carries it is a 400); a platform
        admin (superuser), who belongs to no vendor, names it with ``vendor`` in the body.
        """
        user = self.request.user
        if not user.is_superuser:
            vendor = vendor_of(user)
            if vendor is None:
                raise serializers.ValidationError(
                    {"vendor": ["Only a vendor's staff create this: it belongs to their vendor."]}
                )
            return vendor
        data = self.request.data
        pk = data.get("vendor") if isinstance(data, Mapping) else None
        vendor = Vendor.objects.filter(pk=pk).first() if is_id(pk) else None
        if vendor is None:
            raise serializers.ValidationError(
                {"vendor": ["A platform admin names the vendor the row belongs to (its id)."]}
            )
        return vendor

    def body_fields_beyond_serializer(self, serializer) -> set[str]:
        """Fields of the body the view reads itself (``catalog.api.strict``): ``vendor`` when
        a platform admin creates a row that ``acting_vendor`` gives a vendor."""
        user = self.request.user
        if self.vendor_from_body and self.action == "create" and user.is_superuser:
            return {"vendor"}
        return set()


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    throttle_scope = "writes"

    def get_throttles(self):
        # Only writes count against the tighter "writes" scope.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            self.throttle_scope = None
        return super().get_throttles()
