"""Who may export or import a vendor's spreadsheets: the vendor's own staff and platform
admins. Everyone else is told the vendor does not exist (404), as for any row they cannot see
(``Vendor.objects.visible_to``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from catalog.models import Vendor


def vendor_for(user, slug: str) -> Vendor:
    """The vendor ``user`` may exchange spreadsheets for, or Http404."""
    return get_object_or_404(Vendor.objects.visible_to(user), slug=slug)
