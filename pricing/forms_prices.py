"""The price book item page's forms: a price, its intervals and their tiers, checked together.

The page is checked as a whole, in one pass, so one save shows every error at once, each
next to its field: the main form's ``clean`` validates the interval formset (and the tier
formsets in it), then asks ``pricing.pricebook`` what is wrong with the price as posted
(``located_problems``) and puts each problem on the field it names. Fields that already
have an error (a number that is not one) get no second one.

Intervals are saved in the order of their sequence numbers, renumbered 1..n by the service;
a row left without one goes after the numbered rows, in page order. Two rows may share a
number (the page order breaks the tie): the sequence orders, it does not identify.
"""

from __future__ import annotations

from datetime import date

from django import forms
from nested_admin.formsets import NestedInlineFormSet

from catalog.forms import BoundedJSONField
from pricing.bounds import MAX_PERIODS
from pricing.forms import WEEKDAYS, ActingUserMixin
from pricing.models import PriceBookItem, PriceInterval, PriceTier
from pricing.pricebook import REGISTRY
from pricing.pricebook.fields import BY_KEY, INTERVAL, PRICE, REQUIRED, TIER, names
from pricing.pricebook.money import exact, trimmed
from pricing.pricebook.problems import Problem
from pricing.pricebook.validation import IntervalSpec, PriceSpec, interval_spec, located_problems
from pricing.rates import is_duplicate_price_book_item, item_outside_offering
from pricing.rules import custom_attribute_problems


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _live(formset):
    """The forms of a formset that are filled in and not being deleted."""
    formset.is_valid()
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


def _shown(value, field, currency):
    """A stored amount as the page shows it: the currency's minor unit, no column zeros."""
    if value is None:
        return None
    return trimmed(value, currency) if field.money else exact(value)


class CatalogFieldsForm(forms.ModelForm):
    """An interval's or tier's form: the catalog's decimal fields are optional here (a blank
    one is its default, or refused by the page check when the charge model needs it), a new
    row shows them blank rather than at a made-up 0, and a stored row shows its amounts in
    the currency's minor unit, its unread fields blank."""

    catalog: tuple = ()
    price: PriceBookItem | None = None  # set by the formset: the currency and charge model

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        price = self.price
        currency = price.rate.currency if price is not None and price.rate_id else None
        model = REGISTRY.get(price.charge_model) if price is not None else None
        for field in self.catalog:
            if field.kind not in ("decimal", "optional_decimal") or field.name not in self.fields:
                continue
            self.fields[field.name].required = False
            stored = self.initial.get(field.name)
            unread = model is not None and field.key not in model.fields
            if not self.instance.pk or (unread and stored == field.default):
                self.initial[field.name] = None
            else:
                self.initial[field.name] = _shown(stored, field, currency)


class PriceTierForm(CatalogFieldsForm):
    catalog = TIER

    class Meta:
        model = PriceTier
        fields = names("tier")


