"""Writes to offerings: fields, items and their scopes, delete and inactivate.

Each write is one service (``catalog.concurrency.service``) that takes the offering's row
lock first (``pricing.refusals``), refuses OFFERING_LOCKED under it when it would change what
a processed quote, a contract or an active rate relies on, and checks the offering's items
as a whole against its type (``pricing.rules.composition_problems``). Rates and prices are
written by ``pricing.rates``; a deep copy by ``pricing.clone``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history

from catalog.concurrency import service
from catalog.models import Item
from catalog.services import validated_save
from pricing.errors import InvalidOfferingComposition
from pricing.models import Offering, OfferingItem, OfferingItemScope, PriceBookItem
from pricing.rates import RateChange, rate_changes_locked
from pricing.refusals import changed_fields, lock_offering, records_refusals, require_unlocked
from pricing.rules import LineSpec, Type, composition_problems

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column


def _lines_of(offering: Offering) -> list[LineSpec]:
    scopes: dict[int, set[int]] = {}
    for offering_item_id, item_id in OfferingItemScope.objects.filter(
        offering_item__offering=offering
    ).values_list("offering_item_id", "item_id"):
        scopes.setdefault(offering_item_id, set()).add(item_id)
    return [
        LineSpec(line.item_id, line.item.kind, line.item.mpn, frozenset(scopes.get(line.pk, ())))
        for line in offering.offering_items.select_related("item")
    ]


def targets_elsewhere(vendor_id: int, lines: Sequence[LineSpec]) -> dict[int, LineSpec]:
    """The vendor's items that the lines' application lists name outside these lines."""
    inside = {line.item_id for line in lines}
    wanted = {target for line in lines for target in line.applies_to} - inside
    if not wanted:
        return {}
    return {
        item.pk: LineSpec(item.pk, item.kind, item.mpn)
        for item in Item.objects.filter(pk__in=wanted, product__vendor_id=vendor_id)
    }


def _check_composition(offering: Offering, offering_type: str, lines: Sequence[LineSpec]) -> None:
    elsewhere = targets_elsewhere(offering.vendor_id, lines)
    if problems := composition_problems(offering_type, lines, elsewhere):
        raise InvalidOfferingComposition(" ".join(problems), errors={"items": problems})


@service
def offering_create(
    *,
    vendor,
    name: str,
    type: str = Type.SUBSCRIPTION,
    description: str = "",
    start_date=None,
    end_date=None,
    status: str = Offering.Status.ACTIVE,
    by: AbstractBaseUser | None = None,
) -> Offering:
    """Create an empty offering; items are added with ``offering_add_item``."""
    return _new_offering(
        vendor=vendor,
        name=name,
        type=type,
        description=description,
        start_date=start_date,
        end_date=end_date,
        status=status,
        by=by,
    )


def _new_offering(*, vendor, start_date=None, by=None, **fields) -> Offering:
    offering = Offering(vendor=vendor, **fields)
    if start_date is not None:
        offering.start_date = start_date
    return validated_save(offering, by=by)


ALWAYS_EDITABLE = {"name", "description", "status", "end_date"}


@records_refusals
@service
def offering_update(
    *, offering: Offering, by: AbstractBaseUser | None = None, reason: str = "", **changes
) -> Offering:
    """Change an offering's fields; a new type must fit its items; a locked one keeps its type."""
    return offering_update_locked(lock_offering(offering), by=by, reason=reason, **changes)


def offering_update_locked(
    offering: Offering,
    *,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    items_follow: bool = False,
    **changes,
) -> Offering:
    """``offering_update``'s work, inside a service that holds the offering's row lock.

    ``items_follow``: the same service sets the items next, and checks them against the new
    type then.
    """
    unknown = set(changes) - ALWAYS_EDITABLE - {"type", "start_date"}
    if unknown:
        raise ValueError(f"offering_update cannot change {', '.join(sorted(unknown))}")
    if locked_fields := changed_fields(offering, changes, ALWAYS_EDITABLE):
        require_unlocked(offering, attempted=f"change {', '.join(locked_fields)}", by=by)
    for name, value in changes.items():
        setattr(offering, name, value)
    if "type" in changes and not items_follow:
        _check_composition(offering, offering.type, _lines_of(offering))
    return validated_save(offering, by=by, reason=reason)


