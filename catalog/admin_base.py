"""Admin building blocks that keep every page inside the user's organization."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from catalog.admin_search import RelatedFirstSearchMixin
from catalog.history import row_versions
from catalog.paginator import CappedPaginator
from catalog.querysets import vendor_of


def scoped_queryset(model, request):
    """The model's rows the request's user may see (``visible_to``), or None if unscoped."""
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(request.user)
    return None


class ScopedFormfieldsMixin:
    """Foreign-key and many-to-many choices come from the user's organization only.

    The same queryset validates what is posted, so another vendor's id is refused as
    "Select a valid choice" even if it is typed in by hand.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = scoped_queryset(db_field.remote_field.model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = scoped_queryset(db_field.remote_field.model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """Filter choices limited to the related rows the list shows, printed without extra queries.

    A related model whose ``__str__`` reads other rows names them in ``str_select_related``.
    """

    # At most this many choices are listed; with more (ten thousand products), the filter
    # keeps only the chosen one, and a search finds the rest.
    max_choices = 100

    def field_choices(self, field, request, model_admin):
        shown = model_admin.get_queryset(request).values_list(f"{field.name}__pk", flat=True)
        related = field.remote_field.model._default_manager.filter(pk__in=shown)
        related = related.select_related(*getattr(related.model, "str_select_related", ()))
        if ordering := self.field_admin_ordering(field, request, model_admin):
            related = related.order_by(*ordering)
        choices = [(obj.pk, str(obj)) for obj in related[: self.max_choices + 1]]
        if len(choices) <= self.max_choices:
            return choices
        chosen = [value for value in self.lookup_val or () if str(value).isdigit()]
        return [(obj.pk, str(obj)) for obj in related.filter(pk__in=chosen)]

    def has_output(self) -> bool:
        # The chosen one alone is still shown, with "All" to clear it.
        return super().has_output() or bool(self.lookup_val and self.lookup_choices)


class ScopedAdmin(RelatedFirstSearchMixin, ScopedFormfieldsMixin, SimpleHistoryAdmin):
    """A history-keeping model admin scoped to the user's vendor.

    Objects outside the scope do not exist for the user: change, delete and history pages
    answer 404 rather than redirecting with a hint.
    """

    # A changelist counts its rows once, at most LIST_COUNT_LIMIT + 1 of them
    # (``catalog.paginator``), never the whole table: past the limit its pages stop and it
    # asks for a search or a filter (``templates/admin/pagination.html``).
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        limit = None
        if getattr(request.resolver_match, "url_name", "") == "autocomplete":
            # A picker only asks whether there is more: count one row past the page asked.
            page = request.GET.get("page", "")
            limit = per_page * (int(page) if page.isdigit() and len(page) < 6 else 1) + 1
        return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page, limit=limit)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with this id.")
        return obj

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        vendor = vendor_of(request.user)
        if vendor and any(f.name == "vendor" for f in self.model._meta.fields):
            initial.setdefault("vendor", vendor.pk)
        return initial

    def response_action(self, request, queryset):
        """An action on rows some of which the user cannot see (or that are gone) does nothing
        and says so, instead of quietly running on the rest."""
        selected = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
        if selected and request.POST.get("select_across") != "1":
            try:
                found = queryset.filter(pk__in=selected).count()
            except (ValueError, ValidationError):
                found = -1
            if found != len(selected):
                self.message_user(
                    request,
                    "Some of the selected rows are not yours or no longer exist; "
                    "nothing was done. Reload the list and select again.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    object_history_template = "admin/history/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        """The row's versions, newest first, every change in words (``catalog.history``,
        ``catalog.wording``), in a fixed number of queries however many versions."""
        request.current_app = self.admin_site.name
        obj = self.get_object(request, unquote(object_id))  # 404 outside the user's scope
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        paginator = Paginator(row_versions(obj), self.history_list_per_page)
        page_obj = paginator.get_page(request.GET.get(PAGE_VAR))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_view_title(request, obj),
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": capfirst(str(opts.verbose_name_plural)),
            "versions": page_obj.object_list,
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.count > self.history_list_per_page,
            "version_url": f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_template, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and self.revert_disabled(request, obj):
            # The page shows an old version; saving it would write around the services.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class OwnRowsFormSetMixin:
    """An inline's posted row ids name rows of this parent, or the whole page is refused.

    Django checks a posted id against every row of the model, and an inline formset then
    sets the parent on whatever row the id named: a tampered id would move another parent's
    row, or fail in code that reads the row back. It is an error the user sees instead.
    """

    def clean(self):
        super().clean()
        own = set()
        if self.instance.pk is not None:
            own = set(
                self.model._base_manager.filter(**{self.fk.attname: self.instance.pk}).values_list(
                    "pk", flat=True
                )
            )
        if any(form.instance.pk not in own for form in self.initial_forms):
            raise ValidationError(
                "A row of this list is not part of this %(parent)s; reload the page.",
                code="foreign_row",
                params={"parent": self.instance._meta.verbose_name},
            )


class OwnRowsInlineMixin:
    """Gives an inline's formset ``OwnRowsFormSetMixin``."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset, OwnRowsFormSetMixin):
            return formset
        return type(formset.__name__, (OwnRowsFormSetMixin, formset), {})


class ScopedTabularInline(OwnRowsInlineMixin, ScopedFormfieldsMixin, admin.TabularInline):
    extra = 0


class ScopedStackedInline(OwnRowsInlineMixin, ScopedFormfieldsMixin, admin.StackedInline):
    extra = 0