class PriceIntervalForm(CatalogFieldsForm):
    catalog = INTERVAL
    sequence = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="The order of the intervals; left blank, the next number.",
    )

    class Meta:
        model = PriceInterval
        fields = ("sequence", "duration_unit", "duration", *names("interval"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["sequence"] = None  # numbered on the page, or by the server

    def _get_validation_exclusions(self):
        # The service renumbers the intervals 1..n: a sequence is an order, checked against
        # neither the stored rows nor the other rows of the page.
        return {*super()._get_validation_exclusions(), "sequence"}


class EveryRowCountsFormSet(NestedInlineFormSet):
    """A row left at its defaults (an Infinity interval at 0, a 0-∞ tier) is still a row."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["empty_permitted"] = False
        return kwargs


class PriceTierFormSet(EveryRowCountsFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The interval's price, set on it by the interval formset: no query per interval.
        price = getattr(self.instance, "_price_of_page", None)
        self.form = type(self.form.__name__, (self.form,), {"price": price})

    def get_queryset(self):
        """On a page read, the interval's tiers as the interval formset prefetched them for
        every interval at once (``PriceIntervalInline``): no query per interval. A post reads
        the posted rows (nested_admin's own way)."""
        tiers = getattr(self.instance, "_prefetched_objects_cache", {}).get("tiers")
        if self.data or tiers is None:
            return super().get_queryset()
        return list(tiers)  # in the model's order (start unit, id), as the query would be


class PriceIntervalFormSet(ActingUserMixin, EveryRowCountsFormSet):
    """The intervals with their tiers; the page check (``check_price_page``) judges them
    against the charge model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = type(self.form.__name__, (self.form,), {"price": self.instance})

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance._price_of_page = self.instance
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.instance._price_of_page = self.instance
        return form

    def touched(self) -> bool:
        """Whether any interval or tier is added, changed or deleted."""
        for formset in (self, *(n for f in self.forms for n in getattr(f, "nested_formsets", []))):
            if formset.deleted_forms or any(form.has_changed() for form in formset.forms):
                return True
        return False

    def ordered_forms(self) -> list:
        """The live interval forms in the order they are saved: by sequence number, a blank
        one after the numbered ones, the page order breaking ties."""

        def key(pair):
            index, form = pair
            sequence = form.cleaned_data.get("sequence")
            return (sequence is None, sequence or 0, index)

        return [form for _, form in sorted(enumerate(_live(self)), key=key)]

    def interval_specs(self) -> list[IntervalSpec]:
        return [
            interval_spec(form.cleaned_data, [tier.cleaned_data for tier in _tier_forms(form)])
            for form in self.ordered_forms()
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        pbi = self.instance
        if pbi.pk and self.touched():
            stored = PriceBookItem.objects.select_related("rate").get(pk=pbi.pk)
            self.refuse_if_locked(rate=stored.rate, attempted="change price intervals or tiers")


def _tier_formsets(form) -> list:
    return list(getattr(form, "nested_formsets", []))


def _tier_forms(form) -> list:
    return [tier for formset in _tier_formsets(form) for tier in _live(formset)]


class PriceBookItemForm(ActingUserMixin, forms.ModelForm):
    delivery_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Delivery model only: the weekdays deliveries happen on.",
    )
    # The admin hands each request's form class the page ({"intervals": the interval
    # formset}), so that ``clean`` checks the whole price at once.
    page: dict | None = None

    class Meta:
        model = PriceBookItem
        fields = ("rate", "item", "charge_model", "pricing_type", "custom_attributes")
        fields += names("price")
        field_classes = {"custom_attributes": BoundedJSONField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            currency = self.instance.rate.currency
            for field in PRICE:
                if field.money:
                    self.initial[field.name] = _shown(self.initial.get(field.name), field, currency)

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
        if (intervals := (self.page or {}).get("intervals")) is not None:
            check_price_page(self, intervals)
        return data


def check_price_page(form: PriceBookItemForm, intervals: PriceIntervalFormSet) -> None:
    """Every problem of the posted price, each put at its field: the price's own fields on
    the main form, an interval's on its form, its tiers' under its tier table, the rest
    under the intervals."""
    intervals.is_valid()  # each interval's and tier's own field errors first
    data = form.cleaned_data
    model = REGISTRY.get(data.get("charge_model"))
    if model is None:
        return  # the charge model field says what is wrong
    ordered = intervals.ordered_forms()
    for interval in ordered:
        _require(interval, model, "interval")
        for tier in _tier_forms(interval):
            _require(tier, model, "tier")
    spec = PriceSpec.from_data(data, intervals.interval_specs())
    for problem in located_problems(spec):
        _place(problem, form, intervals, ordered)


def _require(form, model, level: str) -> None:
    """A field the chosen model reads and needs, left blank: an error at the field."""
    for key in sorted(model.fields & REQUIRED):
        field = BY_KEY[key]
        if field.level != level or field.name in form.errors:
            continue
        if form.cleaned_data.get(field.name) is None:
            form.add_error(field.name, f"Required for a {model.label.lower()} price.")


def _place(problem: Problem, form, intervals, ordered) -> None:
    text = _capitalized(problem.text)
    if problem.interval is None:
        if problem.level == "price" and problem.name in form.fields:
            if problem.name not in form.errors:
                form.add_error(problem.name, text)
        else:
            _add_non_form_error(intervals, str(problem))
        return
    target = ordered[problem.interval]
    if problem.name == "tiers":
        for tiers in _tier_formsets(target)[:1]:
            _add_non_form_error(tiers, text)
            return
        target.add_error(None, text)
    elif problem.name in target.fields:
        if problem.name not in target.errors:
            target.add_error(problem.name, text)
    else:
        target.add_error(None, text)


def _add_non_form_error(formset, message: str) -> None:
    formset.is_valid()  # its own errors first: a later full_clean would drop this one
    errors = formset.non_form_errors()
    if message not in errors:
        errors.append(message)


class PricePreviewForm(forms.Form):
    quantity = forms.DecimalField(min_value=0, max_digits=18, decimal_places=4, initial=1)
    start_date = forms.DateField(initial=date.today, widget=forms.DateInput(attrs={"type": "date"}))
    periods = forms.IntegerField(
        min_value=1, max_value=MAX_PERIODS, initial=12, help_text="Billing periods to show."
    )
