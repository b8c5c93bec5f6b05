"""Admin for quotes and contracts: every write is a selling service.

A quote's status is never a form field. A draft's page saves the quote and its lines with
one ``quote_update`` (``quote_create`` on the add page), under the quote's row lock; the
"Process" and "Cancel" buttons and actions call ``quote_process`` and ``quote_cancel``.
Processed and cancelled quotes, and contracts, are read-only pages; what was sold cannot be
deleted (the models protect it), so their delete pages list what holds them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from catalog.admin_base import RelatedOnlyFilter, ScopedAdmin, ScopedTabularInline
from catalog.admin_services import ServiceWritesAdminMixin
from catalog.errors import DomainError
from pricing import quote_lines, selling
from pricing.bounds import MAX_QUOTE_LINES, check_quote_lines
from pricing.errors import QuoteNotDraft, QuoteTooLarge
from pricing.models import Contract, ContractOffering, Quote, QuoteLine

QUOTE_FIELDS = (
    "customer",
    "currency",
    "start_date",
    "periods",
    "sales_channel",
    "customer_group",
)


def is_draft(quote: Quote | None) -> bool:
    return quote is None or quote.status == Quote.Status.DRAFT


class QuoteLineFormSet(BaseInlineFormSet):
    """Refuses more lines than a quote holds (QUOTE_TOO_LARGE), as the services do."""

    def clean(self):
        super().clean()
        if any(self.errors) or not (self.has_changed() or self.deleted_forms):
            return
        try:
            check_quote_lines(len(wanted_lines(self)))
        except QuoteTooLarge as exc:
            raise ValidationError(f"{exc.code}: {exc}", code=exc.code) from exc


class QuoteLineForm(forms.ModelForm):
    """A line may leave its rate to the price selector; its billing frequency then picks one
    (monthly when left out), and a named rate bills at its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["billing_frequency"].required = False
        self.fields["rate"].help_text = "Empty: the rate that applies, at the billing frequency."


class QuoteLineInline(ScopedTabularInline):
    model = QuoteLine
    form = QuoteLineForm
    formset = QuoteLineFormSet
    max_num = MAX_QUOTE_LINES
    fields = (
        "offering",
        "rate",
        "billing_frequency",
        "item",
        "quantity",
        "custom_attributes",
        "amount",
        "price_reason",
        "periods",
    )
    readonly_fields = ("amount", "price_reason", "periods")
    autocomplete_fields = ("offering", "rate", "item")

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return is_draft(obj) and super().has_add_permission(request, obj)

    @admin.display(description="Periods")
    def periods(self, line):
        """A commitment's or percent's periods, as processing priced them."""
        return format_html_join(
            mark_safe("<br>"), "{}", ((period_words(row),) for row in line.breakdown or ())
        )

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)


def period_words(row: dict) -> str:
    """ "Period 1: committed 1000.00, consumed 400.00, true-up 600.00" or a percent's."""
    if row["kind"] == "true_up":
        what = f"committed {row['committed']}, consumed {row['consumed']}, true-up"
    elif row["kind"] == "percent":
        what = f"{row['percent']} % of {row['base']}"
    else:
        what = row["kind"]
    return f"Period {row['period']}: {what} {row['amount']}"


def wanted_lines(formset) -> list[quote_lines.QuoteLineSpec]:
    """The lines a quote's inline asks for: kept and changed rows, and filled-in new ones."""
    deleted = set(formset.deleted_forms)
    return [
        quote_lines.QuoteLineSpec(
            pk=form.instance.pk,
            offering=form.cleaned_data["offering"],
            rate=form.cleaned_data["rate"],
            # A named rate bills at its own frequency; the field picks one without a rate.
            billing_frequency=None
            if form.cleaned_data["rate"]
            else form.cleaned_data.get("billing_frequency") or None,
            item=form.cleaned_data["item"],
            quantity=form.cleaned_data["quantity"],
            custom_attributes=form.cleaned_data.get("custom_attributes") or {},
        )
        for form in formset.forms
        if form not in deleted and (form.instance.pk or form.has_changed())
    ]


