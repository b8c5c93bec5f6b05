"""Two offerings side by side: what the second changes from the first.

``offering_diff(a, b)`` compares the offerings' own fields, their items (default quantity,
required, application list), their rates (currency, billing frequency, channel, customer
group, status) and every price in words. Rows are matched by what they are, not by id, so a
clone lines up with its source:

- an item by the item it sells;
- a rate by its name (the second "Standard" of an offering matches the other's second);
- a price by its rate's key, its item and its custom attributes.

Each value says whether it was added, removed, changed (old → new) or is the same. Pure
reads: seven queries whatever the offerings' size. Which offerings a user may compare is the
caller's: ``Offering.objects.visible_to(user)``, the same vendor (``check_comparable``).

A clone's source is known from history only: ``offering_clone`` writes "cloned as #<id>" in
the original's history, which ``clones_of`` and ``source_of`` read (one query each).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from pricing.models import Offering, OfferingItem, OfferingItemScope, PriceBookItem, Rate
from pricing.price_words import price_in_words

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
CLONED_AS = "cloned as #"


@dataclass(frozen=True)
class Value:
    """One compared value: ``old`` is the first offering's, ``new`` the second's (None: the
    row is not in that offering)."""

    field: str
    old: str | None
    new: str | None

    @property
    def state(self) -> str:
        if self.old == self.new:
            return SAME
        if self.old is None:
            return ADDED
        if self.new is None:
            return REMOVED
        return CHANGED

    def as_dict(self) -> dict:
        return {"field": self.field, "state": self.state, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Row:
    """A row of one section (an item, a rate, a price), named by its match key."""

    key: str
    values: tuple[Value, ...]
    state: str

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "state": self.state,
            "values": [value.as_dict() for value in self.values],
        }


@dataclass(frozen=True)
class Section:
    name: str
    rows: tuple[Row, ...]

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(row.state for row in self.rows)
        return {state: counts[state] for state in (ADDED, REMOVED, CHANGED, SAME)}

    @property
    def changed_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.state != SAME)

    def as_dict(self) -> dict:
        return {
            "counts": self.counts,
            "rows": [row.as_dict() for row in self.rows],
        }


@dataclass(frozen=True)
class OfferingDiff:
    a: Offering
    b: Offering
    offering: Row
    sections: tuple[Section, ...]  # items, rates, prices

    @property
    def changes(self) -> int:
        """How many rows differ (the offering's own fields count as one row)."""
        own = 0 if self.offering.state == SAME else 1
        return own + sum(len(section.changed_rows) for section in self.sections)

    def as_dict(self) -> dict:
        return {
            "a": self.a.pk,
            "b": self.b.pk,
            "changes": self.changes,
            "offering": self.offering.as_dict(),
            **{section.name: section.as_dict() for section in self.sections},
        }


def check_comparable(a: Offering, b: Offering) -> None:
    """Two offerings of one vendor compare; any other pair is refused."""
    if a.vendor_id != b.vendor_id:
        raise ValidationError(
            {"b": ["Only two offerings of the same vendor compare."]}, code="other_vendor"
        )


def offering_diff(a: Offering, b: Offering, *, locale: str = "en") -> OfferingDiff:
    """What ``b`` changes from ``a``: its fields, items, rates and prices (seven queries)."""
    check_comparable(a, b)
    ids = (a.pk, b.pk)
    lines = list(
        OfferingItem.objects.filter(offering__in=ids).select_related("item").order_by("pk")
    )
    scopes: dict[int, list[str]] = {}
    for line_id, mpn in (
        OfferingItemScope.objects.filter(offering_item__offering__in=ids)
        .order_by("item__mpn")
        .values_list("offering_item_id", "item__mpn")
    ):
        scopes.setdefault(line_id, []).append(mpn)
    rates = list(
        Rate.objects.filter(offering__in=ids).select_related("sales_channel").order_by("pk")
    )
    prices = list(
        PriceBookItem.objects.filter(rate__offering__in=ids)
        .select_related("item", "rate")
        .with_rows()
        .order_by("pk")
    )
    rate_keys = _keyed(rates, lambda rate: rate.name)
    items = _section(
        "items",
        ids,
        [(line.offering_id, _item_label(line.item), _line_values(line, scopes)) for line in lines],
    )
    rate_rows = _section(
        "rates",
        ids,
        [(rate.offering_id, rate_keys[rate.pk], _rate_values(rate)) for rate in rates],
    )
    price_keys = _keyed(prices, lambda pbi: _price_label(pbi, rate_keys[pbi.rate_id]))
    price_rows = _section(
        "prices",
        ids,
        [
            (pbi.rate.offering_id, price_keys[pbi.pk], {"price": price_in_words(pbi, locale)})
            for pbi in prices
        ],
    )
    own = _row("offering", _offering_values(a), _offering_values(b))
    return OfferingDiff(a=a, b=b, offering=own, sections=(items, rate_rows, price_rows))


def clones_of(offering: Offering) -> list[int]:
    """The ids of the offerings cloned from ``offering``, newest first (its history says)."""
    reasons = (
        Offering.history.filter(id=offering.pk, history_change_reason__startswith=CLONED_AS)
        .order_by("-history_date")
        .values_list("history_change_reason", flat=True)
    )
    ids = [_cloned_id(reason) for reason in reasons]
    return list(dict.fromkeys(pk for pk in ids if pk is not None))


def source_of(offering: Offering) -> int | None:
    """The id of the offering ``offering`` was cloned from, if its source's history says so."""
    return (
        Offering.history.filter(history_change_reason__startswith=f"{CLONED_AS}{offering.pk} ")
        .order_by("-history_date")
        .values_list("id", flat=True)
        .first()
    )


def _cloned_id(reason: str) -> int | None:
    digits = reason[len(CLONED_AS) :].split(" ", 1)[0]
    return int(digits) if digits.isdigit() else None


def _item_label(item) -> str:
    return f"{item.mpn} {item.name}"


def _price_label(pbi: PriceBookItem, rate_key: str) -> str:
    label = f"{pbi.item.mpn} in {rate_key}"
    if pbi.custom_attributes:
        label += f" {json.dumps(pbi.custom_attributes, sort_keys=True)}"
    return label


def _keyed(rows, label) -> dict[int, str]:
    """Each row's key: its label, numbered from the second row of one offering that shares
    it ("Standard", "Standard (2)"), so duplicates match in order."""
    seen: Counter = Counter()
    keys = {}
    for row in rows:
        owner = row.offering_id if isinstance(row, Rate) else row.rate.offering_id
        text = label(row)
        seen[(owner, text)] += 1
        number = seen[(owner, text)]
        keys[row.pk] = text if number == 1 else f"{text} ({number})"
    return keys


def _line_values(line: OfferingItem, scopes: dict[int, list[str]]) -> dict[str, str]:
    return {
        "default quantity": str(line.default_quantity),
        "required": "yes" if line.required else "no",
        "applies to": ", ".join(scopes.get(line.pk, [])) or "—",
    }


def _rate_values(rate: Rate) -> dict[str, str]:
    return {
        "currency": rate.currency,
        "billing frequency": rate.get_billing_frequency_display(),
        "channel": str(rate.sales_channel) if rate.sales_channel_id else "every channel",
        "customer group": rate.customer_group or "any customer group",
        "status": rate.get_status_display(),
    }


def _offering_values(offering: Offering) -> dict[str, str]:
    return {
        "name": offering.name,
        "type": offering.get_type_display(),
        "status": offering.get_status_display(),
        "start date": offering.start_date.isoformat(),
        "end date": offering.end_date.isoformat() if offering.end_date else "—",
    }


def _row(key: str, old: dict | None, new: dict | None) -> Row:
    fields = list(old or new or {})
    values = tuple(
        Value(name, None if old is None else old[name], None if new is None else new[name])
        for name in fields
    )
    if old is None:
        state = ADDED
    elif new is None:
        state = REMOVED
    else:
        state = CHANGED if any(value.state != SAME for value in values) else SAME
    return Row(key=key, values=values, state=state)


def _section(name: str, ids: tuple[int, int], entries) -> Section:
    """Rows in the first offering's order, then the second's new ones."""
    sides: tuple[dict, dict] = ({}, {})
    for owner, key, values in entries:
        for side, pk in zip(sides, ids, strict=True):
            if owner == pk:
                side[key] = values
    keys = list(dict.fromkeys([*sides[0], *sides[1]]))
    return Section(name, tuple(_row(key, sides[0].get(key), sides[1].get(key)) for key in keys))
