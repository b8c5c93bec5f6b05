"""Admin forms and formsets for pricing; every rule they check is a service-layer function."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from catalog.models import Item
from pricing.models import Offering, OfferingItem, Rate
from pricing.rates import RATE_ALWAYS_EDITABLE
from pricing.refusals import refusal_for
from pricing.rules import SCOPED_KINDS
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
    # Set for a page that only asks what a change would do (the price page's impact): it
    # saves nothing, so nothing is refused or recorded; the impact says what locks it.
    proposal_only = False

    def refuse_if_locked(self, *, attempted: str, **target) -> None:
        """A recorded OFFERING_LOCKED / RATE_LOCKED refusal, raised as a form error."""
        if self.proposal_only:
            return
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


class RateRowForm(RateForm):
    """A rate's row on its offering's page: it may be drafted or inactivated there, and is
    activated on its own page, which first says what activating locks
    (``pricing.admin_rate_activation``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and self.instance.status != Rate.Status.ACTIVE:
            status.choices = [c for c in status.choices if c[0] != Rate.Status.ACTIVE]
            status.help_text = "To activate it, open the rate: it says first what that locks."


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
