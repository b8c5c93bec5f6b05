"""Admin for offerings, rates and price book items, scoped to the user's vendor."""

from __future__ import annotations

import nested_admin
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from catalog.admin_base import RelatedOnlyFilter, ScopedAdmin, ScopedTabularInline
from pricing.forms import (
    OfferingItemForm,
    OfferingItemFormSet,
    PriceBookItemForm,
    PriceIntervalFormSet,
    PricePreviewForm,
    PriceTierFormSet,
)
from pricing.models import (
    Offering,
    OfferingItem,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Rate,
)
from pricing.selectors import price_book_item_for_engine, price_preview
from pricing.services import offering_set_items

# --- Offerings -------------------------------------------------------------------------


class OfferingItemInline(ScopedTabularInline):
    model = OfferingItem
    form = OfferingItemForm
    formset = OfferingItemFormSet
    fields = ("item", "default_quantity", "required", "scope")
    autocomplete_fields = ("item",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        from catalog.models import Item

        formset.form.base_fields["scope"].queryset = Item.objects.visible_to(request.user)
        return formset


class RateInline(ScopedTabularInline):
    model = Rate
    fields = ("name", "currency", "billing_frequency", "sales_channel", "customer_group", "status")
    show_change_link = True


@admin.register(Offering)
class OfferingAdmin(ScopedAdmin):
    list_display = ("name", "vendor", "type", "status", "start_date", "end_date")
    list_select_related = ("vendor",)
    list_filter = ("type", "status", ("vendor", RelatedOnlyFilter))
    search_fields = ("name", "description")
    date_hierarchy = "start_date"
    inlines = (OfferingItemInline, RateInline)

    def save_formset(self, request, form, formset, change):
        if formset.model is not OfferingItem:
            return super().save_formset(request, form, formset, change)
        # The items are written by the service, as a whole, under the offering's row lock.
        offering_set_items(offering=form.instance, lines=formset.wanted_lines(), by=request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


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
class RateAdmin(ScopedAdmin):
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
    list_filter = ("status", "currency", "billing_frequency", ("offering", RelatedOnlyFilter))
    search_fields = ("name", "offering__name", "customer_group")
    autocomplete_fields = ("offering",)
    readonly_fields = ("add_price_link",)
    inlines = (PriceBookItemInline,)

    @admin.display(description="Prices")
    def add_price_link(self, rate):
        if not rate.pk:
            return "Save the rate first, then add its prices."
        url = reverse("admin:pricing_pricebookitem_add") + f"?rate={rate.pk}"
        return format_html('<a class="addlink" href="{}">Add a price book item</a>', url)


# --- Price book items, intervals and tiers ---------------------------------------------


class PriceTierInline(nested_admin.NestedTabularInline):
    model = PriceTier
    formset = PriceTierFormSet
    fields = ("start_unit", "end_unit", "price", "price_format")
    extra = 0
    classes = ("tiers",)


class PriceIntervalInline(nested_admin.NestedStackedInline):
    model = PriceInterval
    formset = PriceIntervalFormSet
    fields = (
        ("sequence", "duration_unit", "duration"),
        ("price", "included_units", "overage_price"),
    )
    inlines = (PriceTierInline,)
    sortable_field_name = ""

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1  # a new price starts with one interval to fill in


@admin.register(PriceBookItem)
class PriceBookItemAdmin(nested_admin.NestedModelAdminMixin, ScopedAdmin):
    form = PriceBookItemForm
    change_form_template = "admin/pricing/pricebookitem/change_form.html"
    list_display = ("item", "rate", "charge_model", "pricing_type")
    list_select_related = ("item", "rate__offering")
    list_filter = ("charge_model", "pricing_type", ("rate", RelatedOnlyFilter))
    search_fields = ("item__mpn", "item__name", "rate__name", "rate__offering__name")
    autocomplete_fields = ("rate", "item")
    inlines = (PriceIntervalInline,)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        preview = PricePreviewForm(request.GET if "quantity" in request.GET else None)
        extra_context["preview_form"] = preview
        if preview.is_bound and preview.is_valid():
            pbi = price_book_item_for_engine(obj.pk)
            try:
                extra_context["schedule"] = price_preview(pbi, **preview.cleaned_data)
            except ValueError as exc:
                extra_context["preview_error"] = str(exc)
        return super().change_view(request, object_id, form_url, extra_context)
