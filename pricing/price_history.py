"""A price's versions with its intervals and tiers: what each save of a price changed.

``pricing.rates.price_book_item_save`` writes a price whole: the price row, then its old
intervals and tiers deleted and new ones inserted. Their own records say "deleted" and
"created", never what changed. Here each version of a price (one record of the price row)
takes the interval and tier records written after it and before the next one, the price's
state after each save is rebuilt, and two states are compared by position: interval by
sequence, tier by its place in the interval (lowest start first). So a tier price changed on
a draft rate reads "Interval 1, tier 2 price: 0.40 → 0.35".

Three queries read every record of any number of prices (price rows, intervals, tiers),
however long their history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from catalog.history import Change, Version, register_versions, tracked_fields
from catalog.models import Item
from catalog.wording import label, words
from pricing.models import PriceBookItem, PriceInterval, PriceTier, Rate

INTERVAL_SKIP = {"price_book_item", "sequence"}
TIER_SKIP = {"interval"}


@dataclass
class PriceState:
    """A price as one save left it: its row, and its live intervals and tiers by id."""

    row: object = None
    intervals: dict = field(default_factory=dict)
    tiers: dict = field(default_factory=dict)

    def apply(self, record) -> None:
        rows = self.intervals if isinstance(record, PriceInterval.history.model) else self.tiers
        if record.history_type == "-":
            rows.pop(record.id, None)
        else:
            rows[record.id] = record

    def copy(self) -> PriceState:
        return PriceState(self.row, dict(self.intervals), dict(self.tiers))

    def by_position(self) -> dict[int, tuple[object, list]]:
        """Intervals by sequence, each with its tiers lowest start first."""
        tiers = defaultdict(list)
        for tier in self.tiers.values():
            tiers[tier.interval_id].append(tier)
        return {
            interval.sequence: (
                interval,
                sorted(tiers[interval.id], key=lambda t: (t.start_unit, t.id)),
            )
            for interval in sorted(self.intervals.values(), key=lambda i: (i.sequence, i.id))
        }


def row_changes(old, new, path: str, said: str, skip: set[str]) -> list[Change]:
    """The fields of two records of (possibly) different rows at the same place."""
    model = new.instance_type
    changes = []
    for model_field in tracked_fields(new):
        if model_field.name in skip:
            continue
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before != after:
            name = label(model, model_field.name)
            changes.append(
                Change(
                    f"{path}.{model_field.name}",
                    before,
                    after,
                    f"{said} {name[:1].lower()}{name[1:]}" if said else name,
                    model_field,
                )
            )
    return changes


def summary(record, skip: set[str]) -> str:
    """A whole interval or tier in one line, for one that came or went."""
    model = record.instance_type
    parts = [
        f"{label(model, f.name).lower()} {words(f, getattr(record, f.attname))}"
        for f in tracked_fields(record)
        if f.name not in skip
    ]
    return ", ".join(parts)


def came_or_went(old, new, path: str, said: str, skip: set[str]) -> Change:
    return Change(
        path,
        summary(old, skip) if old is not None else None,
        summary(new, skip) if new is not None else None,
        said,
    )


def state_changes(old: PriceState, new: PriceState) -> list[Change]:
    """What a save changed: the price's fields, then interval by interval, tier by tier."""
    changes = row_changes(old.row, new.row, "price", "", set())
    before, after = old.by_position(), new.by_position()
    for sequence in sorted(set(before) | set(after)):
        path, said = f"intervals[{sequence}]", f"Interval {sequence}"
        if sequence not in before or sequence not in after:
            gone, came = before.get(sequence, (None, ())), after.get(sequence, (None, ()))
            changes.append(came_or_went(gone[0], came[0], path, said, INTERVAL_SKIP))
            continue
        (old_interval, old_tiers), (new_interval, new_tiers) = before[sequence], after[sequence]
        changes += row_changes(old_interval, new_interval, path, said, INTERVAL_SKIP)
        for place in range(1, max(len(old_tiers), len(new_tiers)) + 1):
            tier_path, tier_said = f"{path}.tiers[{place}]", f"{said}, tier {place}"
            old_tier = old_tiers[place - 1] if place <= len(old_tiers) else None
            new_tier = new_tiers[place - 1] if place <= len(new_tiers) else None
            if old_tier is None or new_tier is None:
                changes.append(came_or_went(old_tier, new_tier, tier_path, tier_said, TIER_SKIP))
            else:
                changes += row_changes(old_tier, new_tier, tier_path, tier_said, TIER_SKIP)
    return changes