@records_refusals
@service
def offering_add_item(
    *,
    offering: Offering,
    item: Item,
    default_quantity: int = 0,
    required: bool = False,
    applies_to: Iterable[Item] = (),
    by: AbstractBaseUser | None = None,
) -> OfferingItem:
    """Add an item (with its scope) if the offering's type allows it and it is not locked."""
    offering = lock_offering(offering)
    require_unlocked(offering, attempted=f"add item {item.mpn}", by=by)
    applies_to = list(applies_to)
    line = OfferingItem(
        offering=offering, item=item, default_quantity=default_quantity, required=required
    )
    line.full_clean()
    lines = [
        *_lines_of(offering),
        LineSpec(item.pk, item.kind, item.mpn, frozenset(target.pk for target in applies_to)),
    ]
    _check_composition(offering, offering.type, lines)
    line = validated_save(line, by=by, reason=f"item {item.mpn} added")
    if applies_to:
        bulk_create_with_history(
            [OfferingItemScope(offering_item=line, item=target) for target in applies_to],
            OfferingItemScope,
            default_user=by,
            default_change_reason=f"scope of {item.mpn}",
        )
    return line


@records_refusals
@service
def offering_set_scope(
    *, line: OfferingItem, applies_to: Iterable[Item], by: AbstractBaseUser | None = None
) -> OfferingItem:
    """Replace what a commit or percent-of-total item applies to."""
    offering = lock_offering(line.offering)
    require_unlocked(offering, attempted=f"change the scope of {line.item.mpn}", by=by)
    targets = {target.pk: target for target in applies_to}
    lines = [
        LineSpec(spec.item_id, spec.kind, spec.mpn, frozenset(targets))
        if spec.item_id == line.item_id
        else spec
        for spec in _lines_of(offering)
    ]
    _check_composition(offering, offering.type, lines)
    current = set(line.scopes.values_list("item_id", flat=True))
    for scope in line.scopes.exclude(item_id__in=targets):
        scope._history_user = by
        scope.delete()
    bulk_create_with_history(
        [
            OfferingItemScope(offering_item=line, item=t)
            for pk, t in targets.items()
            if pk not in current
        ],
        OfferingItemScope,
        default_user=by,
        default_change_reason=f"scope of {line.item.mpn}",
    )
    return line


@records_refusals
@service
def offering_remove_item(
    *, offering: Offering, item: Item, by: AbstractBaseUser | None = None
) -> None:
    """Take an item out of an offering, if what stays still fits the type."""
    offering = lock_offering(offering)
    require_unlocked(offering, attempted=f"remove item {item.mpn}", by=by)
    line = offering.offering_items.filter(item=item).first()
    if line is None:
        raise InvalidOfferingComposition(
            f"Item {item.mpn} is not part of this offering.", errors={"item": ["Not in offering."]}
        )
    remaining = [spec for spec in _lines_of(offering) if spec.item_id != item.pk]
    if any(item.pk in spec.applies_to for spec in remaining):
        raise InvalidOfferingComposition(
            f"Item {item.mpn} is in the scope of another item; change that scope first."
        )
    _check_composition(offering, offering.type, remaining)
    if PriceBookItem.objects.filter(rate__offering=offering, item=item).exists():
        raise InvalidOfferingComposition(
            f"Item {item.mpn} still has prices in this offering's rates; remove them first."
        )
    line._history_user = by
    line._change_reason = f"item {item.mpn} removed"
    line.delete()


@dataclass(frozen=True)
class OfferingLine:
    """The wanted state of one offering item, for ``offering_set_items``."""

    item: Item
    default_quantity: int = 0
    required: bool = False
    applies_to: tuple[Item, ...] = ()
    # The offering item (row) this line is on, when a page knows it: a row whose item is
    # changed keeps its place in the offering's order, instead of moving to the end.
    line_id: int | None = None


