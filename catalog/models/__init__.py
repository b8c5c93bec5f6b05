"""What is sold: organizations, products, items (SKUs), offers, plans, features, listings.

Models hold the invariants a row can check with its own fields and the rows its foreign
keys point at (``clean`` plus database constraints); ``catalog.services`` runs them inside
a transaction for every writer that is not a model form.
"""

from catalog.models.idempotency import IdempotencyRecord
from catalog.models.items import (
    AddOnRequirement,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Product,
)
from catalog.models.offers import Feature, FeatureGroup, Listing, Offer, Plan, PlanFeature, PlanItem
from catalog.models.organizations import Distributor, Marketplace, Membership, Vendor
from catalog.models.translations import (
    FeatureGroupTranslation,
    FeatureTranslation,
    OfferTranslation,
    PlanTranslation,
)

__all__ = [
    "AddOnRequirement",
    "Distributor",
    "Feature",
    "FeatureGroup",
    "FeatureGroupTranslation",
    "FeatureTranslation",
    "IdempotencyRecord",
    "Item",
    "ItemGroup",
    "ItemPath",
    "ItemTranslation",
    "Listing",
    "Marketplace",
    "Membership",
    "Offer",
    "OfferTranslation",
    "Plan",
    "PlanFeature",
    "PlanItem",
    "PlanTranslation",
    "Product",
    "Vendor",
]
