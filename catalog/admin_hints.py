"""A read-only field of the offer and listing admin pages: the plans that the portal shows
as "Price on request" on each marketplace, and why (``pricing.unpriced``)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from catalog.models import Listing, Offer
from pricing.unpriced import unpriced_plans


class PlanPriceHintsMixin:
    """Adds ``unpriced_plans`` for ``readonly_fields`` of an offer's or a listing's page."""

    @admin.display(description="Plans without a price")
    def unpriced_plans(self, obj: Offer | Listing):
        if obj is None or obj.pk is None:
            return "—"
        if isinstance(obj, Listing):
            listings = [obj]
        else:
            listings = list(obj.listings.select_related("marketplace").order_by("marketplace"))
        if not listings:
            return "Not listed on any marketplace yet."
        lines = [
            (listing.marketplace.name, hint)
            for listing in listings
            for hint in unpriced_plans(listing)
        ]
        if not lines:
            return "Every plan has a price on each marketplace it is listed on."
        return format_html(
            '<ul class="unpriced-plans">{}</ul><p class="help">{}</p>',
            format_html_join("", "<li><strong>{}</strong>: {}</li>", lines),
            "Distributors see “Price on request” for these plans. Give the plan's offering "
            "an active rate in the marketplace's currency, for every channel or this one.",
        )
