"""Turn an admin change page into the POST data its unchanged form would submit."""

from __future__ import annotations

import datetime


def _field_values(form) -> dict:
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
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
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_values(formset.management_form))
        for form in formset.forms:
            data.update(_field_values(form))
    return data
