"""Every row of the pricing app (history included), to show a refused request changed none."""

from __future__ import annotations

from django.apps import apps

# A refusal of a locked offering or rate is kept on record: that row is the refusal's trace.
RECORDS_REFUSALS = {"pricing.lockrefusal"}


def pricing_rows() -> dict[str, list[dict]]:
    """Each model of the pricing app (history models too) → its rows' values, by pk."""
    return {
        model._meta.label_lower: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("pricing").get_models(include_auto_created=True)
        if model._meta.label_lower not in RECORDS_REFUSALS
    }