def set_items_problems(
    offering: Offering, offering_type: str, lines: Sequence[OfferingLine]
) -> list[str]:
    """Why an offering cannot take this set of items: composition, duplicates, priced items."""
    specs = [
        LineSpec(
            line.item.pk,
            line.item.kind,
            line.item.mpn,
            frozenset(target.pk for target in line.applies_to),
        )
        for line in lines
    ]
    problems = composition_problems(
        offering_type, specs, targets_elsewhere(offering.vendor_id, specs)
    )
    wanted = [line.item.pk for line in lines]
    if len(set(wanted)) != len(wanted):
        problems.append("An item appears twice in the offering.")
    if offering.pk:
        priced = (
            PriceBookItem.objects.filter(rate__offering=offering)
            .exclude(item__in=wanted)
            .values_list("item__mpn", flat=True)
            .distinct()
        )
        problems += [f"Item {mpn} still has prices in this offering's rates." for mpn in priced]
    return problems


def items_differ(offering: Offering, lines: Sequence[OfferingLine]) -> bool:
    """Whether ``lines`` change the offering's items, quantities, flags or scopes."""
    current = {
        (
            line.item_id,
            line.default_quantity,
            line.required,
            frozenset(scope.item_id for scope in line.scopes.all()),
        )
        for line in offering.offering_items.prefetch_related("scopes")
    }
    wanted = {
        (
            line.item.pk,
            line.default_quantity,
            line.required,
            frozenset(target.pk for target in line.applies_to),
        )
        for line in lines
    }
    return current != wanted


@records_refusals
@service
def offering_set_items(
    *, offering: Offering, lines: Sequence[OfferingLine], by: AbstractBaseUser | None = None
) -> list[OfferingItem]:
    """Make the offering hold exactly these items, checked as a whole, under the row lock."""
    return offering_set_items_locked(lock_offering(offering), lines, by=by)


def offering_set_items_locked(
    offering: Offering, lines: Sequence[OfferingLine], *, by: AbstractBaseUser | None = None
) -> list[OfferingItem]:
    """``offering_set_items``'s work, inside a service that holds the offering's row lock."""
    if items_differ(offering, lines):
        require_unlocked(offering, attempted="change its items", by=by)
    if problems := set_items_problems(offering, offering.type, lines):
        raise InvalidOfferingComposition(" ".join(problems), errors={"items": problems})
    existing = {line.item_id: line for line in offering.offering_items.select_related("item")}
    wanted = {line.item.pk: line for line in lines}
    # A row whose item the page changed takes the new item in place (its place in the order).
    freed = {line.pk: line for item_id, line in existing.items() if item_id not in wanted}
    reused = {
        spec.item.pk: freed.pop(spec.line_id)
        for spec in lines
        if spec.item.pk not in existing and spec.line_id in freed
    }
    for line in freed.values():
        line._history_user = by
        line._change_reason = f"item {line.item.mpn} removed"
        line.delete()
    result = []
    for item_id, spec in wanted.items():
        line = existing.get(item_id) or reused.get(item_id)
        kept = line is not None
        if line is None:
            line = OfferingItem(offering=offering, item=spec.item)
        if line.pk is None or (line.item_id, line.default_quantity, line.required) != (
            item_id,
            spec.default_quantity,
            spec.required,
        ):
            if line.item_id != item_id:
                line._change_reason = f"item {line.item.mpn} replaced by {spec.item.mpn}"
            line.item, line.default_quantity, line.required = (
                spec.item,
                spec.default_quantity,
                spec.required,
            )
            validated_save(line, by=by)
        result.append(line)
        targets = {target.pk for target in spec.applies_to}
        current = set(line.scopes.values_list("item_id", flat=True)) if kept else set()
        for scope in line.scopes.exclude(item_id__in=targets) if current - targets else ():
            scope._history_user = by
            scope.delete()
        if targets - current:
            bulk_create_with_history(
                [OfferingItemScope(offering_item=line, item_id=pk) for pk in targets - current],
                OfferingItemScope,
                default_user=by,
            )
    return result


