"""Admin forms and formsets for pricing; every rule they check is a service-layer function."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from nested_admin.formsets import NestedInlineFormSet

from catalog.forms import BoundedJSONField
from catalog.models import Item
from pricing.bounds import MAX_PERIODS
from pricing.models import Offering, OfferingItem, PriceBookItem, Rate
from pricing.pricebook.fields import names
from pricing.pricebook.validation import IntervalSpec, PriceSpec, interval_spec, price_problems
from pricing.rates import RATE_ALWAYS_EDITABLE, is_duplicate_price_book_item, item_outside_offering
from pricing.refusals import refusal_for
from pricing.rules import SCOPED_KINDS, custom_attribute_problems
from pricing.services import (
    ALWAYS_EDITABLE,
    REASON_MAX_LENGTH,
    OfferingLine,
    items_differ,
    set_items_problems,
)


class ActingUserMixin:
    """The admin sets ``acting_user`` on the form or formset class, so refusals name who tried."""

    acting_user = None

    def refuse_if_locked(self, *, attempted: str, **target) -> None:
        """A recorded OFFERING_LOCKED / RATE_LOCKED refusal, raised as a form error."""
        if exc := refusal_for(attempted=attempted, by=self.acting_user, **target):
            raise ValidationError(f"{exc.code}: {exc}", code=exc.code)


class LockedFieldsForm(ActingUserMixin, forms.ModelForm):
    """Fields outside ``always_editable`` may change only while the object is not locked."""

    always_editable: frozenset[str] = frozenset()
    lock_target: str  # "offering" or "rate": what refusal_for checks

    def clean(self):
        data = super().clean()
        frozen = [name for name in self.changed_data if name not in self.always_editable]
        if self.instance.pk and frozen:
            self.refuse_if_locked(
                attempted=f"change {', '.join(frozen)}", **{self.lock_target: self.instance}
            )
        return data


class OfferingForm(LockedFieldsForm):
    always_editable = frozenset(ALWAYS_EDITABLE)
    lock_target = "offering"

    class Meta:
        model = Offering
        fields = ("vendor", "name", "description", "status", "type", "start_date", "end_date")


class RateForm(LockedFieldsForm):
    always_editable = frozenset(RATE_ALWAYS_EDITABLE)
    lock_target = "rate"

    class Meta:
        model = Rate
        fields = (
            "offering",
            "name",
            "currency",
            "billing_frequency",
            "sales_channel",
            "customer_group",
            "status",
        )


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class OfferingItemForm(forms.ModelForm):
    scope = forms.ModelMultipleChoiceField(
        queryset=Item.objects.none(),
        required=False,
        label="Applies to",
        help_text="Minimum-commit and percent-of-total items: the items they apply to.",
    )

    class Meta:
        model = OfferingItem
        fields = ("item", "default_quantity", "required")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # ``scopes`` prefetched by the inline's queryset: no query per row.
            self.fields["scope"].initial = [scope.item_id for scope in self.instance.scopes.all()]
        if not (self.instance.pk and self.instance.item.kind in SCOPED_KINDS):
            # Shown only on a commitment's or percent's row (the page's script shows it when
            # such an item is picked on a new row); hidden, it still posts what it holds.
            self.fields["scope"].widget.attrs["hidden"] = True


class OfferingItemFormSet(ActingUserMixin, BaseInlineFormSet):
    """Checks the offering's items as a whole, with the offering's (posted) type."""

    def wanted_lines(self) -> list[OfferingLine]:
        return [
            OfferingLine(
                item=form.cleaned_data["item"],
                default_quantity=form.cleaned_data.get("default_quantity") or 0,
                required=bool(form.cleaned_data.get("required")),
                applies_to=tuple(form.cleaned_data.get("scope") or ()),
                line_id=form.instance.pk,
            )
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("item")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        offering = self.instance
        lines = self.wanted_lines()
        if offering.pk and items_differ(offering, lines):
            self.refuse_if_locked(offering=offering, attempted="change its items")
        if problems := set_items_problems(offering, offering.type, lines):
            raise ValidationError(problems)


class PriceBookItemForm(ActingUserMixin, forms.ModelForm):
    delivery_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Delivery model only: the weekdays deliveries happen on.",
    )

    class Meta:
        model = PriceBookItem
        fields = ("rate", "item", "charge_model", "pricing_type", "custom_attributes")
        fields += names("price")
        field_classes = {"custom_attributes": BoundedJSONField}

    def clean(self):
        data = super().clean()
        rate, item = data.get("rate"), data.get("item")
        touched = self.instance.rate if self.instance.pk else rate
        if touched and (not self.instance.pk or self.has_changed()):
            self.refuse_if_locked(rate=touched, attempted="change a price")
        attributes = data.get("custom_attributes")
        if attributes is None:
            attributes = data["custom_attributes"] = {}
        if problems := custom_attribute_problems(attributes):
            self.add_error("custom_attributes", problems)
        if rate and item:
            if item_outside_offering(rate=rate, item=item):
                self.add_error("item", "The item is not part of this rate's offering.")
            elif not problems and is_duplicate_price_book_item(
                rate=rate, item=item, custom_attributes=attributes, exclude_pk=self.instance.pk
            ):
                self.add_error(
                    "item",
                    "This item already has a price with these custom attributes in a rate of "
                    "the same currency, billing frequency, channel and customer group.",
                )
        return data


def _live(formset):
    """The forms of a formset that are filled in and not being deleted."""
    formset.is_valid()
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


class EveryRowCountsFormSet(NestedInlineFormSet):
    """A row left at its defaults (an Infinity interval at 0, a 0-∞ tier) is still a row."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["empty_permitted"] = False
        return kwargs


