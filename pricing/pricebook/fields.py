"""The field catalog: every value a price can hold, at which level, and how it is written.

A price has fields of its own (``PRICE``), per interval (``INTERVAL``) and per tier
(``TIER``). The engine's dataclasses, the Django models, the API serializers, the admin
forms and the snapshots all name these fields the same way; charge models declare which of
them they read (``ChargeModel.fields``). Converting between the forms is done here, by
name, so a new field is added in one place (and a column with its migration).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pricing.pricebook.money import ZERO

Level = Literal["price", "interval", "tier"]
Kind = Literal["decimal", "optional_decimal", "bool", "weekdays", "text"]


@dataclass(frozen=True)
class Field:
    name: str
    level: Level
    kind: Kind
    label: str
    help: str = ""
    initial: Any = None  # the default, when the kind's (0, None, False, no days) is not it
    # A charge model that reads it needs a value: a form leaves it blank, never at a made-up
    # 0, and refuses it blank. The others fall back to their default when left blank.
    required: bool = False
    money: bool = False  # an amount of the price's currency (else a number of units)

    @property
    def key(self) -> str:
        """``level.name``, as charge models declare it: "interval.price", "tier.flat_amount"."""
        return f"{self.level}.{self.name}"

    @property
    def default(self) -> Any:
        if self.initial is not None:
            return self.initial
        return {"decimal": ZERO, "optional_decimal": None, "bool": False, "weekdays": ()}.get(
            self.kind, ""
        )

    def dump(self, value: Any) -> Any:
        """The JSON form of a value (snapshots): decimals as exact strings."""
        if value is None:
            return None
        if self.kind in ("decimal", "optional_decimal"):
            return str(value)
        if self.kind == "weekdays":
            return sorted(value)
        if self.kind == "bool":
            return bool(value)
        return str(value)

    def load(self, value: Any) -> Any:
        if value is None:
            return self.default
        if self.kind in ("decimal", "optional_decimal"):
            return Decimal(value)
        if self.kind == "weekdays":
            return frozenset(value)
        return value


FIELDS: tuple[Field, ...] = (
    Field(
        "delivery_weekdays",
        "price",
        "weekdays",
        "Delivery weekdays",
        "The weekdays deliveries happen on (0 = Monday … 6 = Sunday).",
    ),
    Field(
        "minimum_amount",
        "price",
        "optional_decimal",
        "Minimum per period",
        "A billing period that comes to less is topped up to this amount, on a line of its own.",
        money=True,
    ),
    Field(
        "maximum_amount",
        "price",
        "optional_decimal",
        "Maximum per period",
        "A billing period that comes to more is capped at this amount, on a line of its own.",
        money=True,
    ),
    Field(
        "flat_at_zero",
        "price",
        "bool",
        "Bill the first tier's flat amount at zero usage",
        "Off: a quantity of 0 costs nothing. On: it costs the first tier's flat amount.",
    ),
    Field("price", "interval", "decimal", "Price", required=True, money=True),
    Field("included_units", "interval", "decimal", "Included units"),
    Field("overage_price", "interval", "decimal", "Overage price", required=True, money=True),
    Field(
        "package_size",
        "interval",
        "optional_decimal",
        "Package size",
        "Package pricing: units per package; each started package costs the price.",
        required=True,
    ),
    Field("start_unit", "tier", "decimal", "Start unit", required=True),
    Field("end_unit", "tier", "optional_decimal", "End unit", "Empty: open-ended."),
    Field(
        "price",
        "tier",
        "decimal",
        "Unit price",
        "Per unit, or the flat amount if flat.",
        required=True,
        money=True,
    ),
    Field("price_format", "tier", "text", "Price format", initial="per_unit"),
    Field(
        "flat_amount",
        "tier",
        "decimal",
        "Flat amount",
        "Owed once the tier is reached.",
        money=True,
    ),
)
BY_KEY = {field.key: field for field in FIELDS}
PRICE = tuple(field for field in FIELDS if field.level == "price")
INTERVAL = tuple(field for field in FIELDS if field.level == "interval")
TIER = tuple(field for field in FIELDS if field.level == "tier")


REQUIRED = frozenset(field.key for field in FIELDS if field.required)


def names(level: Level) -> tuple[str, ...]:
    return tuple(field.name for field in FIELDS if field.level == level)


def values(source: object, fields: Iterable[Field]) -> dict[str, Any]:
    """The named fields of an object (a model row, a spec, an engine dataclass)."""
    return {field.name: getattr(source, field.name) for field in fields}
