"""How a generated product is offered: offers with their plans (priced by the product's
Subscription offering), the plan × feature matrix, some translations, and listings on the
run's marketplaces.

Rows obey the models' rules: names unique in their offer or product, a plan's items and
offering are its vendor's, each (plan, feature) cell once and inside one offer, an offer
listed once per marketplace.
"""

from __future__ import annotations

from catalog.generator.context import Context, ProductRows
from catalog.models import (
    Feature,
    FeatureGroup,
    FeatureGroupTranslation,
    FeatureTranslation,
    Listing,
    Offer,
    OfferTranslation,
    Plan,
    PlanFeature,
    PlanItem,
    PlanTranslation,
)

COLUMNS = {
    Offer: ("id", "product_id", "name", "description"),
    OfferTranslation: ("id", "offer_id", "locale", "name", "description"),
    Plan: ("id", "offer_id", "name", "description", "position", "offering_id"),
    PlanTranslation: ("id", "plan_id", "locale", "name", "description"),
    PlanItem: ("id", "plan_id", "item_id", "quantity"),
    FeatureGroup: ("id", "offer_id", "name", "position"),
    FeatureGroupTranslation: ("id", "group_id", "locale", "name"),
    Feature: ("id", "group_id", "name", "position"),
    FeatureTranslation: ("id", "feature_id", "locale", "name"),
    PlanFeature: ("id", "plan_id", "feature_id", "included", "text"),
    Listing: ("id", "offer_id", "marketplace_id", "status"),
}
OFFERS = (("For business", "Für Unternehmen"), ("For home", "Für Zuhause"))
PLANS = (("Basic", "Basis"), ("Standard", "Standard"), ("Premium", "Premium"))
GROUPS = (
    ("Teamwork and communication", ("Chat", "Meetings", "Shared calendars")),
    ("Storage and security", ("Cloud storage", "Backup", "Device management")),
)
CELL_TEXT = ("", "up to 300 users", "1 TB", "99.9 % uptime")
LISTING_STATUS = ((0.9, "listed"), (0.95, "draft"), (1.0, "unlisted"))


def declare(ctx: Context) -> None:
    for model, columns in COLUMNS.items():
        ctx.writer.declare(model, columns)


def write_offers(ctx: Context, product: ProductRows) -> None:
    count = 2 if ctx.chance(0.3) else 1
    for name, german in OFFERS[:count]:
        write_offer(ctx, product, name, german)


def write_offer(ctx: Context, product: ProductRows, name: str, german: str) -> None:
    rng, writer = ctx.rng, ctx.writer
    offer_id = writer.ids(Offer)
    writer.add(Offer, (offer_id, product.id, name, f"{product.name} {name.lower()}."))
    if ctx.chance(0.5):
        writer.add(OfferTranslation, (writer.ids(OfferTranslation), offer_id, "de", german, ""))
    subscriptions = product.of_kind("subscription")
    first_plan = writer.ids(Plan, len(PLANS))
    for position, (plan_name, plan_german) in enumerate(PLANS):
        plan_id = first_plan + position
        writer.add(
            Plan,
            (
                plan_id,
                offer_id,
                plan_name,
                f"The {plan_name.lower()} plan.",
                position,
                product.main_offering_id,
            ),
        )
        if ctx.chance(0.3):
            writer.add(
                PlanTranslation, (writer.ids(PlanTranslation), plan_id, "de", plan_german, "")
            )
        item = subscriptions[min(position, len(subscriptions) - 1)]
        writer.add(PlanItem, (writer.ids(PlanItem), plan_id, item.id, (1, 5, 10)[position]))
    translate = ctx.chance(0.2)
    first_group = writer.ids(FeatureGroup, len(GROUPS))
    for g, (group_name, features) in enumerate(GROUPS):
        group_id = first_group + g
        writer.add(FeatureGroup, (group_id, offer_id, group_name, g))
        if translate:
            writer.add(
                FeatureGroupTranslation,
                (writer.ids(FeatureGroupTranslation), group_id, "de", f"{group_name} (de)"),
            )
        first_feature = writer.ids(Feature, len(features))
        for f, feature_name in enumerate(features):
            feature_id = first_feature + f
            writer.add(Feature, (feature_id, group_id, feature_name, f))
            if translate:
                writer.add(
                    FeatureTranslation,
                    (writer.ids(FeatureTranslation), feature_id, "de", f"{feature_name} (de)"),
                )
            first_cell = writer.ids(PlanFeature, len(PLANS))
            writer.extend(
                PlanFeature,
                [
                    (
                        first_cell + p,
                        first_plan + p,
                        feature_id,
                        f <= p,
                        rng.choice(CELL_TEXT) if f <= p else "",
                    )
                    for p in range(len(PLANS))
                ],
            )
    write_listings(ctx, product, offer_id)


def write_listings(ctx: Context, product: ProductRows, offer_id: int) -> None:
    """On the run's first marketplace and some others: listed where the plans' offering has
    a rate that sells there, a draft elsewhere."""
    for n, marketplace in enumerate(ctx.marketplaces):
        if n == 0 or ctx.chance(0.3):
            roll = ctx.rng.random()
            status = next(s for bound, s in LISTING_STATUS if roll < bound)
            if status == "listed" and not product.sells_on(marketplace):
                status = "draft"
            ctx.writer.add(Listing, (ctx.writer.ids(Listing), offer_id, marketplace.id, status))
