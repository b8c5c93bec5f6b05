"""The change-impact panel (``insights.impact``) on the offering, rate and price pages:
``{% offering_impact_panel original %}``, ``{% rate_impact_panel original %}`` (what it
would do to the drafts with the rate's status flipped: an active rate inactive, another
active) and ``{% price_impact_panel original %}``; each a fixed number of queries."""

from __future__ import annotations

from django import template

from insights.impact import offering_impact, price_impact, rate_impact
from pricing.models import Rate

register = template.Library()
PANEL = "insights/impact_panel.html"


@register.inclusion_tag(PANEL, takes_context=True)
def offering_impact_panel(context, offering):
    return {"impact": offering_impact(offering, user=context["request"].user)}


@register.inclusion_tag(PANEL, takes_context=True)
def rate_impact_panel(context, rate):
    flipped = Rate.Status.INACTIVE if rate.status == Rate.Status.ACTIVE else Rate.Status.ACTIVE
    return {"impact": rate_impact(rate, user=context["request"].user, status=flipped)}


@register.inclusion_tag(PANEL, takes_context=True)
def price_impact_panel(context, pbi):
    return {"impact": price_impact(pbi, user=context["request"].user)}
