"""The translations sheets: an item's name and description per locale, and the names of an
offer, its plans, feature groups and features per locale (what the portal shows a reader of
that language)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from catalog.models import (
    FeatureGroupTranslation,
    FeatureTranslation,
    ItemTranslation,
    OfferTranslation,
    PlanTranslation,
)
from catalog.services import translate
from catalog.validators import normalize_locale
from exchange.columns import Choice, Text
from exchange.context import GROUP_SEPARATOR, Refused
from exchange.sheets import ModelSheet, column


def locale_of(text: str) -> str:
    try:
        return normalize_locale(text)
    except ValidationError as exc:
        raise Refused(f"locale: {' '.join(exc.messages)}") from exc


class ItemTranslationSheet(ModelSheet):
    title, key = "item translations", ("product", "mpn", "locale")
    editable = ("name", "description")
    product = column("product", Text(required=True), "item__product__name")
    mpn = column("mpn", Text(required=True), "item__mpn")
    locale = column("locale", Text(required=True))
    name = column("name", Text(required=True))
    description = column("description", Text())

    def rows_of(self, vendor):
        return (
            ItemTranslation.objects.filter(item__product__vendor=vendor)
            .select_related("item__product")
            .order_by("item__product__name", "item__mpn", "locale")
        )

    def find(self, ctx, values):
        item = ctx.item(values["product"], values["mpn"])
        return ItemTranslation.objects.filter(item=item, locale=locale_of(values["locale"])).first()

    def create(self, ctx, values):
        item = ctx.item(values["product"], values["mpn"])
        return translate(item, values["locale"], values["name"], values["description"], by=ctx.by)

    def update(self, ctx, current, changes):
        return translate(
            current.item,
            current.locale,
            changes.get("name", current.name),
            changes.get("description", current.description),
            by=ctx.by,
        )


# What an offer translation row translates, with its model.
OFFER_PARTS = {
    "offer": OfferTranslation,
    "plan": PlanTranslation,
    "feature group": FeatureGroupTranslation,
    "feature": FeatureTranslation,
}


class OfferTranslationSheet(ModelSheet):
    """The name (and, for an offer or a plan, the description) of an offer, a plan, a feature
    group or a feature in one locale. ``of`` names the plan, the group, or the feature as
    "Group / Feature"; it is empty for the offer itself."""

    title, key = "offer translations", ("product", "offer", "part", "of", "locale")
    editable = ("name", "description")
    product = column("product", Text(required=True))
    offer = column("offer", Text(required=True))
    part = column("part", Choice([(part, part) for part in OFFER_PARTS], default="offer"))
    of = column("of", Text())
    locale = column("locale", Text(required=True))
    name = column("name", Text(required=True))
    description = column("description", Text())

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        for field in fields:
            field.attribute = field.column_name  # the export's rows are dicts by column
        return fields

    def rows_of(self, vendor):
        rows = []
        for translation in OfferTranslation.objects.filter(
            offer__product__vendor=vendor
        ).select_related("offer__product"):
            rows.append(self._row(translation, translation.offer, "offer", ""))
        for translation in PlanTranslation.objects.filter(
            plan__offer__product__vendor=vendor
        ).select_related("plan__offer__product"):
            plan = translation.plan
            rows.append(self._row(translation, plan.offer, "plan", plan.name))
        for translation in FeatureGroupTranslation.objects.filter(
            group__offer__product__vendor=vendor
        ).select_related("group__offer__product"):
            group = translation.group
            rows.append(self._row(translation, group.offer, "feature group", group.name))
        for translation in FeatureTranslation.objects.filter(
            feature__group__offer__product__vendor=vendor
        ).select_related("feature__group__offer__product"):
            feature = translation.feature
            of = f"{feature.group.name}{GROUP_SEPARATOR}{feature.name}"
            rows.append(self._row(translation, feature.group.offer, "feature", of))
        order = list(OFFER_PARTS)
        return sorted(
            rows,
            key=lambda row: (
                row["product"],
                row["offer"],
                order.index(row["part"]),
                row["of"],
                row["locale"],
            ),
        )

    @staticmethod
    def _row(translation, offer, part: str, of: str) -> dict:
        return {
            "product": offer.product.name,
            "offer": offer.name,
            "part": part,
            "of": of,
            "locale": translation.locale,
            "name": translation.name,
            "description": getattr(translation, "description", ""),
        }

    def owner(self, ctx, values):
        offer = ctx.offer(values["product"], values["offer"])
        part, of = values["part"], values["of"]
        if part == "offer":
            return offer
        if part == "plan":
            return ctx.plan(offer, of)
        if part == "feature group":
            group = ctx.feature_groups.get((offer.pk, of))
            if group is None:
                raise Refused(f"Offer {offer.name!r} has no feature group {of!r}.")
            return group
        group, _, feature = of.partition(GROUP_SEPARATOR.strip())
        return ctx.feature(offer, group.strip(), feature.strip())

    def model(self, values):
        model = OFFER_PARTS[values["part"]]
        if values["description"] and not hasattr(model, "description"):
            raise Refused(f"A {values['part']}'s translation has no description; leave it empty.")
        return model

    def find(self, ctx, values):
        model = self.model(values)
        owner = {model.owner: self.owner(ctx, values)}
        return model.objects.filter(**owner, locale=locale_of(values["locale"])).first()

    def wanted(self, ctx, values):
        wanted = {"name": values["name"]}
        if hasattr(self.model(values), "description"):
            wanted["description"] = values["description"]
        return wanted

    def new(self, ctx, values):
        model = self.model(values)
        return model(
            **{model.owner: self.owner(ctx, values)},
            locale=locale_of(values["locale"]),
            **self.wanted(ctx, values),
        )
