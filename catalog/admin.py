"""Admin for vendor staff: every page scoped to the user's vendor (see ``admin_base``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from catalog.admin_base import RelatedOnlyFilter, ScopedAdmin, ScopedTabularInline
from catalog.admin_hints import PlanPriceHintsMixin
from catalog.admin_pages import GENERATOR_HELP, TREE_HELP, BackToOfferMixin, render_tree
from catalog.admin_services import RowServiceAdmin
from catalog.forms import VARIATION_FIELDS, OfferForm, ProductForm
from catalog.models import (
    AddOnRequirement,
    Distributor,
    Feature,
    FeatureGroup,
    FeatureGroupTranslation,
    FeatureTranslation,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Membership,
    Offer,
    OfferTranslation,
    Plan,
    PlanFeature,
    PlanItem,
    PlanTranslation,
    Product,
    Vendor,
)
from catalog.pickers import (
    PickerSearchMixin,
    forward,
    forwarded,
)
from catalog.selectors import product_variation_tree
from catalog.services import offer_page_save, product_page_save
from catalog.validators import locale_choices
from exchange.admin_views import export_catalog_and_prices


class CatalogAdmin(RowServiceAdmin, ScopedAdmin):
    """A scoped admin page whose writes, with its inlines, are one service call."""


# --- Organizations -------------------------------------------------------------------------


@admin.register(Vendor)
class VendorAdmin(CatalogAdmin):
    list_display = ("name", "slug")
    actions = (export_catalog_and_prices,)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Marketplace)
class MarketplaceAdmin(CatalogAdmin):
    list_display = ("name", "code", "currency", "countries")
    list_filter = ("currency",)
    search_fields = ("name", "code")


@admin.register(Distributor)
class DistributorAdmin(CatalogAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    filter_horizontal = ("marketplaces",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(CatalogAdmin):
    list_display = ("user", "vendor", "distributor")
    list_select_related = ("user", "vendor", "distributor")
    list_filter = (
        ("vendor", RelatedOnlyFilter),
        ("distributor", RelatedOnlyFilter),
    )
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        # Memberships are the platform admin's business; nobody else has the permission.
        return super(ScopedAdmin, self).get_queryset(request)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    max_num = 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class CatalogUserAdmin(RowServiceAdmin, UserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "email", "is_staff", "is_superuser", "organization")
    list_select_related = ("membership__vendor", "membership__distributor")

    @admin.display(description="Organization")
    def organization(self, user):
        membership = getattr(user, "membership", None)
        return (membership.vendor or membership.distributor) if membership else "—"


# --- Products and items ------------------------------------------------------------------


class ProductGroupChoiceMixin:
    """The item-group select of an inline offers this product's groups only, plainly."""

    group_field: str

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields[self.group_field]
        field.queryset = obj.item_groups.with_paths() if obj else ItemGroup.objects.none()
        field.widget.can_add_related = field.widget.can_change_related = False
        field.widget.can_delete_related = field.widget.can_view_related = False
        return formset


class ItemInline(ProductGroupChoiceMixin, ScopedTabularInline):
    model = Item
    fields = ("mpn", "name", "kind", "billing_period", "group", "status")
    show_change_link = True
    group_field = "group"


class ItemGroupInline(ProductGroupChoiceMixin, ScopedTabularInline):
    model = ItemGroup
    fields = ("name", "parent", "position")
    fk_name = "product"
    group_field = "parent"

    def get_queryset(self, request):
        return super().get_queryset(request).with_paths()  # each row titled by its path


@admin.register(Product)
class ProductAdmin(CatalogAdmin):
    list_display = ("name", "vendor", "category", "status")
    list_select_related = ("vendor",)
    list_filter = ("status", ("vendor", RelatedOnlyFilter), "category")
    search_fields = ("name", "category", "description")
    form = ProductForm
    readonly_fields = ("variation_tree",)
    fieldsets = (
        (None, {"fields": ("vendor", "name", "description", "category", "status")}),
        ("Variation tree", {"fields": ("variation_tree",), "description": TREE_HELP}),
        (
            "Generate variations",
            {"fields": VARIATION_FIELDS, "description": GENERATOR_HELP, "classes": ("generator",)},
        ),
    )
    inlines = (ItemInline, ItemGroupInline)

    def save_page(self, request, form, writes):
        # The product, its item and group rows, then the variations asked for: one service call.
        created = product_page_save(writes=writes, variations=form.variations, by=request.user)
        if created:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item was generated.", "%(count)d items were generated.", len(created)
                )
                % {"count": len(created)},
                messages.SUCCESS,
            )

    @admin.display(description="Variation tree")
    def variation_tree(self, product):
        if not product.pk:
            return "—"
        roots, loose = product_variation_tree(product)
        tree = render_tree(roots)
        if loose:
            tree += format_html(
                "<p>Not in a group: {}</p>",
                format_html_join(", ", "{} [{}]", ((i.name, i.mpn) for i in loose)),
            )
        return mark_safe(f"<div class='variation-tree'>{tree}</div>") if tree else "—"


