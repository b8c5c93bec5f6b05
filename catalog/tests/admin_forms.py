"""Turn an admin change page into the POST data its unchanged form would submit."""

from __future__ import annotations

import datetime


def _field_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if field.show_hidden_initial:  # a browser posts the hidden initial value too
            initial = bound.initial
            if isinstance(initial, (datetime.date, datetime.datetime)):
                initial = initial.isoformat()
            data[bound.html_initial_name] = "" if initial is None else str(initial)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
            continue
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        data[bound.html_name] = str(value)
    return data


def change_form_data(response) -> dict:
    """The main form and every inline formset as they were rendered, ready to post back."""
    context = response.context
    data = _field_values(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", ()):  # none on a history page
        data.update(_formset_values(inline.formset))
    return data


def _formset_values(formset) -> dict:
    """A formset's management form and forms, and those of formsets nested in its forms."""
    data = _field_values(formset.management_form)
    for form in formset.forms:
        data.update(_field_values(form))
        for nested in getattr(form, "nested_formsets", ()):  # django-nested-admin
            data.update(_formset_values(nested))
    return data


def price_add_data(*, rate: int, item: int, custom_attributes: str) -> dict:
    """The admin's "add price book item" form for a one-interval per-unit price."""
    return {
        "rate": rate,
        "item": item,
        "charge_model": "per_unit",
        "pricing_type": "regular",
        "custom_attributes": custom_attributes,
        "intervals-TOTAL_FORMS": 1,
        "intervals-INITIAL_FORMS": 0,
        "intervals-MIN_NUM_FORMS": 0,
        "intervals-MAX_NUM_FORMS": 1000,
        "intervals-0-sequence": 1,
        "intervals-0-duration_unit": "infinity",
        "intervals-0-duration": "",
        "intervals-0-price": "1",
        "intervals-0-included_units": "0",
        "intervals-0-overage_price": "0",
        "intervals-0-tiers-TOTAL_FORMS": 0,
        "intervals-0-tiers-INITIAL_FORMS": 0,
        "intervals-0-tiers-MIN_NUM_FORMS": 0,
        "intervals-0-tiers-MAX_NUM_FORMS": 1000,
    }