def offering_lines(offering: Offering) -> list[OfferingLine]:
    """The offering's items as they are now, as ``offering_set_items`` takes them."""
    scopes = OfferingItemScope.objects.select_related("item").order_by("pk")
    return [
        OfferingLine(
            item=line.item,
            default_quantity=line.default_quantity,
            required=line.required,
            applies_to=tuple(scope.item for scope in line.scopes.all()),
        )
        for line in offering.offering_items.select_related("item")
        .prefetch_related(Prefetch("scopes", queryset=scopes))
        .order_by("pk")
    ]


UNCHANGED = object()


@records_refusals
@service
def offering_update_item(
    *,
    offering: Offering,
    item: Item,
    default_quantity: int | object = UNCHANGED,
    required: bool | object = UNCHANGED,
    applies_to: Iterable[Item] | object = UNCHANGED,
    by: AbstractBaseUser | None = None,
) -> OfferingItem:
    """Change one item of an offering: its default quantity, required flag and/or what it
    applies to (each left as it is unless given).

    Under the offering's row lock, as ``offering_set_items``: a change is refused with
    OFFERING_LOCKED while the offering is locked (giving the values it has is no change),
    and the items are checked as a whole against the offering's type.
    """
    offering = lock_offering(offering)
    lines = offering_lines(offering)
    if item.pk not in {line.item.pk for line in lines}:
        raise InvalidOfferingComposition(
            f"Item {item.mpn} is not part of this offering.", errors={"item": ["Not in offering."]}
        )
    changes = {
        name: value
        for name, value in (
            ("default_quantity", default_quantity),
            ("required", required),
            ("applies_to", applies_to),
        )
        if value is not UNCHANGED
    }
    if "applies_to" in changes:
        changes["applies_to"] = tuple(changes["applies_to"])
    wanted = [replace(line, **changes) if line.item.pk == item.pk else line for line in lines]
    if items_differ(offering, wanted):
        require_unlocked(offering, attempted=f"change item {item.mpn}", by=by)
    written = offering_set_items_locked(offering, wanted, by=by)
    return next(line for line in written if line.item_id == item.pk)


@records_refusals
@service
def offering_save_page(
    *,
    offering: Offering | None = None,
    vendor=None,
    changes: Mapping,
    lines: Sequence[OfferingLine] | None = None,
    rates: Sequence[RateChange] = (),
    by: AbstractBaseUser | None = None,
) -> Offering:
    """Save one offering page whole, or nothing of it: fields, items and rate rows.

    ``offering`` None creates one for ``vendor`` from ``changes``; otherwise the row lock is
    taken once and ``changes`` (the changed fields) applied. Then the items become ``lines``
    (None leaves them), checked with the new type, and the rate rows apply in order. Each
    step refuses as its own service does (``offering_update``, ``offering_set_items``,
    ``rate_create`` / ``rate_update`` / ``rate_delete``), in this order, under the same lock.
    """
    if offering is None:
        offering = _new_offering(vendor=vendor, by=by, **changes)
    else:
        offering = lock_offering(offering)
        if changes:
            offering = offering_update_locked(
                offering, by=by, items_follow=lines is not None, **changes
            )
    if lines is not None:
        offering_set_items_locked(offering, lines, by=by)
    rate_changes_locked(offering, rates, by=by)
    return offering


@records_refusals
@service
def offering_delete(*, offering: Offering, by: AbstractBaseUser | None = None) -> None:
    """Remove an offering that nothing uses (no active rate, processed quote or contract)."""
    offering = lock_offering(offering)
    require_unlocked(offering, attempted="delete the offering", by=by)
    offering._history_user = by
    offering.delete()


def offering_inactivate(
    *, offering: Offering, by: AbstractBaseUser | None = None, reason: str = ""
) -> Offering:
    """Retire an offering: no new quotes; everything that used it stays as it was."""
    return offering_update(
        offering=offering,
        status=Offering.Status.INACTIVE,
        by=by,
        reason=reason or "inactivated",
    )
