"""The price book item admin: a price with its intervals and tiers on one page
(django-nested-admin), only the chosen charge model's fields shown, and a price preview."""

from __future__ import annotations

import nested_admin
from django.contrib import admin

from catalog.admin_base import OwnRowsInlineMixin, RelatedOnlyFilter, ScopedAdmin
from catalog.admin_services import ServiceWritesAdminMixin
from catalog.errors import DomainError
from pricing.admin import ActingUserAdminMixin, with_lock_protection
from pricing.admin_pickers import PriceItemPickerMixin
from pricing.forms import (
    PriceBookItemForm,
    PriceIntervalFormSet,
    PricePreviewForm,
    PriceTierFormSet,
)
from pricing.lock import rate_lock_reasons_by_rate
from pricing.models import PriceBookItem, PriceInterval, PriceTier
from pricing.pricebook import REGISTRY
from pricing.pricebook.fields import names
from pricing.pricebook.schedule import CHARGE, MAXIMUM, MINIMUM, PERCENT, ScheduleLine
from pricing.rates import price_book_item_delete, price_book_item_save
from pricing.selectors import price_book_item_for_engine, price_preview

# --- Price book items, intervals and tiers ---------------------------------------------

LINE_KINDS = {CHARGE: "charge", MINIMUM: "minimum top-up", MAXIMUM: "maximum cap"}


def charge_model_fields() -> dict[str, list[str]]:
    """Each registered charge model's name and the field keys it reads, for the page's
    script (``static/pricing/charge_model_fields.js``), which shows only those."""
    return {name: sorted(model.fields) for name, model in REGISTRY.items()}


def schedule_line_what(line: ScheduleLine) -> str:
    """What a preview line bills: a charge, a minimum top-up, a maximum cap, or a percentage
    of other lines ("10 % of 120.00": the percentage as a number, never as money)."""
    if line.kind == PERCENT:
        percent = format(line.percent.normalize(), "f") if line.percent is not None else "?"
        return f"{percent} % of {line.base}"
    return LINE_KINDS.get(line.kind, line.kind)


class PriceTierInline(OwnRowsInlineMixin, nested_admin.NestedTabularInline):
    model = PriceTier
    formset = PriceTierFormSet
    fields = names("tier")
    extra = 0
    classes = ("tiers",)


class PriceIntervalInline(
    OwnRowsInlineMixin, ActingUserAdminMixin, nested_admin.NestedStackedInline
):
    model = PriceInterval
    formset = PriceIntervalFormSet
    fields = (("sequence", "duration_unit", "duration"), names("interval"))
    inlines = (PriceTierInline,)
    sortable_field_name = ""

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1  # a new price starts with one interval to fill in


@admin.register(PriceBookItem)
class PriceBookItemAdmin(
    PriceItemPickerMixin,
    ServiceWritesAdminMixin,
    ActingUserAdminMixin,
    nested_admin.NestedModelAdminMixin,
    ScopedAdmin,
):
    form = PriceBookItemForm
    change_form_template = "admin/pricing/pricebookitem/change_form.html"
    list_display = ("item", "rate", "charge_model", "pricing_type")
    list_select_related = ("item", "rate__offering")
    list_filter = ("charge_model", "pricing_type", ("rate", RelatedOnlyFilter))
    search_fields = ("item__mpn", "item__name", "rate__name", "rate__offering__name")
    autocomplete_fields = ("rate", "item")
    inlines = (PriceIntervalInline,)

    class Media:
        # Shows only the fields of the chosen charge model; without it, every field shows.
        js = ("pricing/charge_model_fields.js",)

    def render_change_form(self, request, context, *args, **kwargs):
        context["charge_model_fields"] = charge_model_fields()  # add and change pages
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` saves the price with its intervals, as one."""

    def save_related(self, request, form, formsets, change):
        # The price, its intervals and tiers are written whole by the service, under the
        # offering's row lock, with RATE_LOCKED re-checked there.
        intervals = next(formset for formset in formsets if formset.model is PriceInterval)
        nested = [n for f in intervals.forms for n in getattr(f, "nested_formsets", [])]
        for formset in (*formsets, *nested):  # the change message reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if change and not form.has_changed() and not intervals.touched():
            return
        data = form.cleaned_data
        saved = price_book_item_save(
            rate=data["rate"],
            item=data["item"],
            charge_model=data["charge_model"],
            pricing_type=data["pricing_type"],
            intervals=intervals.interval_specs(),
            custom_attributes=data["custom_attributes"],
            **{name: data.get(name) for name in names("price")},
            instance=PriceBookItem.objects.get(pk=form.instance.pk) if change else None,
            by=request.user,
        )
        form.instance.pk = saved.pk  # the admin's messages and redirect need it
        form.instance._state.adding = False

    def delete_model(self, request, obj):
        price_book_item_delete(pbi=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for pbi in queryset:
            price_book_item_delete(pbi=pbi, by=request.user)

    def get_deleted_objects(self, objs, request):
        return with_lock_protection(
            super().get_deleted_objects(objs, request),
            objs,
            rate_lock_reasons_by_rate,
            key=lambda pbi: pbi.rate_id,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        preview = PricePreviewForm(request.GET if "quantity" in request.GET else None)
        extra_context["preview_form"] = preview
        if preview.is_bound and preview.is_valid():
            pbi = price_book_item_for_engine(obj.pk)
            try:
                schedule = price_preview(pbi, **preview.cleaned_data)
            except (ValueError, DomainError) as exc:
                extra_context["preview_error"] = str(exc)
            else:
                extra_context["schedule"] = schedule
                extra_context["schedule_rows"] = [
                    (line, schedule_line_what(line)) for line in schedule.lines
                ]
        return super().change_view(request, object_id, form_url, extra_context)
