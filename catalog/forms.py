"""Admin forms with more than one model's worth of fields."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput, JSONString

from catalog.matrix import UNTICKED_TEXT, MatrixCell
from catalog.models import Feature, FeatureGroup, Item, Offer, PlanFeature, Product
from catalog.selectors import offer_feature_matrix
from catalog.services import new_feature_problems
from catalog.validators import load_json
from catalog.variations import MAX_LEVELS, VariationLevel, Variations, plan_variations


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
    """The offer's own fields, features to add to one of its groups, and its plan × feature
    matrix, one checkbox and text per cell."""

    add_features_to = forms.ModelChoiceField(
        queryset=FeatureGroup.objects.none(),
        required=False,
        label="Add features to",
        help_text="A feature group of this offer (add a new group below and save first).",
    )
    new_features = forms.CharField(
        required=False,
        label="New features",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="One feature per line. They join the end of the group and the matrix.",
    )

    class Meta:
        model = Offer
        fields = ("product", "name", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["add_features_to"].queryset = self.instance.feature_groups.all()
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
                                "size": 24,
                                "class": "matrix-text",
                            }
                        ),
                    )

    def clean(self):
        cleaned = super().clean()
        self.check_new_features(cleaned)
        for (plan_id, feature_id), cell in self.matrix_cells().items():
            if cell.hides_text:
                self.add_error(self.cell_name(plan_id, feature_id, "text"), UNTICKED_TEXT)
        return cleaned

    def check_new_features(self, cleaned) -> None:
        names = [line.strip() for line in (cleaned.get("new_features") or "").splitlines()]
        names = [name for name in names if name]
        group = cleaned.get("add_features_to")
        cleaned["new_feature_names"] = names
        if not names:
            return
        if group is None:
            self.add_error("add_features_to", "Choose the group the new features join.")
            return
        limit = Feature._meta.get_field("name").max_length
        if any(len(name) > limit for name in names):
            self.add_error("new_features", f"A feature's name is at most {limit} characters.")
        for problem in new_feature_problems(group, names):
            self.add_error("new_features", problem)

    def features_to_add(self):
        """(group, names) to add, or None."""
        names = self.cleaned_data.get("new_feature_names")
        return (self.cleaned_data["add_features_to"], names) if names else None

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


LEVEL_NAME_HELP = "A short word for the level, used in the MPN pattern: colour, size."
LEVEL_VALUES_HELP = "Separated by commas, e.g. Red, Green."


def level_name_field(n: int) -> forms.CharField:
    return forms.CharField(
        label=f"Level {n}: name", required=False, max_length=30, help_text=LEVEL_NAME_HELP
    )


def level_values_field(n: int) -> forms.CharField:
    return forms.CharField(
        label=f"Level {n}: values", required=False, max_length=2000, help_text=LEVEL_VALUES_HELP
    )


class ProductForm(forms.ModelForm):
    """The product's fields plus the variation generator: values per level, an MPN pattern."""

    LEVELS = range(1, MAX_LEVELS + 1)

    level_1_name = level_name_field(1)
    level_1_values = level_values_field(1)
    level_2_name = level_name_field(2)
    level_2_values = level_values_field(2)
    level_3_name = level_name_field(3)
    level_3_values = level_values_field(3)

    mpn_pattern = forms.CharField(
        label="MPN pattern",
        required=False,
        max_length=200,
        help_text=(
            "Placeholders: {product} and each level's name, e.g. {product}-{colour}-{size}; "
            "empty: all of them joined by hyphens. Values go in upper case with hyphens for "
            "blanks (Light blue → LIGHT-BLUE)."
        ),
    )
    variation_kind = forms.ChoiceField(
        label="Kind of the new items",
        choices=Item.Kind.choices,
        initial=Item.Kind.SUBSCRIPTION,
        required=False,  # a page posted without the generator's fields saves the product
    )
    variation_unit = forms.CharField(
        label="Unit of the new items", max_length=40, initial="unit", required=False
    )

    class Meta:
        model = Product
        fields = ("vendor", "name", "description", "category", "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.variations: Variations | None = None

    def parsed_levels(self) -> list[VariationLevel]:
        levels, gap = [], None
        for n in self.LEVELS:
            name = (self.cleaned_data.get(f"level_{n}_name") or "").strip().lower()
            raw = self.cleaned_data.get(f"level_{n}_values") or ""
            values = tuple(value.strip() for value in raw.split(",") if value.strip())
            if not name and not values:
                gap = gap or n
                continue
            if gap:
                self.add_error(f"level_{gap}_values", "Fill in the levels from the top down.")
            if not name:
                self.add_error(f"level_{n}_name", "Name this level, e.g. colour or size.")
            if not values:
                self.add_error(f"level_{n}_values", "Give this level's values.")
            levels.append(VariationLevel(name=name, values=values))
        return levels

    def clean(self):
        cleaned = super().clean()
        levels = self.parsed_levels()
        pattern = (cleaned.get("mpn_pattern") or "").strip()
        if not levels:
            if pattern:
                self.add_error("level_1_values", "Give the values to generate items for.")
            return cleaned
        if self.errors:
            return cleaned
        variations = Variations(
            levels=tuple(levels),
            mpn_pattern=pattern,
            kind=cleaned.get("variation_kind") or Item.Kind.SUBSCRIPTION,
            unit=(cleaned.get("variation_unit") or "").strip() or "unit",
        )
        existing = self.instance.items.values_list("mpn", flat=True) if self.instance.pk else ()
        try:
            plan_variations(cleaned.get("name") or "", existing, variations)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error("mpn_pattern" if field == "mpn_pattern" else None, messages)
            return cleaned
        self.variations = variations
        return cleaned


VARIATION_FIELDS = (
    *(f"level_{n}_{part}" for n in ProductForm.LEVELS for part in ("name", "values")),
    "mpn_pattern",
    "variation_kind",
    "variation_unit",
)
