"""The price book item admin: a price with its intervals and tiers on one page
(django-nested-admin), only the chosen charge model's fields shown, and a price preview."""

from __future__ import annotations

from functools import partial

import nested_admin
from django.contrib import admin
from django.urls import path

from catalog.admin_base import OwnRowsInlineMixin, RelatedOnlyFilter, ScopedAdmin
from catalog.admin_services import ServiceWritesAdminMixin
from catalog.errors import DomainError
from insights.curves_svg import price_curves_html
from insights.impact_admin import price_impact_view
from pricing.admin import ActingUserAdminMixin, with_lock_protection
from pricing.admin_pickers import PriceItemPickerMixin
from pricing.admin_preview import period_chart, preview_rows
from pricing.forms_prices import (
    PriceBookItemForm,
    PriceIntervalForm,
    PriceIntervalFormSet,
    PricePreviewForm,
    PriceTierForm,
    PriceTierFormSet,
)
from pricing.lock import rate_lock_reasons_by_rate
from pricing.models import PriceBookItem, PriceInterval, PriceTier
from pricing.price_words import price_in_words, reader_locale
from pricing.pricebook import REGISTRY
from pricing.pricebook.fields import REQUIRED, names
from pricing.rates import price_book_item_delete, price_book_item_save
from pricing.selectors import price_book_item_for_engine, price_preview

# --- Price book items, intervals and tiers ---------------------------------------------


def charge_model_fields() -> dict[str, list[str]]:
    """Each registered charge model's name and the field keys it reads, for the page's
    script (``static/pricing/charge_model_fields.js``), which shows only those."""
    return {name: sorted(model.fields) for name, model in REGISTRY.items()}


def price_page(request) -> dict:
    """What one request's price page shares between its main form and its formsets."""
    return request.__dict__.setdefault("price_page", {})


class PriceTierInline(OwnRowsInlineMixin, nested_admin.NestedTabularInline):
    model = PriceTier
    form = PriceTierForm
    formset = PriceTierFormSet
    fields = names("tier")
    extra = 0
    classes = ("tiers",)


class PriceIntervalInline(
    OwnRowsInlineMixin, ActingUserAdminMixin, nested_admin.NestedStackedInline
):
    model = PriceInterval
    form = PriceIntervalForm
    formset = PriceIntervalFormSet
    fields = (("sequence", "duration_unit", "duration"), names("interval"))
    inlines = (PriceTierInline,)
    # The sequence stays an editable number (``static/pricing/interval_order.js`` numbers new
    # rows, moves rows up and down, and renumbers after a drag); nested_admin's own 0-based
    # positions are not used.
    sortable_field_name = ""

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1  # a new price starts with one interval to fill in

    def get_queryset(self, request):
        # Every interval's tiers in one query, for their formsets (``PriceTierFormSet``).
        return super().get_queryset(request).prefetch_related("tiers")


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
    list_display = ("item", "rate", "charge_model", "pricing_type", "price_words")
    list_select_related = ("item", "rate__offering")
    list_filter = ("charge_model", "pricing_type", ("rate", RelatedOnlyFilter))
    search_fields = ("item__mpn", "item__name", "rate__name", "rate__offering__name")
    autocomplete_fields = ("rate", "item")
    inlines = (PriceIntervalInline,)

    def get_queryset(self, request):
        # The list's price column words each row from its intervals and tiers: two queries.
        return super().get_queryset(request).with_rows()

    @admin.display(description="Price")
    def price_words(self, pbi):
        return price_in_words(pbi, reader_locale())

    class Media:
        # Shows only the fields of the chosen charge model; without it, every field shows.
        js = ("pricing/charge_model_fields.js", "pricing/interval_order.js", "insights/impact.js")
        css = {"all": ("pricing/price_page.css",)}

    def get_urls(self):
        impact = self.admin_site.admin_view(partial(price_impact_view, self))
        return [
            path("<path:object_id>/impact/", impact, name="pricing_pricebookitem_impact"),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.page = price_page(request)
        return form

    def _create_formsets(self, request, obj, change):
        # Django builds the page's formsets after the main form but before it validates
        # it: the form class made for this request finds the interval formset on the page,
        # so its ``clean`` checks the whole price at once (``check_price_page``).
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        price_page(request)["intervals"] = next(
            (f for f in formsets if f.model is PriceInterval), None
        )
        return formsets, inline_instances

    def render_change_form(self, request, context, *args, **kwargs):
        context["charge_model_fields"] = charge_model_fields()  # add and change pages
        context["charge_model_required"] = sorted(REQUIRED)
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
        pbi = None
        if obj is not None and request.method == "GET":  # a save redirects: no charts to draw
            pbi = price_book_item_for_engine(obj.pk)
            extra_context["price_curves"] = price_curves_html(pbi)
        if pbi is not None and preview.is_bound and preview.is_valid():
            try:
                schedule = price_preview(pbi, **preview.cleaned_data)
            except (ValueError, DomainError) as exc:
                extra_context["preview_error"] = str(exc)
            else:
                start = preview.cleaned_data["start_date"]
                extra_context["schedule"] = schedule
                extra_context["schedule_rows"] = preview_rows(pbi, schedule, start=start)
                extra_context["chart"] = period_chart(schedule, preview.cleaned_data["periods"])
        return super().change_view(request, object_id, form_url, extra_context)
