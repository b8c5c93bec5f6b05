"""Activating a rate locks its offering, so the admin asks first, the way Django's delete
confirmation does: an intermediate page says what locks, which items the rate leaves without
a price, and the way back. Only the confirmed request writes, through ``pricing.rates``."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from pricing.activation import activation_preview
from pricing.models import Rate
from pricing.rates import rate_activate

CONFIRMED = "_activation_confirmed"
TEMPLATE = "admin/pricing/rate/activation_confirmation.html"


class ActivationUnconfirmed(Exception):
    """Raised by ``save_model`` before anything is written: the page asks first."""

    def __init__(self, rate: Rate):
        super().__init__(f"Activating {rate} is not confirmed.")
        self.rate = rate


def activates(form) -> bool:
    """Whether a rate form turns the rate active."""
    return "status" in form.changed_data and form.cleaned_data.get("status") == Rate.Status.ACTIVE


class RateActivationMixin:
    """For the rate admin: its change and add pages and its "activate" action ask first."""

    def check_activation_confirmed(self, request, obj, form) -> None:
        if activates(form) and request.POST.get(CONFIRMED) != "yes":
            # The page shows the rate as posted, but with the status it has until confirmed.
            shown = copy.copy(obj)
            shown.status = form.initial.get("status") or Rate.Status.DRAFT
            raise ActivationUnconfirmed(shown)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ActivationUnconfirmed as exc:
            # Everything the page posted goes back with the answer, as the page posted it.
            posted = [
                (name, value)
                for name in request.POST
                if name != "csrfmiddlewaretoken"
                for value in request.POST.getlist(name)
            ]
            return self.activation_page(
                request, [exc.rate], hidden=[*posted, (CONFIRMED, "yes")], title="Activate rate"
            )

    def activation_page(self, request, rates, *, hidden, title):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "previews": activation_preview(rates),
            "hidden": hidden,
        }
        return TemplateResponse(request, TEMPLATE, context)

    def activate_rates(self, request, queryset):
        """The "activate" action: a confirmation page first, then ``rate_activate`` each."""
        rates = list(queryset.select_related("offering"))
        if request.POST.get("post") != "yes":
            hidden = [
                ("action", request.POST.get("action", "")),
                *((helpers.ACTION_CHECKBOX_NAME, str(rate.pk)) for rate in rates),
                ("post", "yes"),
            ]
            return self.activation_page(
                request, rates, hidden=hidden, title="Activate the selected rates"
            )
        for rate in rates:
            rate_activate(rate=rate, by=request.user)
        self.message_user(request, f"{len(rates)} rate(s) activated.", messages.SUCCESS)
        return None
