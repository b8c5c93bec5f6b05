"""The POST data of the price book item admin page, for tests of the page."""

from __future__ import annotations

from django.urls import reverse

ADD = "admin:pricing_pricebookitem_add"


def change_url(pbi) -> str:
    return reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def price_page(rate, item, charge_model: str, intervals: list[dict], **price) -> dict:
    """An add page's POST: each interval a dict of its fields (``tiers``: a list of dicts),
    sent as given, so a test can leave a field blank ("")."""
    data = {
        "rate": rate.pk,
        "item": item.pk,
        "charge_model": charge_model,
        "pricing_type": "interval" if len(intervals) > 1 else "regular",
        "custom_attributes": "{}",
        **management("intervals", len(intervals)),
    }
    for name, value in price.items():
        data[name] = value
    for index, interval in enumerate(intervals):
        tiers = interval.get("tiers", [])
        prefix = f"intervals-{index}"
        data.update(management(f"{prefix}-tiers", len(tiers)))
        fields = {"duration_unit": "infinity", "duration": "", **interval}
        fields.pop("tiers", None)
        data.update({f"{prefix}-{name}": value for name, value in fields.items()})
        for number, tier in enumerate(tiers):
            tier = {"price_format": "per_unit", "end_unit": "", "flat_amount": "", **tier}
            data.update({f"{prefix}-tiers-{number}-{k}": v for k, v in tier.items()})
    return data


def interval_forms(response) -> list:
    return response.context["inline_admin_formsets"][0].formset.forms