@admin.register(ItemGroup)
class ItemGroupAdmin(PickerSearchMixin, CatalogAdmin):
    list_display = ("__str__", "name", "product", "position")
    list_select_related = ("product",)
    list_filter = (("product", RelatedOnlyFilter),)
    search_fields = ("name", "product__name")
    autocomplete_fields = ("product", "parent")

    def get_queryset(self, request):
        return super().get_queryset(request).with_paths()  # "Shirt › Red › Size M"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:  # the search offers its product's groups, less its own subtree
            forward(
                form.base_fields["parent"],
                ItemGroup.objects.visible_to(request.user).with_paths(),
                product=obj.product_id,
                group=obj.pk,
            )
        return form


class LocaleChoiceMixin:
    """The locale is chosen from the codes the validator accepts, not typed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != "locale":
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        return forms.ChoiceField(
            label="Locale",
            choices=[("", "Choose a language…"), *locale_choices()],
            help_text="The language (and region) of this name and description.",
            error_messages={
                "invalid_choice": "%(value)s is not a known locale code (use e.g. en, de, fr-CA)."
            },
        )


class ItemTranslationInline(LocaleChoiceMixin, ScopedTabularInline):
    model = ItemTranslation
    fields = ("locale", "name", "description")


class ItemPathInline(ScopedTabularInline):
    model = ItemPath
    fk_name = "source"
    fields = ("kind", "target")
    autocomplete_fields = ("target",)
    verbose_name = "upgrade or downgrade path"
    verbose_name_plural = "upgrade and downgrade paths"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # the search offers what a path from this item may lead to
            forward(formset.form.base_fields["target"], item=obj.pk)
        return formset


class AddOnRequirementInline(ScopedTabularInline):
    model = AddOnRequirement
    fk_name = "addon"
    fields = ("base",)
    autocomplete_fields = ("base",)
    verbose_name = "required base item (add-on of)"
    verbose_name_plural = "required base items: this add-on is bought alongside one of them"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # the search offers the items this add-on may require
            forward(formset.form.base_fields["base"], item=obj.pk)
        return formset


@admin.register(Item)
class ItemAdmin(PickerSearchMixin, CatalogAdmin):
    list_display = ("mpn", "name", "product", "kind", "billing_period", "status")
    list_select_related = ("product",)
    list_filter = ("kind", "status", "billing_period", ("product", RelatedOnlyFilter))
    search_fields = ("mpn", "name", "product__name")
    autocomplete_fields = ("product", "group")
    inlines = (ItemTranslationInline, ItemPathInline, AddOnRequirementInline)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # An item stays in its product: the search offers that product's groups (a group of
        # another product is refused by the item's own check, with its reason).
        product_id = obj.product_id if obj is not None else forwarded(request, "product")
        groups = ItemGroup.objects.visible_to(request.user).with_paths()
        params = {"product": product_id} if product_id else {}
        forward(form.base_fields["group"], groups, **params)
        return form


@admin.register(ItemTranslation)
class ItemTranslationAdmin(LocaleChoiceMixin, CatalogAdmin):
    list_display = ("item", "locale", "name")
    list_select_related = ("item",)
    list_filter = ("locale",)
    search_fields = ("name", "item__mpn", "item__name")
    autocomplete_fields = ("item",)


@admin.register(ItemPath)
class ItemPathAdmin(CatalogAdmin):
    list_display = ("source", "kind", "target")
    list_select_related = ("source", "target")
    list_filter = ("kind",)
    search_fields = ("source__mpn", "target__mpn", "source__name", "target__name")
    autocomplete_fields = ("source", "target")


@admin.register(AddOnRequirement)
class AddOnRequirementAdmin(CatalogAdmin):
    list_display = ("addon", "base")
    list_select_related = ("addon", "base")
    search_fields = ("addon__mpn", "base__mpn", "addon__name", "base__name")
    autocomplete_fields = ("addon", "base")


# --- Offers, plans and features ----------------------------------------------------------


class PlanInline(ScopedTabularInline):
    model = Plan
    fields = ("name", "position", "description")
    show_change_link = True


class FeatureGroupInline(ScopedTabularInline):
    model = FeatureGroup
    fields = ("name", "position")
    show_change_link = True


class OfferTranslationInline(ScopedTabularInline):
    model = OfferTranslation
    fields = ("locale", "name", "description")


class PlanTranslationInline(ScopedTabularInline):
    model = PlanTranslation
    fields = ("locale", "name", "description")


class FeatureGroupTranslationInline(ScopedTabularInline):
    model = FeatureGroupTranslation
    fields = ("locale", "name")


class FeatureTranslationInline(ScopedTabularInline):
    model = FeatureTranslation
    fields = ("locale", "name")


class ListingFormSet(BaseInlineFormSet):
    """Two rows for one marketplace: the second is refused by name, not as "duplicate data"."""

    def validate_unique(self):
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            marketplace = form.cleaned_data.get("marketplace")
            if marketplace is None:
                continue
            if marketplace.pk in seen:
                form.add_error("marketplace", Listing.duplicate_message(marketplace))
            seen.add(marketplace.pk)


class ListingInline(ScopedTabularInline):
    model = Listing
    formset = ListingFormSet
    fields = ("marketplace", "status")


@admin.register(Offer)
class OfferAdmin(PlanPriceHintsMixin, CatalogAdmin):
    form = OfferForm
    readonly_fields = ("unpriced_plans",)
    list_display = ("name", "product")
    list_select_related = ("product",)
    list_filter = (("product", RelatedOnlyFilter),)
    search_fields = ("name", "product__name")
    autocomplete_fields = ("product",)
    inlines = (PlanInline, FeatureGroupInline, ListingInline, OfferTranslationInline)
    fieldsets = (
        (None, {"fields": ("product", "name", "description")}),
        (
            "Add features",
            {
                "fields": ("add_features_to", "new_features"),
                "description": "Features are the rows of the matrix below, in groups. Type "
                "new ones here, one per line, and save: they appear in the matrix.",
            },
        ),
        ("Prices on marketplaces", {"fields": ("unpriced_plans",)}),
    )

    def save_page(self, request, form, writes):
        # The offer, its inline rows, new features and the matrix cells, in one service call.
        offer_page_save(
            writes=writes,
            cells=form.matrix_cells(),
            new_features=form.features_to_add(),
            by=request.user,
        )


class PlanItemInline(ScopedTabularInline):
    model = PlanItem
    fields = ("item", "quantity")
    autocomplete_fields = ("item",)


@admin.register(Plan)
class PlanAdmin(CatalogAdmin):
    list_display = ("name", "offer", "position")
    list_select_related = ("offer__product",)
    list_filter = (("offer", RelatedOnlyFilter),)
    search_fields = ("name", "offer__name", "offer__product__name")
    autocomplete_fields = ("offer", "offering")
    inlines = (PlanItemInline, PlanTranslationInline)


@admin.register(PlanItem)
class PlanItemAdmin(CatalogAdmin):
    list_display = ("plan", "item", "quantity")
    list_select_related = ("plan", "item")
    search_fields = ("plan__name", "item__mpn", "item__name")
    autocomplete_fields = ("plan", "item")


class FeatureInline(ScopedTabularInline):
    model = Feature
    fields = ("name", "position")


@admin.register(FeatureGroup)
class FeatureGroupAdmin(BackToOfferMixin, CatalogAdmin):
    list_display = ("name", "offer", "position")
    list_select_related = ("offer__product",)
    list_filter = (("offer", RelatedOnlyFilter),)
    search_fields = ("name", "offer__name")
    autocomplete_fields = ("offer",)
    inlines = (FeatureInline, FeatureGroupTranslationInline)

    def offer_id_of(self, group) -> int:
        return group.offer_id


@admin.register(Feature)
class FeatureAdmin(BackToOfferMixin, CatalogAdmin):
    list_display = ("name", "group", "position")
    list_select_related = ("group",)
    search_fields = ("name", "group__name")
    autocomplete_fields = ("group",)
    inlines = (FeatureTranslationInline,)

    def offer_id_of(self, feature) -> int:
        return FeatureGroup.objects.values_list("offer_id", flat=True).get(pk=feature.group_id)


@admin.register(PlanFeature)
class PlanFeatureAdmin(CatalogAdmin):
    list_display = ("plan", "feature", "included", "text")
    list_select_related = ("plan", "feature")
    list_filter = ("included",)
    search_fields = ("plan__name", "feature__name", "text")
    autocomplete_fields = ("plan", "feature")


@admin.register(Listing)
class ListingAdmin(PlanPriceHintsMixin, CatalogAdmin):
    readonly_fields = ("unpriced_plans",)
    list_display = ("offer", "marketplace", "status")
    list_select_related = ("offer__product", "marketplace")
    list_editable = ("status",)
    list_filter = ("status", ("marketplace", RelatedOnlyFilter))
    search_fields = ("offer__name", "offer__product__name", "marketplace__name")
    autocomplete_fields = ("offer",)
