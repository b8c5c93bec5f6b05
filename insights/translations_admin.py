"""The admin's translations page: per marketplace language of a vendor, the share of its
listed rows with a translation, a table per language, and the missing rows linked to the
pages where their translations are added (``insights.translations``).

Who may: the vendor's staff and superusers (``Vendor.objects.visible_to``); anyone else is
told the vendor does not exist (404); a signed-in user without admin access is refused
(403) by the admin site's wrapper, as for the spreadsheet pages.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from catalog.models import Vendor
from catalog.querysets import vendor_of
from insights.translations import translation_completeness


def translations_url(user) -> str | None:
    """The page's link for vendor staff and superusers, None for anyone else."""
    if user.is_superuser:
        return reverse("admin:insights_translations_index")
    if (vendor := vendor_of(user)) is not None:
        return reverse("admin:insights_translations", args=[vendor.slug])
    return None


def index(site, request):
    """Vendor staff go to their vendor's page; a superuser picks the vendor."""
    if (own := vendor_of(request.user)) is not None:
        return HttpResponseRedirect(reverse("admin:insights_translations", args=[own.slug]))
    if not request.user.is_superuser:
        raise Http404("No vendor whose translations you may see.")
    context = {
        **site.each_context(request),
        "title": "Translations: pick a vendor",
        "vendors": Vendor.objects.visible_to(request.user).order_by("name"),
    }
    return render(request, "insights/translations_index.html", context)


def vendor_page(site, request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    context = {
        **site.each_context(request),
        "title": f"{vendor.name}: translations per marketplace language",
        "vendor": vendor,
        "report": translation_completeness(vendor),
    }
    return render(request, "insights/translations.html", context)