@admin.register(Quote)
class QuoteAdmin(ServiceWritesAdminMixin, ScopedAdmin):
    change_form_template = "admin/pricing/quote/change_form.html"
    list_display = (
        "reference",
        "customer",
        "vendor",
        "currency",
        "status",
        "total",
        "processed_at",
    )
    list_select_related = ("vendor",)
    list_filter = ("status", "currency", ("vendor", RelatedOnlyFilter))
    search_fields = ("customer",)
    fields = ("vendor", *QUOTE_FIELDS, "status", "total", "processed_at")
    readonly_fields = ("status", "total", "processed_at")
    inlines = (QuoteLineInline,)
    actions = ("process_selected", "cancel_selected", "contract_selected")

    def has_change_permission(self, request, obj=None):
        """A processed or cancelled quote's page is read-only (Django's view-only page)."""
        return is_draft(obj) and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "vendor") if obj else self.readonly_fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PermissionDenied:
            # A page loaded while the quote was a draft: say why, save nothing. Asked after the
            # admin's own check, so a quote processed at any moment before it is told the same.
            quote = self.get_object(request, unquote(object_id)) if object_id else None
            if request.method != "POST" or quote is None or is_draft(quote):
                raise
            return self.refused(
                request,
                QuoteNotDraft(f"Quote {quote.reference} is {quote.status}; nothing was saved."),
            )

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` saves the quote with its lines, in one service call."""

    def save_related(self, request, form, formsets, change):
        lines_formset = next(f for f in formsets if f.model is QuoteLine)
        lines_formset.new_objects, lines_formset.changed_objects = [], []
        lines_formset.deleted_objects = []
        fields = {name: form.cleaned_data[name] for name in QUOTE_FIELDS}
        lines = wanted_lines(lines_formset)
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            touched = lines_formset.has_changed() or lines_formset.deleted_forms
            selling.quote_update(
                quote=form.instance, lines=lines if touched else None, by=request.user, **changed
            )
            return
        quote = selling.quote_create(
            vendor=form.cleaned_data["vendor"], lines=lines, by=request.user, **fields
        )
        form.instance.pk = quote.pk  # the admin's messages and redirect need it
        form.instance._state.adding = False

    def delete_model(self, request, obj):
        selling.quote_delete(quote=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for quote in queryset:
            selling.quote_delete(quote=quote, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/process/",
                view(require_POST(self.process_view)),
                name="pricing_quote_process",
            ),
            path(
                "<path:object_id>/cancel/",
                view(require_POST(self.cancel_view)),
                name="pricing_quote_cancel",
            ),
            *super().get_urls(),
        ]

    def process_view(self, request, object_id):
        return self.button(request, object_id, selling.quote_process, "processed")

    def cancel_view(self, request, object_id):
        return self.button(request, object_id, selling.quote_cancel, "cancelled")

    def button(self, request, object_id, service, done: str):
        quote = self.get_object(request, object_id)
        if not self.has_change_permission(request, quote):
            raise PermissionDenied
        try:
            service(quote=quote, by=request.user)
        except DomainError as exc:
            self.message_user(request, f"{quote.reference}: {exc.code}: {exc}", messages.ERROR)
        else:
            self.message_user(request, f"{quote.reference} {done}.", messages.SUCCESS)
        return redirect("admin:pricing_quote_change", quote.pk)

    def each_quote(self, request, queryset, service, done: str):
        for quote in queryset:
            try:
                service(quote=quote, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"{quote.reference}: {exc.code}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{quote.reference} {done}.", messages.SUCCESS)

    @admin.action(
        description="Process selected quotes (price and freeze them)", permissions=("change",)
    )
    def process_selected(self, request, queryset):
        self.each_quote(request, queryset, selling.quote_process, "processed")

    @admin.action(description="Cancel selected draft quotes", permissions=("change",))
    def cancel_selected(self, request, queryset):
        self.each_quote(request, queryset, selling.quote_cancel, "cancelled")

    @admin.action(
        description="Make contracts from selected processed quotes", permissions=("change",)
    )
    def contract_selected(self, request, queryset):
        for quote in queryset:
            try:
                contract = selling.contract_create(quote=quote, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"{quote.reference}: {exc.code}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{contract} made from {quote.reference}.")


class ContractOfferingInline(ScopedTabularInline):
    model = ContractOffering
    fields = ("offering",)
    readonly_fields = ("offering",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(ServiceWritesAdminMixin, ScopedAdmin):
    """Read-only: contracts are made from processed quotes and never changed or deleted."""

    list_display = ("__str__", "customer", "vendor", "start_date", "end_date", "quote")
    list_select_related = ("vendor", "quote")
    list_filter = (("vendor", RelatedOnlyFilter),)
    search_fields = ("customer",)
    readonly_fields = ("vendor", "quote", "customer", "start_date", "end_date")
    inlines = (ContractOfferingInline,)

    def has_add_permission(self, request):
        return False  # made from processed quotes (action on the quote list)

    def has_change_permission(self, request, obj=None):
        return False
