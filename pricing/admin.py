"""Admin for offerings, rates and price book items, scoped to the user's vendor."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog.admin_base import (
    RelatedOnlyFilter,
    ScopedAdmin,
    ScopedTabularInline,
)
from catalog.admin_services import ServiceWritesAdminMixin
from insights.admin_diff import inactivate_with_diffs
from pricing.admin_offering_pages import (
    OfferingLockViewMixin,
    OfferingPagesMixin,
    lock_state_of,
)
from pricing.admin_rate_activation import RateActivationMixin, activates
from pricing.audit import offering_audit
from pricing.clone import offering_clone
from pricing.forms import (
    OfferingForm,
    OfferingItemForm,
    OfferingItemFormSet,
    RateForm,
    RateRowForm,
)
from pricing.lock import (
    lock_badge,
    lock_reasons_by_offering,
    rate_lock_reasons_by_rate,
    with_lock_flag,
)
from pricing.models import (
    LockRefusal,
    Offering,
    OfferingItem,
    OfferingItemScope,
    PriceBookItem,
    Rate,
)
from pricing.price_words import price_in_words, reader_locale
from pricing.rates import (
    RateChange,
    rate_create,
    rate_delete,
    rate_inactivate,
    rate_update,
)
from pricing.services import (
    offering_delete,
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
        form.proposal_only = getattr(request, "proposal_only", False)
        return form

    def get_changelist_form(self, request, **kwargs):
        # list_editable rows are checked by the same form as the change page.
        form = super().get_changelist_form(request, form=self.form, **kwargs)
        form.acting_user = request.user
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.acting_user = request.user
        formset.proposal_only = getattr(request, "proposal_only", False)
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

    def get_queryset(self, request):
        # Each row's item kind and application list without a query per row.
        return (
            super()
            .get_queryset(request)
            .select_related("item")
            .prefetch_related(Prefetch("scopes", OfferingItemScope.objects.order_by("pk")))
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        from pricing.admin_pickers import scope_choices

        formset.form.base_fields["scope"].queryset = scope_choices(request.user, obj)
        return formset


def prices_in_words(rate: Rate) -> str:
    """A rate's prices, one line per item: "MPN: the price in words" (prefetched)."""
    prices = rate.price_book_items.all()
    if not prices:
        return "No prices yet."
    locale = reader_locale()
    return format_html_join(
        "", "<div>{}: {}</div>", ((pbi.item.mpn, price_in_words(pbi, locale)) for pbi in prices)
    )


class RateInline(ActingUserAdminMixin, ScopedTabularInline):
    model = Rate
    form = RateRowForm
    fields = (*RATE_FIELDS, "prices")
    readonly_fields = ("prices",)
    show_change_link = True

    def get_queryset(self, request):
        prices = PriceBookItem.objects.select_related("item", "rate").with_rows().order_by("pk")
        rates = super().get_queryset(request).select_related("offering")  # a row's name
        return rates.prefetch_related(Prefetch("price_book_items", prices))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "sales_channel":
            # Read once for the page: each row's select copies the list, not the query.
            # What is posted is still checked against the (scoped) queryset.
            field.choices = list(field.choices)
        return field

    @admin.display(description="Prices")
    def prices(self, rate):
        return prices_in_words(rate) if rate.pk else "—"


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


@admin.register(Offering)
class OfferingAdmin(
    OfferingPagesMixin,
    OfferingLockViewMixin,
    ServiceWritesAdminMixin,
    ActingUserAdminMixin,
    ScopedAdmin,
):
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

    class Media:
        # Shows an item row's "applies to" list only for a commitment or a percent of total.
        js = ("pricing/offering_scope.js",)
        css = {"all": ("pricing/offering.css",)}

    def get_queryset(self, request):
        return with_lock_flag(super().get_queryset(request))

    @admin.display(description="Lock", boolean=False, ordering="locked")
    def lock_badge(self, offering):
        label, css = lock_badge(offering.locked, offering.status)
        return format_html('<span class="{}">{}</span>', css, label)

    @admin.display(description="Lock status")
    def lock_status(self, offering):
        if not offering.pk:
            return "—"
        lock = lock_state_of(offering)
        urls = (
            reverse("admin:pricing_offering_prices", args=[offering.pk]),
            reverse("admin:pricing_offering_audit", args=[offering.pk]),
            reverse("admin:pricing_offering_clone", args=[offering.pk]),
            reverse("admin:insights_offering_diff", args=[offering.pk]),
        )
        links = format_html(
            '<a href="{}">Price sheet</a> · <a href="{}">Audit trail</a> · <a href="{}">Clone…</a>'
            ' · <a href="{}">Compare with…</a>',
            *urls,
        )
        if not lock.locked:
            return format_html("{} {}", lock.headline, links)
        # The reasons are the banner's, at the top of the page.
        if lock.retired:  # held by what was sold, not in use: changes still answer the code
            return format_html(
                "{} (see above); a change is refused with <strong>OFFERING_LOCKED</strong>. {}",
                lock.headline,
                links,
            )
        return format_html(
            "<strong>OFFERING_LOCKED</strong>: {} (see the reasons above) {}", lock.headline, links
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)  # the lock's, when locked
        return (*fields, "vendor") if obj else fields

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
        # A page with each original's diff against its clones first; then, confirmed, the service.
        return inactivate_with_diffs(self, request, queryset)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.offering_urls(),
            path("<path:object_id>/audit/", view(self.audit_view), name="pricing_offering_audit"),
            *super().get_urls(),
        ]

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
    fields = ("item", "charge_model", "pricing_type", "price")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "rate").with_rows()

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Price")
    def price(self, pbi):
        return price_in_words(pbi, reader_locale())


@admin.register(Rate)
class RateAdmin(RateActivationMixin, ServiceWritesAdminMixin, ActingUserAdminMixin, ScopedAdmin):
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
        self.check_activation_confirmed(request, obj, form)  # activating locks: ask first
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

    def save_list_row(self, request, obj, form):
        if activates(form):  # the list cannot ask first; the action and the rate page do
            raise ValidationError(
                "activating a rate locks its offering; use the rate's page or the "
                '"Activate selected rates" action, which say what locks first.'
            )
        super().save_list_row(request, obj, form)

    @admin.action(
        description="Activate selected rates (locks their offerings)", permissions=("change",)
    )
    def activate_selected(self, request, queryset):
        return self.activate_rates(request, queryset)

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
