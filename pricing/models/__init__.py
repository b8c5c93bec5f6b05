"""What it costs: offerings, their items, rates, price book items, intervals and tiers.

Rules that need more than one row (offering composition, duplicate price book items, the
shape of a price, ``pricing.pricebook``) live in ``pricing.rules`` and the writers
(``pricing.services``, ``pricing.rates``); models hold what one row can check.
"""

from pricing.models.offerings import (
    Offering,
    OfferingItem,
    OfferingItemScope,
    OfferingQuerySet,
    OfferingRevision,
    Rate,
)
from pricing.models.prices import PriceBookItem, PriceInterval, PriceTier
from pricing.models.selling import Contract, ContractOffering, LockRefusal, Quote, QuoteLine
from pricing.models.units import MONEY, UNITS

__all__ = [
    "MONEY",
    "UNITS",
    "Contract",
    "ContractOffering",
    "LockRefusal",
    "Offering",
    "OfferingItem",
    "OfferingItemScope",
    "OfferingQuerySet",
    "OfferingRevision",
    "PriceBookItem",
    "PriceInterval",
    "PriceTier",
    "Quote",
    "QuoteLine",
    "Rate",
]
