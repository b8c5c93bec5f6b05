"""The admin as a caller of services: no transaction of its own, refusals as messages.

Django's admin wraps every POST of the change, delete and list pages in
``transaction.atomic``. Our services are the outermost transaction
(``atomic(durable=True)``, see ``catalog.concurrency.service``), so the pages that write
through them call the service bare. A ``DomainError`` that only the service could see (the
quote was processed in the meantime, the offering got locked) is shown on the page the user
came from, never as an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.options import csrf_protect_m
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import ngettext

from catalog.errors import DomainError


class ValidatedFormSet:
    """Stands in for the changelist's formset class, handing back the formset already
    validated, so that checks with side effects (a recorded lock refusal) run once."""

    def __init__(self, formset):
        self.formset = formset

    def get_default_prefix(self) -> str:
        return self.formset.prefix

    def __call__(self, *args, **kwargs):
        return self.formset


class ServiceWritesAdminMixin:
    """For a ModelAdmin whose ``save_model``/``save_related``/``delete_model`` call services."""

    def refused(self, request, exc: DomainError, what: str = "") -> HttpResponseRedirect:
        prefix = f"{what}: " if what else ""
        self.message_user(request, f"{prefix}{exc.code}: {exc}", messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return self._changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            return self.refused(request, exc)

    @csrf_protect_m
    def delete_view(self, request, object_id, extra_context=None):
        try:
            return self._delete_view(request, object_id, extra_context)
        except DomainError as exc:
            return self.refused(request, exc)

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except DomainError as exc:
            return self.refused(request, exc)

    @csrf_protect_m
    def changelist_view(self, request, extra_context=None):
        editing = request.method == "POST" and self.list_editable and "_save" in request.POST
        if editing and (response := self.save_list_editable(request)) is not None:
            return response
        return super().changelist_view(request, extra_context)

    def get_changelist_formset(self, request, **kwargs):
        if (formset := getattr(request, "validated_changelist_formset", None)) is not None:
            return ValidatedFormSet(formset)
        return super().get_changelist_formset(request, **kwargs)

    def save_list_row(self, request, obj, form) -> None:
        """One changed row of ``list_editable``; by default what the change page's
        ``save_model`` does. An admin whose change page saves in ``save_related`` says here
        how a row alone is saved."""
        self.save_model(request, obj, form, change=True)

    def save_list_editable(self, request):
        """Save the changed rows of the list, one service call each; None if the rows are
        invalid (the changelist then shows their errors)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        FormSet = self.get_changelist_formset(request)
        queryset = self._get_list_editable_queryset(request, FormSet.get_default_prefix())
        formset = FormSet(request.POST, request.FILES, queryset=queryset)
        if not formset.is_valid():
            request.validated_changelist_formset = formset  # shown with its errors, not re-run
            return None
        changed = 0
        for form in formset.forms:
            if not form.has_changed() or form.instance._state.adding:
                continue
            obj = self.save_form(request, form, change=True)
            try:
                self.save_list_row(request, obj, form)
            except DomainError as exc:
                self.message_user(request, f"{obj}: {exc.code}: {exc}", messages.ERROR)
                continue
            self.log_change(request, obj, self.construct_change_message(request, form, None))
            changed += 1
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d row was changed.", "%(count)d rows were changed.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.get_full_path())
