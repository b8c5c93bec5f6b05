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
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import ngettext

from catalog.errors import DomainError
from catalog.rows import RowWrite, rows_save

REFUSED = (DomainError, ValidationError)


class ValidatedFormSet:
    """Stands in for the changelist's formset class, handing back the formset already
    validated, so that checks with side effects (a recorded lock refusal) run once."""

    def __init__(self, formset):
        self.formset = formset

    def get_default_prefix(self) -> str:
        return self.formset.prefix

    def __call__(self, *args, **kwargs):
        return self.formset


def refusal_text(exc: Exception) -> str:
    """A service's refusal in words: its code and message, or the validation messages."""
    if isinstance(exc, DomainError):
        return f"{exc.code}: {exc}"
    return "Nothing was saved: " + " ".join(exc.messages)


class ServiceWritesAdminMixin:
    """For a ModelAdmin whose ``save_model``/``save_related``/``delete_model`` call services."""

    def refused(self, request, exc: Exception, what: str = "") -> HttpResponseRedirect:
        prefix = f"{what}: " if what else ""
        self.message_user(request, f"{prefix}{refusal_text(exc)}", messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return self._changeform_view(request, object_id, form_url, extra_context)
        except REFUSED as exc:
            return self.refused(request, exc)

    @csrf_protect_m
    def delete_view(self, request, object_id, extra_context=None):
        try:
            return self._delete_view(request, object_id, extra_context)
        except REFUSED as exc:
            return self.refused(request, exc)

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except REFUSED as exc:
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
        if any(form.instance._state.adding for form in formset.initial_forms):
            # A posted id of a row the user cannot see (or that is gone): refuse the whole list.
            self.message_user(
                request,
                "Some rows of the list are not yours or no longer exist; nothing was saved.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        changed = 0
        for form in formset.initial_forms:
            if not form.has_changed():
                continue
            obj = self.save_form(request, form, change=True)
            try:
                self.save_list_row(request, obj, form)
            except REFUSED as exc:
                self.message_user(request, f"{obj}: {refusal_text(exc)}", messages.ERROR)
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


def changed_values(row, names) -> dict:
    """The row's values of the model fields a form changed (the form already set them)."""
    concrete = {field.name for field in row._meta.concrete_fields}
    return {name: getattr(row, name) for name in names if name in concrete}


def form_write(form, change: bool) -> RowWrite:
    """The row a model form stands for: new as the form built it, or the fields it changed."""
    row = form.instance
    opts = row._meta
    m2m = {
        field.name: form.cleaned_data[field.name]
        for field in opts.many_to_many
        if field.name in form.cleaned_data and (not change or field.name in form.changed_data)
    }
    if not change:
        return RowWrite(row, m2m=m2m)
    return RowWrite(row, changes=changed_values(row, form.changed_data), m2m=m2m)


def formset_writes(formset) -> list[RowWrite]:
    """An inline formset's deleted, changed and new rows (``save(commit=False)`` writes none
    of them; it fills the lists the admin's change message reads)."""
    formset.save(commit=False)
    return [
        *(RowWrite(row, delete=True) for row in formset.deleted_objects),
        *(
            RowWrite(row, changes=changed_values(row, changed))
            for row, changed in formset.changed_objects
        ),
        *(RowWrite(row) for row in formset.new_objects),
    ]


class RowServiceAdmin(ServiceWritesAdminMixin):
    """A page whose rows have no service of their own: the row and its inline rows are written
    by one ``rows_save`` (``catalog.rows``), after the forms are valid; deletes likewise."""

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` writes the page as a whole, in one service call."""

    def save_related(self, request, form, formsets, change):
        writes = [form_write(form, change), *(w for f in formsets for w in formset_writes(f))]
        self.save_page(request, form, writes)

    def save_page(self, request, form, writes: list[RowWrite]) -> None:
        rows_save(writes, by=request.user)

    def save_list_row(self, request, obj, form) -> None:
        rows_save([form_write(form, change=True)], by=request.user)

    def delete_model(self, request, obj):
        rows_save([RowWrite(obj, delete=True)], by=request.user)

    def delete_queryset(self, request, queryset):
        rows_save([RowWrite(obj, delete=True) for obj in queryset], by=request.user)
