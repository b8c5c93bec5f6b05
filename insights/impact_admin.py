"""The price page's "Show the impact of these changes" (``insights.impact.price_impact``).

The page's form is posted here as it is: the admin's own form and formsets read and check it
(``proposal_only``: a lock refuses nothing here, the answer says what locks the price), the
price as changed becomes a ``PriceSpec``, and the selector answers. Nothing is saved. Asked
by the page's script, the answer is the panel alone, put in the page; without the script, a
page of its own (in a new tab, so the edits stay on the price page).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.forms.formsets import all_valid
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from insights.impact import price_impact
from pricing.errors import InvalidPriceBookItem
from pricing.pricebook.validation import PriceSpec


def form_errors(form, formsets) -> list[str]:
    """Every error of the page, in words, the field named where there is one."""
    found = []

    def add(errors):
        for name, messages in errors.items():
            prefix = "" if name == "__all__" else f"{name}: "
            found.extend(f"{prefix}{message}" for message in messages)

    add(form.errors)
    pending = list(formsets)
    while pending:
        formset = pending.pop(0)
        found.extend(str(error) for error in formset.non_form_errors())
        for each in formset.forms:
            add(each.errors)
            pending.extend(getattr(each, "nested_formsets", []))
    return found


def price_impact_view(model_admin, request, object_id):
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404("No such price.")
    if not model_admin.has_change_permission(request, obj):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("admin:pricing_pricebookitem_change", obj.pk)
    request.proposal_only = True
    form = model_admin.get_form(request, obj, change=True)(
        request.POST, request.FILES, instance=obj
    )
    formsets, _ = model_admin._create_formsets(request, obj, change=True)
    context = {"original": obj, "title": f"Impact of the change to {obj}"}
    form_valid = form.is_valid()  # first, as the admin's own page checks it
    if all_valid(formsets) and form_valid:
        data = form.cleaned_data
        intervals = next(f for f in formsets if f.model.__name__ == "PriceInterval")
        proposed = PriceSpec.from_data(data, intervals.interval_specs())
        try:
            context["impact"] = price_impact(obj, user=request.user, proposed=proposed)
        except InvalidPriceBookItem as exc:
            context["errors"] = [str(exc)]
    else:
        context["errors"] = form_errors(form, formsets)
    if request.headers.get("X-Requested-With") == "fetch":
        template = (
            "insights/impact_errors.html" if "errors" in context else "insights/impact_panel.html"
        )
        return TemplateResponse(request, template, context)
    context.update(model_admin.admin_site.each_context(request))
    return TemplateResponse(request, "insights/impact_page.html", context)
