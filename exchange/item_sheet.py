"""The items sheet, written in batches: a vendor's catalog may hold tens of thousands of SKUs.

Every row is checked as ``catalog.rows.validated_save`` checks one (fields, ``Item.clean``,
the check constraints; the MPN's uniqueness against the product's stored items and the
file's earlier rows, from memory instead of a query per row), and the batch is then inserted
and updated with its history in a few statements (simple-history's bulk helpers, with the
importing user and the file's name as the reason), the changed rows under their row locks.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from itertools import islice

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalog.models import Item
from catalog.rows import refuse_nul_characters
from catalog.variations import default_billing_period
from exchange.columns import Choice, Text
from exchange.context import ImportContext, Refused
from exchange.outcomes import CHANGED, CREATED, REFUSED, UNCHANGED, RowOutcome
from exchange.sheets import Sheet, changed, column, reason_of

BATCH = 1000
# Each check constraint of an item, by name, with the fields its condition reads.
CHECKS = {
    constraint.name: (constraint, tuple(sorted(constraint.condition.referenced_base_fields)))
    for constraint in Item._meta.constraints
    if isinstance(constraint, CheckConstraint)
}


class ItemSheet(Sheet):
    title, key = "items", ("product", "mpn")
    product = column("product", Text(required=True), "product__name")
    mpn = column("mpn", Text(required=True))
    name = column("name", Text(required=True))
    group = column("group", Text())
    kind = column("kind", Choice(Item.Kind.choices, default=Item.Kind.SUBSCRIPTION))
    billing_period = column("billing period", Choice(Item.BillingPeriod.choices, blank=True))
    commitment_term = column(
        "commitment term", Choice(Item.CommitmentTerm.choices, default=Item.CommitmentTerm.NONE)
    )
    unit = column("unit", Text())
    status = column("status", Choice(Item.Status.choices, default=Item.Status.DRAFT))
    description = column("description", Text())

    def rows_of(self, vendor):
        self.paths = {group.pk: path for (_p, path), group in ImportContext(vendor).groups.items()}
        return (
            Item.objects.filter(product__vendor=vendor)
            .select_related("product")
            .order_by("product__name", "mpn")
        )

    def dehydrate_group(self, item):
        return self.paths.get(item.group_id, "")

    def apply(self, ctx, rows: Iterable) -> Iterator[RowOutcome]:
        seen: dict[tuple[int, str], int] = {}
        rows = iter(rows)
        while batch := list(islice(rows, BATCH)):
            yield from self.apply_batch(ctx, batch, seen)

    def apply_batch(self, ctx, batch, seen) -> Iterator[RowOutcome]:
        new, changes, outcomes = [], [], []
        for number, raw in batch:
            key = self.key_text(raw)
            try:
                item, fields = self.check_row(ctx, raw, number, seen)
            except (Refused, ValidationError) as exc:
                outcomes.append(RowOutcome(self.title, number, key, REFUSED, reason=reason_of(exc)))
                continue
            if item.pk is None:
                new.append(item)
                outcomes.append(RowOutcome(self.title, number, key, CREATED))
            elif fields:
                changes.append((item, fields))
                outcomes.append(RowOutcome(self.title, number, key, CHANGED, fields))
            else:
                outcomes.append(RowOutcome(self.title, number, key, UNCHANGED))
        if new or changes:
            ctx.forget("items_by_mpn")  # rebuilt from ctx.items when next asked
        if new:
            for item in bulk_create_with_history(
                new, Item, default_user=ctx.by, default_change_reason=ctx.reason
            ):
                ctx.items[(item.product_id, item.mpn)] = item
        if changes:
            rows = [item for item, _fields in changes]
            list(Item.objects.select_for_update().filter(pk__in=[row.pk for row in rows]))
            fields = sorted({name for _item, names in changes for name in names})
            bulk_update_with_history(
                rows,
                Item,
                fields,
                default_user=ctx.by,
                default_change_reason=ctx.reason,
            )
        yield from outcomes

    def check_row(self, ctx, raw, number, seen) -> tuple[Item, tuple[str, ...]]:
        values = self.parse(raw)
        product = ctx.product(values["product"])
        key = (product.pk, values["mpn"])
        if key in seen:
            raise Refused(f"The MPN {values['mpn']!r} is on row {seen[key]} already.")
        seen[key] = number
        wanted = {
            "name": values["name"],
            "group": ctx.group(product, values["group"]),
            "kind": values["kind"],
            "billing_period": values["billing period"] or default_billing_period(values["kind"]),
            "commitment_term": values["commitment term"],
            "unit": values["unit"] or "unit",
            "status": values["status"],
            "description": values["description"],
        }
        current = ctx.items.get(key)
        if current is None:
            item = Item(product=product, mpn=values["mpn"], **wanted)
            fields: tuple[str, ...] = ()
        else:
            differing = changed(current, wanted)
            if not differing:
                return current, ()
            item = Item(**{f.attname: getattr(current, f.attname) for f in Item._meta.fields})
            item._state.adding = False
            for name, value in differing.items():
                setattr(item, name, value)
            fields = tuple(differing)
        check(item)
        if current is not None:
            ctx.items[key] = item
        return item, fields


def check(item: Item) -> None:
    """What ``validated_save`` checks, less its queries: the MPN's uniqueness is checked from
    memory, the product and group are the vendor's rows the context found, and each check
    constraint is asked of the database once per combination of the fields it reads (an
    item's kind and billing period: a handful of combinations for any number of rows)."""
    refuse_nul_characters(item)
    item.full_clean(exclude=["product", "group"], validate_unique=False, validate_constraints=False)
    errors = [
        message
        for name, (_constraint, fields) in CHECKS.items()
        for message in verdict(name, tuple(getattr(item, field) for field in fields))
    ]
    if errors:
        raise ValidationError(errors)


@functools.lru_cache(maxsize=1024)
def verdict(name: str, values: tuple) -> tuple[str, ...]:
    """The messages of check constraint ``name`` for an item with these values of the
    fields it reads (none when it holds)."""
    constraint, fields = CHECKS[name]
    try:
        constraint.validate(Item, Item(**dict(zip(fields, values, strict=True))))
    except ValidationError as exc:
        return tuple(exc.messages)
    return ()
