"""The listings index's GET form: search and filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext, pgettext_lazy

from portal.selectors import FilterChoices, ListingFilters


class ListingFilterForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("portal", "Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "q-hint"}),
    )
    marketplace = forms.TypedChoiceField(
        label=pgettext_lazy("portal", "Marketplace"), required=False, coerce=int, empty_value=None
    )
    vendor = forms.TypedChoiceField(
        label=pgettext_lazy("portal", "Vendor"), required=False, coerce=int, empty_value=None
    )
    product = forms.TypedChoiceField(
        label=pgettext_lazy("portal", "Product"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, choices: FilterChoices) -> None:
        super().__init__(data)
        self.fields["marketplace"].choices = [("", pgettext("portal", "All marketplaces"))] + [
            (marketplace.pk, f"{marketplace.name} ({marketplace.currency})")
            for marketplace in choices.marketplaces
        ]
        self.fields["vendor"].choices = [("", pgettext("portal", "All vendors"))] + [
            (vendor.pk, vendor.name) for vendor in choices.vendors
        ]
        self.more_products = choices.more_products
        self.more_vendors = choices.more_vendors
        several_vendors = len({product.vendor_id for product in choices.products}) > 1
        self.fields["product"].choices = [("", pgettext("portal", "All products"))] + [
            (
                product.pk,
                f"{product.name} ({product.vendor.name})" if several_vendors else product.name,
            )
            for product in choices.products
        ]

    @staticmethod
    def asked(data) -> dict[str, int | None]:
        """The vendor and product asked for, as ids (anything else: none), which the
        choices depend on: a vendor's products, and the chosen product among too many."""
        found = {}
        for name in ("vendor", "product"):
            value = str(data.get(name) or "")
            found[name] = int(value) if value.isdigit() and len(value) < 19 else None
        return found

    def filters(self) -> ListingFilters:
        """The valid part of the query: a tampered value is ignored, not an error page."""
        self.is_valid()
        data = self.cleaned_data
        return ListingFilters(
            q=(data.get("q") or "").strip(),
            marketplace=data.get("marketplace"),
            vendor=data.get("vendor"),
            product=data.get("product"),
        )
