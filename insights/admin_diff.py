"""The offering diff in the admin: the "Compare with…" page, the panel on the clone page and
the confirmation before an original is inactivated. Each parses its input, calls
``offering_diff`` and renders; only the confirmed inactivation writes, through
``pricing.services.offering_inactivate``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from insights.diff import clones_of, offering_diff, source_of
from pricing.models import Offering
from pricing.price_words import reader_locale
from pricing.services import offering_inactivate

COMPARE_TEMPLATE = "insights/diff.html"
INACTIVATE_TEMPLATE = "insights/diff_inactivate.html"


class CompareForm(forms.Form):
    """The other offering: one of the same vendor's the user sees."""

    other = forms.ModelChoiceField(
        queryset=Offering.objects.none(),
        label="Compare with",
        help_text="Another offering of the same vendor; the diff shows what it changes.",
    )

    def __init__(self, *args, offering: Offering, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = (
            Offering.objects.visible_to(user)
            .filter(vendor_id=offering.vendor_id)
            .exclude(pk=offering.pk)
            .order_by("name", "pk")
        )


def compare_view(site, request, a: int):
    """``?other=<id>``: offering ``a`` against the one picked (404 for one not visible)."""
    offering = get_object_or_404(Offering.objects.visible_to(request.user), pk=a)
    form = CompareForm(
        request.GET if "other" in request.GET else None, offering=offering, user=request.user
    )
    diff = None
    if form.is_valid():
        diff = offering_diff(offering, form.cleaned_data["other"], locale=reader_locale())
    context = {
        **site.each_context(request),
        "opts": Offering._meta,
        "original": offering,
        "title": f"Compare {offering}",
        "form": form,
        "diff": diff,
    }
    return TemplateResponse(request, COMPARE_TEMPLATE, context)


def clone_panel(request, offering: Offering) -> dict:
    """The clone page's diff: the offering against its source when it is a clone, else its
    newest clone against it; None when it is neither (the page links "Compare with…")."""
    visible = Offering.objects.visible_to(request.user).filter(vendor_id=offering.vendor_id)
    source_id = source_of(offering)
    if source_id is not None and (source := visible.filter(pk=source_id).first()):
        return {"diff": offering_diff(source, offering, locale=reader_locale()), "is_clone": True}
    clone = visible.filter(pk__in=clones_of(offering)).order_by("-pk").first()
    if clone is not None:
        return {"diff": offering_diff(offering, clone, locale=reader_locale()), "is_clone": False}
    return {"diff": None, "is_clone": False}


def inactivate_with_diffs(modeladmin, request, queryset):
    """The offering admin's "inactivate" action: first a page with each original's diff
    against its clones, then, confirmed, ``offering_inactivate`` each."""
    offerings = list(queryset.select_related("vendor").order_by("name", "pk"))
    if request.POST.get("post") == "yes":
        for offering in offerings:
            offering_inactivate(offering=offering, by=request.user, reason="inactivated in admin")
        modeladmin.message_user(
            request, f"{len(offerings)} offering(s) inactivated.", messages.SUCCESS
        )
        return None
    visible = Offering.objects.visible_to(request.user)
    entries = []
    for offering in offerings:
        clones = list(visible.filter(pk__in=clones_of(offering)).order_by("-pk"))
        diffs = [offering_diff(offering, clone, locale=reader_locale()) for clone in clones]
        entries.append({"offering": offering, "diffs": diffs})
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": Offering._meta,
        "title": "Inactivate the selected offerings",
        "entries": entries,
        "hidden": [
            ("action", request.POST.get("action", "")),
            *((helpers.ACTION_CHECKBOX_NAME, str(offering.pk)) for offering in offerings),
            ("post", "yes"),
        ],
    }
    return TemplateResponse(request, INACTIVATE_TEMPLATE, context)
