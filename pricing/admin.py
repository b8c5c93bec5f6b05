"""Admin for offerings, rates and price book items, scoped to the user's vendor."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog.admin_base import (
    RelatedOnlyFilter,
    ScopedAdmin,
    ScopedTabularInline,
)
from catalog.admin_services import ServiceWritesAdminMixin
from catalog.errors import DomainError
from pricing.audit import offering_audit
from pricing.clone import offering_clone
from pricing.forms import (
    OfferingForm,
    OfferingItemForm,
    OfferingItemFormSet,
    RateForm,
)
from pricing.lock import (
    lock_reasons,
    lock_reasons_by_offering,
    rate_lock_reasons_by_rate,
    with_lock_flag,
)
from pricing.models import (
    LockRefusal,
    Offering,
    OfferingItem,
    PriceBookItem,
    Rate,
)
from pricing.rates import (
    RateChange,
    rate_activate,
    rate_create,
    rate_delete,
    rate_inactivate,
    rate_update,
)
from pricing.services import (
    REASON_MAX_LENGTH,
    offering_delete,
    offering_inactivate,
    offering_save_page,
    offering_update,
)

OFFERING_FIELDS = ("name", "type", "description", "start_date", "end_date", "status")
RATE_FIELDS = ("name", "currency", "billing_frequency", "sales_channel", "customer_group", "status")


class ActingUserAdminMixin:
    """Hands the request's user to forms and formsets, so refusals record who tried."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def get_changelist_form(self, request, **kwargs):
        # list_editable rows are checked by the same form as the change page.
        form = super().get_changelist_form(request, form=self.form, **kwargs)
        form.acting_user = request.user
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.acting_user = request.user
        return formset


def with_lock_protection(result, objs, reasons_by_id, key=lambda obj: obj.pk):
    """Add locked objects, with their reasons, to ``get_deleted_objects``'s protected list.

    ``reasons_by_id`` is the lock's selector for many rows (``pricing.lock``), keyed by
    ``key(obj)``: the page asks once for all the objects.
    """
    deletable, counts, perms, protected = result
    protected = list(protected)
    objs = list(objs)
    reasons = reasons_by_id([key(obj) for obj in objs])
    for obj in objs:
        if held := reasons[key(obj)]:
            protected.append(f"{obj} — {'; '.join(held)}")
    return deletable, counts, perms, protected


# --- Offerings -------------------------------------------------------------------------


