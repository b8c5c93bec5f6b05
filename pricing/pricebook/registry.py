"""The charge-model registry: each way of pricing a quantity is one class, registered here.

A charge model declares the fields it reads (keys of ``pricing.pricebook.fields``),
computes one billing period's amount from an interval and a quantity (pure Python over
Decimal), adds the checks only it needs, and words itself for people. Everything else
(the model's choices and database constraint, the API serializer, the admin form, the
snapshot, the preview, the portal's sentence) iterates over ``REGISTRY``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from pricing.pricebook.money import ZERO

if TYPE_CHECKING:
    from pricing.pricebook.breakdown import Part
    from pricing.pricebook.problems import Problem
    from pricing.pricebook.structure import Interval
    from pricing.pricebook.validation import IntervalSpec
    from pricing.pricebook.wording import Wording

# The per-period floor and ceiling: every charge model but a flat fee can have them.
LIMITS = frozenset({"price.minimum_amount", "price.maximum_amount"})
TIER_FIELDS = frozenset(
    {"tier.start_unit", "tier.end_unit", "tier.price", "tier.price_format", "tier.flat_amount"}
)


class ChargeModel:
    """One charge model. Subclass it, fill in the class attributes and ``amount``, and
    decorate the class with ``@register``."""

    name: ClassVar[str]  # stored in PriceBookItem.charge_model
    label: ClassVar[str]
    summary: ClassVar[str]  # one sentence for people choosing a model
    fields: ClassVar[frozenset[str]]  # "level.name" keys of the fields it reads
    monotone: ClassVar[bool] = True  # the amount never falls as the quantity grows
    counts_deliveries: ClassVar[bool] = False  # priced by deliveries in the period, not prorated

    @property
    def uses_tiers(self) -> bool:
        return bool(self.fields & TIER_FIELDS)

    def uses(self, key: str) -> bool:
        return key in self.fields

    def amount(self, interval: Interval, quantity: Decimal, deliveries: int) -> Decimal:
        """One full billing period's unrounded amount for a quantity above 0."""
        raise NotImplementedError

    def parts(self, interval: Interval, quantity: Decimal, deliveries: int) -> list[Part]:
        """``amount`` split into what makes it up (``pricing.pricebook.breakdown``)."""
        from pricing.pricebook.breakdown import UNIT, Part

        return [Part(UNIT, quantity, ZERO, self.amount(interval, quantity, deliveries))]

    def zero_amount(self, interval: Interval, flat_at_zero: bool) -> Decimal:
        """A billing period's amount when the quantity is 0: nothing bought, nothing owed."""
        return ZERO

    def interval_problems(self, interval: IntervalSpec) -> list[Problem]:
        """What this model needs of an interval beyond the common checks, each at its field."""
        return []

    def phrase(self, interval: Interval, wording: Wording, first: bool) -> str:
        """One interval's prices in words; after the first, simple prices repeat the amount and
        its unit ("then $22.00 per user"), not the period."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<charge model {self.name}>"


REGISTRY: dict[str, ChargeModel] = {}
# The same models keyed by name and by the model itself, so period_amount finds either with
# one dict lookup (no isinstance on the hot path).
LOOKUP: dict[object, ChargeModel] = {}


def register(cls: type[ChargeModel]) -> type[ChargeModel]:
    if cls.name in REGISTRY:
        raise ValueError(f"Charge model {cls.name!r} is registered twice.")
    unknown = cls.fields - _field_keys()
    if unknown:
        raise ValueError(f"{cls.__name__} reads unknown fields {sorted(unknown)}.")
    model = REGISTRY[cls.name] = cls()
    LOOKUP[cls.name] = LOOKUP[model] = model
    return cls


def _field_keys() -> set[str]:
    from pricing.pricebook.fields import BY_KEY

    return set(BY_KEY)


def charge_model(name: str) -> ChargeModel:
    """The registered charge model called ``name``; ValueError if there is none."""
    if isinstance(name, ChargeModel):
        return name
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown charge model {name!r}.") from None


def choices() -> list[tuple[str, str]]:
    """(name, label) of every charge model, for model fields and forms."""
    return [(model.name, model.label) for model in REGISTRY.values()]


def models() -> Iterator[ChargeModel]:
    return iter(REGISTRY.values())
