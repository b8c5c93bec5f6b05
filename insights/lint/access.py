"""Who may see the linter's findings: a vendor's own staff for their vendor, and platform
admins (superusers) for every vendor. Anyone else is told the vendor or offering does not
exist, as for any row they cannot see: findings name drafts and rates a distributor never
sees."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from catalog.models import Vendor
from catalog.querysets import vendor_of
from pricing.models import Offering


def lintable_vendors(user):
    if not (user and user.is_authenticated and user.is_active):
        return Vendor.objects.none()
    if user.is_superuser:
        return Vendor.objects.all()
    vendor = vendor_of(user)
    return Vendor.objects.filter(pk=vendor.pk) if vendor else Vendor.objects.none()


def lintable_vendor(user, slug: str) -> Vendor:
    """The vendor ``user`` may lint, or Http404."""
    return get_object_or_404(lintable_vendors(user), slug=slug)


def lintable_offering(user, pk) -> Offering:
    """The offering ``user`` may lint, or Http404."""
    return get_object_or_404(Offering.objects.filter(vendor__in=lintable_vendors(user)), pk=pk)
