"""The offering admin's own pages and its lock on the change page: the read-only view of a
locked offering with its banner, the clone page with its summary, and the price sheet.

Each page parses its input, calls one selector or service, and renders.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from catalog.errors import DomainError
from catalog.models import Item
from insights.admin_diff import clone_panel
from pricing.clone import clone_summary, offering_clone
from pricing.forms import CloneForm
from pricing.lock import LOCKED_FIELDS, lock_state
from pricing.models import OfferingItem
from pricing.price_sheet import price_sheet
from pricing.price_words import reader_locale
from pricing.rules import SCOPED_KINDS

# What a locked offering shows read-only (the services refuse changing them: OFFERING_LOCKED).
LOCKED_READONLY = ("type", "start_date")
ITEMS_MANAGEMENT_FORM = "offering_items-TOTAL_FORMS"


class OfferingLockViewMixin:
    """A locked offering's page shows its items, type and start date read-only, with a banner
    that gives the lock's reasons and a "Clone to change" button.

    A page that was shown editable and is posted after the offering got locked is still read
    as the editable page it was (its items posted with it), so the service refuses it with
    OFFERING_LOCKED instead of quietly dropping the change.
    """

    def lock_of(self, request, obj):
        """``lock_state`` of the page's offering, asked once per page (kept on the object the
        page's form and read-only fields show)."""
        if obj is None or obj.pk is None:
            return None
        return lock_state_of(obj)

    def shows_locked(self, request, obj) -> bool:
        lock = self.lock_of(request, obj)
        if lock is None or not lock.locked:
            return False
        return not (request.method == "POST" and ITEMS_MANAGEMENT_FORM in request.POST)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *LOCKED_READONLY) if self.shows_locked(request, obj) else fields

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if self.shows_locked(request, obj):  # the items are listed read-only by the template
            return tuple(inline for inline in inlines if inline.model is not OfferingItem)
        return inlines

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["lock"] = self.lock_of(request, obj)
            context["locked_fields"] = LOCKED_FIELDS
            context["clone_url"] = reverse("admin:pricing_offering_clone", args=[obj.pk])
            context["price_sheet_url"] = reverse("admin:pricing_offering_prices", args=[obj.pk])
            context["shows_locked"] = self.shows_locked(request, obj)
            if context["shows_locked"]:
                context["locked_lines"] = list(
                    obj.offering_items.select_related("item").prefetch_related("scopes__item")
                )
        context["scoped_items"] = list(
            Item.objects.visible_to(request.user)
            .filter(kind__in=SCOPED_KINDS)
            .values_list("pk", flat=True)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


def lock_state_of(offering):
    """The offering's ``lock_state``, asked once per object."""
    if not hasattr(offering, "_lock_state"):
        offering._lock_state = lock_state(offering)
    return offering._lock_state


class OfferingPagesMixin:
    """The clone page and the price sheet, at ``<id>/clone/`` and ``<id>/prices/``."""

    def offering_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/clone/", view(self.clone_view), name="pricing_offering_clone"),
            path(
                "<path:object_id>/prices/",
                view(self.price_sheet_view),
                name="pricing_offering_prices",
            ),
        ]

    def page_context(self, request, offering, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": offering,
            "title": title,
        }

    def clone_view(self, request, object_id):
        offering = self.get_object(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CloneForm(request.POST or None, initial={"start_date": offering.start_date})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                copy = offering_clone(
                    offering=offering,
                    by=request.user,
                    name=data["name"],
                    start_date=data["start_date"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                add_clone_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"Cloned as {copy}; its rates are drafts.")
                return redirect("admin:pricing_offering_change", copy.pk)
        context = {
            **self.page_context(request, offering, f"Clone {offering}"),
            "form": form,
            "summary": clone_summary(offering),
            "compare_url": reverse("admin:insights_offering_diff", args=[offering.pk]),
            **clone_panel(request, offering),  # its diff with its source or newest clone
        }
        return TemplateResponse(request, "admin/pricing/offering/clone.html", context)

    def price_sheet_view(self, request, object_id):
        offering = self.get_object(request, object_id)
        context = {
            **self.page_context(request, offering, f"Price sheet: {offering}"),
            "sheet": price_sheet(offering, locale=reader_locale()),
        }
        return TemplateResponse(request, "admin/pricing/offering/price_sheet.html", context)


def add_clone_errors(form, exc: ValidationError) -> None:
    """The copy's own validation next to the clone page's field: the copy takes the page's
    name and start date and the original's other fields, so a refusal of the copy as a whole
    (its start after the original's end date) is the start date's."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for name, messages in errors.items():
        if name not in form.fields:
            name = "start_date" if form.cleaned_data.get("start_date") else None
        form.add_error(name, messages)