class PriceTierFormSet(EveryRowCountsFormSet):
    pass


class PriceIntervalFormSet(ActingUserMixin, EveryRowCountsFormSet):
    """Checks the intervals and their tiers together against the charge model."""

    def touched(self) -> bool:
        """Whether any interval or tier is added, changed or deleted."""
        for formset in (self, *(n for f in self.forms for n in getattr(f, "nested_formsets", []))):
            if formset.deleted_forms or any(form.has_changed() for form in formset.forms):
                return True
        return False

    def interval_specs(self) -> list[IntervalSpec]:
        ordered = sorted(_live(self), key=lambda form: form.cleaned_data.get("sequence") or 0)
        return [
            interval_spec(
                form.cleaned_data,
                [
                    tier_form.cleaned_data
                    for tier_formset in getattr(form, "nested_formsets", [])
                    for tier_form in _live(tier_formset)
                ],
            )
            for form in ordered
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        nested_ok = all(
            nested.is_valid()
            for form in self.forms
            for nested in getattr(form, "nested_formsets", [])
        )
        if not nested_ok:
            return
        pbi = self.instance
        if pbi.pk and self.touched():
            stored = PriceBookItem.objects.select_related("rate").get(pk=pbi.pk)
            self.refuse_if_locked(rate=stored.rate, attempted="change price intervals or tiers")
        problems = price_problems(PriceSpec.from_data(vars(pbi), self.interval_specs()))
        sequences = [form.cleaned_data.get("sequence") for form in _live(self)]
        if len(set(sequences)) != len(sequences):
            problems.append("Two intervals share a sequence number.")
        if problems:
            raise ValidationError(problems)


class PricePreviewForm(forms.Form):
    quantity = forms.DecimalField(min_value=0, max_digits=18, decimal_places=4, initial=1)
    start_date = forms.DateField(initial=date.today, widget=forms.DateInput(attrs={"type": "date"}))
    periods = forms.IntegerField(
        min_value=1, max_value=MAX_PERIODS, initial=12, help_text="Billing periods to show."
    )


class CloneForm(forms.Form):
    name = forms.CharField(
        max_length=200, required=False, help_text='Empty: "Copy of" and the original name.'
    )
    start_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the copy starts to sell. Empty: the original's start date.",
    )
    reason = forms.CharField(max_length=REASON_MAX_LENGTH, required=False)