class OfferingItemInline(ActingUserAdminMixin, ScopedTabularInline):
    model = OfferingItem
    form = OfferingItemForm
    formset = OfferingItemFormSet
    fields = ("item", "default_quantity", "required", "scope")
    autocomplete_fields = ("item",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        from pricing.admin_pickers import scope_choices

        formset.form.base_fields["scope"].queryset = scope_choices(request.user, obj)
        return formset


class RateInline(ActingUserAdminMixin, ScopedTabularInline):
    model = Rate
    form = RateForm
    fields = RATE_FIELDS
    show_change_link = True


def rate_rows(formset) -> list[RateChange]:
    """The offering page's rate rows as the service takes them, and as its change message
    tells them: deleted and changed rows in page order, then the filled-in new ones."""
    rows = []
    for rate_form in formset.initial_forms:
        rate = rate_form.instance
        if rate_form in formset.deleted_forms:
            rows.append(RateChange(rate=rate, delete=True))
            formset.deleted_objects.append(rate)
        elif changed := rate_form.changed_data:
            rows.append(
                RateChange(rate=rate, changes={n: rate_form.cleaned_data[n] for n in changed})
            )
            formset.changed_objects.append((rate, changed))
    for rate_form in formset.extra_forms:
        if rate_form.has_changed() and rate_form not in formset.deleted_forms:
            fields = {name: rate_form.cleaned_data[name] for name in RATE_FIELDS}
            rows.append(RateChange(changes=fields))
            formset.new_objects.append(rate_form.instance)
    return rows


class CloneForm(forms.Form):
    name = forms.CharField(
        max_length=200, required=False, help_text='Empty: "Copy of" and the original name.'
    )
    reason = forms.CharField(max_length=REASON_MAX_LENGTH, required=False)


@admin.register(Offering)
class OfferingAdmin(ServiceWritesAdminMixin, ActingUserAdminMixin, ScopedAdmin):
    form = OfferingForm
    list_display = ("name", "vendor", "type", "status", "start_date", "end_date", "lock_badge")
    list_editable = ("type", "status")
    list_select_related = ("vendor",)
    list_filter = ("type", "status", ("vendor", RelatedOnlyFilter))
    search_fields = ("name", "description")
    date_hierarchy = "start_date"
    readonly_fields = ("lock_status",)
    inlines = (OfferingItemInline, RateInline)
    actions = ("clone_selected", "inactivate_selected")

    def get_queryset(self, request):
        return with_lock_flag(super().get_queryset(request))

    @admin.display(description="Lock", boolean=False, ordering="locked")
    def lock_badge(self, offering):
        label, css = (
            ("🔒 locked", "lock-badge locked") if offering.locked else ("editable", "lock-badge")
        )
        return format_html('<span class="{}">{}</span>', css, label)

    @admin.display(description="Lock status")
    def lock_status(self, offering):
        if not offering.pk:
            return "—"
        reasons = lock_reasons(offering)
        audit = reverse("admin:pricing_offering_audit", args=[offering.pk])
        clone = reverse("admin:pricing_offering_clone", args=[offering.pk])
        links = format_html('<a href="{}">Audit trail</a> · <a href="{}">Clone…</a>', audit, clone)
        if not reasons:
            return format_html("Editable: not in use. {}", links)
        return format_html(
            "<strong>OFFERING_LOCKED</strong>: items and type cannot change.<ul>{}</ul>{}",
            format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons)),
            links,
        )

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "vendor") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` saves the page whole, in one service call."""

    def save_related(self, request, form, formsets, change):
        # Fields, items and rate rows: one ``offering_save_page``, under one row lock, so a
        # refusal of any part saves no part.
        items = next((f for f in formsets if f.model is OfferingItem), None)
        rates = next((f for f in formsets if f.model is Rate), None)
        for formset in formsets:  # the change message reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        saved = offering_save_page(
            offering=form.instance if change else None,
            vendor=None if change else form.cleaned_data["vendor"],
            changes={
                name: form.cleaned_data[name]
                for name in (form.changed_data if change else OFFERING_FIELDS)
            },
            lines=items.wanted_lines() if items is not None else None,
            rates=rate_rows(rates) if rates is not None else (),
            by=request.user,
        )
        form.instance.pk = saved.pk  # the admin's messages and redirect need it
        form.instance._state.adding = False

    def save_list_row(self, request, obj, form):
        """A row of the list (type, status): through the service, under the row lock."""
        if changes := {name: form.cleaned_data[name] for name in form.changed_data}:
            offering_update(offering=obj, by=request.user, **changes)

    def delete_model(self, request, obj):
        offering_delete(offering=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for offering in queryset:
            offering_delete(offering=offering, by=request.user)

    def get_deleted_objects(self, objs, request):
        return with_lock_protection(
            super().get_deleted_objects(objs, request), objs, lock_reasons_by_offering
        )

    @admin.action(
        description="Clone selected offerings (as drafts of their rates)", permissions=("add",)
    )
    def clone_selected(self, request, queryset):
        for offering in queryset:
            copy = offering_clone(offering=offering, by=request.user)
            self.message_user(request, f"{offering} cloned as {copy}.", messages.SUCCESS)

    @admin.action(description="Inactivate selected offerings", permissions=("change",))
    def inactivate_selected(self, request, queryset):
        for offering in queryset:
            offering_inactivate(offering=offering, by=request.user, reason="inactivated in admin")
        self.message_user(request, f"{queryset.count()} offering(s) inactivated.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/clone/", view(self.clone_view), name="pricing_offering_clone"),
            path("<path:object_id>/audit/", view(self.audit_view), name="pricing_offering_audit"),
            *super().get_urls(),
        ]

    def clone_view(self, request, object_id):
        offering = self.get_object(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CloneForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                copy = offering_clone(
                    offering=offering,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"Cloned as {copy}; its rates are drafts.")
                return redirect("admin:pricing_offering_change", copy.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": offering,
            "form": form,
            "title": f"Clone {offering}",
        }
        return TemplateResponse(request, "admin/pricing/offering/clone.html", context)

    def audit_view(self, request, object_id):
        offering = self.get_object(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": offering,
            "title": f"Audit trail: {offering}",
            "audit": offering_audit(offering),
        }
        return TemplateResponse(request, "admin/pricing/offering/audit.html", context)


# --- Rates ---------------------------------------------------------------------------


class PriceBookItemInline(ScopedTabularInline):
    """Read-only summary; a price is edited on its own page with its intervals and tiers."""

    model = PriceBookItem
    fields = ("item", "charge_model", "pricing_type")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rate)
class RateAdmin(ServiceWritesAdminMixin, ActingUserAdminMixin, ScopedAdmin):
    form = RateForm
    actions = ("activate_selected", "inactivate_selected")
    list_display = (
        "name",
        "offering",
        "currency",
        "billing_frequency",
        "sales_channel",
        "customer_group",
        "status",
    )
    list_select_related = ("offering", "sales_channel")
    list_editable = ("currency", "status")
    list_filter = ("status", "currency", "billing_frequency", ("offering", RelatedOnlyFilter))
    search_fields = ("name", "offering__name", "customer_group")
    autocomplete_fields = ("offering",)
    readonly_fields = ("add_price_link",)
    inlines = (PriceBookItemInline,)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "offering") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            created = rate_create(
                offering=form.cleaned_data["offering"],
                **{name: form.cleaned_data[name] for name in RATE_FIELDS},
                by=request.user,
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        # Through the service: the offering's row lock, and RATE_LOCKED re-checked under it.
        if changes := {name: form.cleaned_data[name] for name in form.changed_data}:
            rate_update(rate=obj, by=request.user, **changes)

    @admin.action(
        description="Activate selected rates (locks their offerings)", permissions=("change",)
    )
    def activate_selected(self, request, queryset):
        for rate in queryset:
            rate_activate(rate=rate, by=request.user)
        self.message_user(request, f"{queryset.count()} rate(s) activated.")

    @admin.action(description="Inactivate selected rates", permissions=("change",))
    def inactivate_selected(self, request, queryset):
        for rate in queryset:
            rate_inactivate(rate=rate, by=request.user)
        self.message_user(request, f"{queryset.count()} rate(s) inactivated.")

    def delete_model(self, request, obj):
        rate_delete(rate=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for rate in queryset:
            rate_delete(rate=rate, by=request.user)

    def get_deleted_objects(self, objs, request):
        return with_lock_protection(
            super().get_deleted_objects(objs, request), objs, rate_lock_reasons_by_rate
        )

    @admin.display(description="Prices")
    def add_price_link(self, rate):
        if not rate.pk:
            return "Save the rate first, then add its prices."
        url = reverse("admin:pricing_pricebookitem_add") + f"?rate={rate.pk}"
        return format_html('<a class="addlink" href="{}">Add a price book item</a>', url)


@admin.register(LockRefusal)
class LockRefusalAdmin(admin.ModelAdmin):
    """Read-only: what was refused on locked offerings (also on each offering's audit page)."""

    list_display = ("at", "offering", "user", "code", "attempted")
    list_select_related = ("offering", "user")
    list_filter = ("code",)
    search_fields = ("offering__name", "attempted")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Prices, quotes and contracts: their own modules, registered when this one is imported.
from pricing import admin_prices, admin_selling  # noqa: E402, F401
