"""Admin forms with more than one model's worth of fields."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput, JSONString

from catalog.models import Offer, PlanFeature
from catalog.selectors import offer_feature_matrix
from catalog.services import MatrixCell
from catalog.validators import load_json


class BoundedJSONField(forms.JSONField):
    """Django's JSON form field, with nesting bounded (``catalog.validators.load_json``).

    Django's own field lets ``json.loads`` recurse out of the stack on deeply nested input,
    both when cleaning and when showing the posted text again beside an error.
    """

    def to_python(self, value):
        if self.disabled or value in self.empty_values or not isinstance(value, str | bytes):
            return super().to_python(value)
        try:
            converted = load_json(value, cls=self.decoder)
        except json.JSONDecodeError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)


class OfferForm(forms.ModelForm):
    """The offer's own fields plus its plan × feature matrix, one checkbox and text per cell."""

    class Meta:
        model = Offer
        fields = ("product", "name", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = offer_feature_matrix(self.instance) if self.instance.pk else None
        if self.matrix is None:
            return
        for group in self.matrix.groups:
            for feature in group.features.all():
                for plan in self.matrix.plans:
                    value = self.matrix.value(plan.pk, feature.pk)
                    label = f"{plan.name}: {feature.name}"
                    self.fields[self.cell_name(plan.pk, feature.pk, "included")] = (
                        forms.BooleanField(
                            required=False,
                            initial=bool(value and value.included),
                            widget=forms.CheckboxInput(attrs={"aria-label": f"{label} (included)"}),
                        )
                    )
                    self.fields[self.cell_name(plan.pk, feature.pk, "text")] = forms.CharField(
                        required=False,
                        max_length=PlanFeature.TEXT_MAX_LENGTH,
                        initial=value.text if value else "",
                        widget=forms.TextInput(
                            attrs={
                                "aria-label": f"{label} (text)",
                                "size": 12,
                                "class": "matrix-text",
                            }
                        ),
                    )

    @staticmethod
    def cell_name(plan_id: int, feature_id: int, part: str) -> str:
        return f"matrix-{plan_id}-{feature_id}-{part}"

    def matrix_rows(self):
        """[(group, [(feature, [(plan, included field, text field), ...]), ...]), ...]"""
        if self.matrix is None:
            return []
        return [
            (
                group,
                [
                    (
                        feature,
                        [
                            (
                                plan,
                                self[self.cell_name(plan.pk, feature.pk, "included")],
                                self[self.cell_name(plan.pk, feature.pk, "text")],
                            )
                            for plan in self.matrix.plans
                        ],
                    )
                    for feature in group.features.all()
                ],
            )
            for group in self.matrix.groups
        ]

    def matrix_cells(self) -> dict[tuple[int, int], MatrixCell]:
        """The submitted cells, keyed by (plan id, feature id)."""
        if self.matrix is None:
            return {}
        return {
            (plan.pk, feature.pk): MatrixCell(
                included=self.cleaned_data.get(
                    self.cell_name(plan.pk, feature.pk, "included"), False
                ),
                text=self.cleaned_data.get(self.cell_name(plan.pk, feature.pk, "text"), ""),
            )
            for group in self.matrix.groups
            for feature in group.features.all()
            for plan in self.matrix.plans
        }
