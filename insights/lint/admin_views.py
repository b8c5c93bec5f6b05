"""The linter in the admin: a page per vendor (findings grouped by offering, with severity and
fix), the panel on the offering's change page (``templatetags.insights_lint``) and the count
on the dashboard (``lint_count``). Who may: ``insights.lint.access``."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from catalog.querysets import vendor_of
from insights.lint import ERROR, error_count, lint_vendor, lint_visible
from insights.lint.access import lintable_vendor, lintable_vendors


def groups(findings) -> list[dict]:
    """The findings by offering (already ``ordered``), each group with its counts."""
    grouped = []
    for (offering_id, name), rows in groupby(findings, key=lambda f: (f.offering_id, f.offering)):
        rows = list(rows)
        errors = error_count(rows)
        grouped.append(
            {
                "offering_id": offering_id,
                "title": f"Offering {name}"
                if offering_id
                else "Products: upgrade and downgrade paths",
                "url": reverse("admin:pricing_offering_change", args=[offering_id])
                if offering_id
                else None,
                "findings": rows,
                "errors": errors,
                "warnings": len(rows) - errors,
            }
        )
    return grouped


def index(site, request):
    """Vendor staff go to their vendor's page; a superuser picks the vendor."""
    if (own := vendor_of(request.user)) is not None:
        return HttpResponseRedirect(reverse("admin:insights_lint_vendor", args=[own.slug]))
    if not request.user.is_superuser:
        raise Http404("No vendor whose catalog you may lint.")
    context = {
        **site.each_context(request),
        "title": "Price-book linter: pick a vendor",
        "vendors": lintable_vendors(request.user).order_by("name"),
    }
    return render(request, "insights/lint_index.html", context)


def vendor_page(site, request, slug):
    vendor = lintable_vendor(request.user, slug)
    findings = lint_vendor(vendor)
    errors = error_count(findings)
    context = {
        **site.each_context(request),
        "title": f"Price-book linter: {vendor.name}",
        "vendor": vendor,
        "groups": groups(findings),
        "errors": errors,
        "warnings": len(findings) - errors,
        "ERROR": ERROR,
    }
    return render(request, "insights/lint_vendor.html", context)


def lint_count(user) -> tuple[int, int, str | None]:
    """(errors, warnings, the page's link) for the dashboard: of what ``user`` may lint."""
    if not (user.is_superuser or vendor_of(user) is not None):
        return 0, 0, None
    findings = lint_visible(user)
    errors = error_count(findings)
    return errors, len(findings) - errors, reverse("admin:insights_lint_index")