def saves(price_records: list, child_records: list) -> list[tuple[object, list]]:
    """Each record of the price row with the interval and tier records its save wrote.

    A child record belongs to the latest price record at or before it. When the price row is
    deleted, its intervals and tiers are deleted just before it (a cascade): deletions after
    the last insert of the previous save are the deletion's, not that save's.
    """
    ordered = sorted(
        [(r.history_date, 0, r.history_id, r) for r in price_records]
        + [(r.history_date, 1, i, r) for i, r in enumerate(child_records)],
        key=lambda entry: entry[:3],
    )
    groups: list[tuple[object, list]] = []
    for _, is_child, _, record in ordered:
        if not is_child:
            groups.append((record, []))
        elif groups:
            groups[-1][1].append(record)
    for (_, children), (following, _) in pairwise(groups):
        if following.history_type == "-":
            last = max((i for i, c in enumerate(children) if c.history_type != "-"), default=-1)
            children[last + 1 :] = [c for c in children[last + 1 :] if c.history_type != "-"]
    return groups


def price_versions(
    price_records: Iterable,
    interval_records: Iterable,
    tier_records: Iterable,
    whats: Mapping[int, str],
) -> list[Version]:
    """Versions, oldest first, of the prices whose records (oldest first) are given."""
    by_price, children = defaultdict(list), defaultdict(list)
    for record in price_records:
        by_price[record.id].append(record)
    interval_price = {}
    for record in interval_records:
        interval_price[record.id] = record.price_book_item_id
        children[record.price_book_item_id].append(record)
    for record in tier_records:
        if (price := interval_price.get(record.interval_id)) is not None:
            children[price].append(record)
    for records in children.values():
        records.sort(key=lambda r: (r.history_date, r.history_id))
    result = []
    for price_id, records in by_price.items():
        state, previous = PriceState(), None
        for record, written in saves(records, children[price_id]):
            state = state.copy()
            state.row = record
            for child in written:
                state.apply(child)
            kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
            changes = state_changes(previous, state) if kind == "changed" and previous else []
            result.append(
                Version(
                    record.history_date,
                    record.history_user,
                    kind,
                    record.history_change_reason or "",
                    whats[price_id],
                    changes,
                    record.history_id,
                )
            )
            previous = state
    return result


def prices_versions(price_records) -> list[Version]:
    """The versions, oldest first, of the prices in ``price_records`` (a queryset of price
    history records): three queries for the records, two for the names in ``what``."""
    ids = price_records.order_by().values("id")
    interval_records = PriceInterval.history.filter(price_book_item_id__in=ids)
    tiers = list(
        PriceTier.history.filter(interval_id__in=interval_records.values("id")).order_by(
            "history_date", "history_id"
        )
    )
    intervals = list(interval_records.order_by("history_date", "history_id"))
    price_records = list(
        price_records.order_by("history_date", "history_id").select_related("history_user")
    )
    latest = {record.id: record for record in price_records}
    mpns = dict(
        Item._base_manager.filter(pk__in={r.item_id for r in latest.values()}).values_list(
            "pk", "mpn"
        )
    )
    rate_names = dict(
        Rate.history.filter(id__in={r.rate_id for r in latest.values()})
        .order_by("history_date", "history_id")
        .values_list("id", "name")
    )  # the last name each rate had, even if it is gone
    whats = {
        pk: f"Price {mpns.get(r.item_id, r.item_id)} in rate {rate_names.get(r.rate_id, '?')!r}"
        for pk, r in latest.items()
    }
    return price_versions(price_records, intervals, tiers, whats)


@register_versions(PriceBookItem)
def price_row_versions(price: PriceBookItem) -> list[Version]:
    """One price's versions, newest first, with its intervals' and tiers' changes."""
    return list(reversed(prices_versions(PriceBookItem.history.filter(id=price.pk))))
