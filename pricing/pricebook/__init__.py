"""The one definition of a price: its fields, its charge models, and what it costs.

Plain Python over plain values (dataclasses and ``Decimal``); no Django import, so the ORM,
admin, API, portal and tests all use the same fast, self-contained arithmetic.

- ``fields``: the field catalog (which values a price, an interval and a tier hold);
- ``registry``: ``ChargeModel`` and ``REGISTRY``; ``simple`` and ``tiers`` hold the models;
- ``structure``: the checked ``PriceBook`` / ``Interval`` / ``Tier`` the engine computes on;
- ``validation``: the unchecked specs a writer receives and the problems found in them
  (``problems``: each with the field and interval it concerns, for forms);
- ``schedule``: a period's amount and a term's schedule; ``sale``: lines priced together;
- ``snapshot``: a price frozen when it sells, versioned; ``wording``: a price in words;
- ``breakdown``: what a billed line is made of (tiers, deliveries, a prorated share).
"""

from pricing.pricebook import simple, tiers  # noqa: F401  (registers the charge models)
from pricing.pricebook.calendar import Span, add_months, count_deliveries, interval_spans
from pricing.pricebook.money import minor_unit, round_money
from pricing.pricebook.registry import REGISTRY, ChargeModel, charge_model, choices, register
from pricing.pricebook.sale import (
    MinimumCommitResult,
    PricedLine,
    SaleLine,
    minimum_commit,
    percent_of_total,
    percent_schedule,
    price_sale,
)
from pricing.pricebook.schedule import Schedule, ScheduleLine, period_amount, schedule
from pricing.pricebook.structure import DurationUnit, Interval, PriceBook, PriceFormat, Tier
from pricing.pricebook.validation import IntervalSpec, PriceSpec, TierSpec, price_problems

__all__ = [
    "REGISTRY",
    "ChargeModel",
    "DurationUnit",
    "Interval",
    "IntervalSpec",
    "MinimumCommitResult",
    "PriceBook",
    "PriceFormat",
    "PriceSpec",
    "PricedLine",
    "SaleLine",
    "Schedule",
    "ScheduleLine",
    "Span",
    "Tier",
    "TierSpec",
    "add_months",
    "charge_model",
    "choices",
    "count_deliveries",
    "interval_spans",
    "minimum_commit",
    "minor_unit",
    "percent_of_total",
    "percent_schedule",
    "period_amount",
    "price_problems",
    "price_sale",
    "register",
    "round_money",
    "schedule",
]
