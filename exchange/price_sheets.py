"""The prices workbook's sheets: offerings, offering items, rates, and the prices (price book
items with their intervals and tiers, a row per tier).

Each is written through pricing's services (their bodies, under the offering's row lock),
so an import meets the lock, the offering's composition rules and the charge models' shape
exactly as the admin and the API do.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.concurrency import body
from catalog.errors import DomainError
from exchange.columns import Choice, Date, Flag, Json, Names, Number, Text
from exchange.context import Refused
from exchange.outcomes import CHANGED, CREATED, REFUSED, UNCHANGED, RowOutcome
from exchange.sheets import ModelSheet, Sheet, column, reason_of
from pricing.models import Offering, OfferingItem, PriceBookItem, PriceTier, Rate
from pricing.pricebook import choices as charge_model_choices
from pricing.pricebook.fields import FIELDS, INTERVAL, PRICE, TIER
from pricing.pricebook.snapshot import book_from
from pricing.pricebook.validation import IntervalSpec, TierSpec
from pricing.rates import price_book_item_save, rate_create_locked, rate_update_locked
from pricing.refusals import lock_offering
from pricing.services import (
    OfferingLine,
    offering_create,
    offering_lines,
    offering_set_items_locked,
    offering_update_locked,
)


class OfferingSheet(ModelSheet):
    title, book, key = "offerings", "prices", ("offering",)
    editable = ("type", "status", "start_date", "end_date", "description")
    offering = column("offering", Text(required=True), "name")
    type = column("type", Choice(Offering.Type.choices, default=Offering.Type.SUBSCRIPTION))
    status = column("status", Choice(Offering.Status.choices, default=Offering.Status.ACTIVE))
    start_date = column("start date", Date())
    end_date = column("end date", Date())
    description = column("description", Text())

    def rows_of(self, vendor):
        return Offering.objects.filter(vendor=vendor).order_by("name", "pk")

    def wanted(self, ctx, values):
        wanted = super().wanted(ctx, values)
        if wanted["start_date"] is None:
            del wanted["start_date"]  # a new offering starts today; a stored one keeps its date
        return wanted

    def find(self, ctx, values):
        return ctx.find_offering(values["offering"])

    def create(self, ctx, values):
        offering = body(offering_create)(
            vendor=ctx.vendor, name=values["offering"], by=ctx.by, **self.wanted(ctx, values)
        )
        ctx.offerings[offering.name].append(offering)
        return offering

    def update(self, ctx, current, changes):
        return offering_update_locked(
            lock_offering(current), by=ctx.by, reason=ctx.reason, **changes
        )


class OfferingItemSheet(Sheet):
    """An offering's items, written per offering as a whole (``offering_set_items``): the
    rows of one offering add or change its items; items the file does not name stay."""

    title, book, key = "offering items", "prices", ("offering", "product", "mpn")
    offering = column("offering", Text(required=True), "offering__name")
    product = column("product", Text(required=True), "item__product__name")
    mpn = column("mpn", Text(required=True), "item__mpn")
    default_quantity = column("default quantity", Number(default=0, integer=True))
    required = column("required", Flag())
    applies_to = column("applies to", Names())

    def rows_of(self, vendor):
        self.names = scope_names(vendor)
        return (
            OfferingItem.objects.filter(offering__vendor=vendor)
            .select_related("offering", "item__product")
            .order_by("offering__name", "offering__pk", "pk")
        )

    def dehydrate_applies_to(self, line):
        return self.fields["applies_to"].widget.render(self.names.get(line.pk, []))

    def apply(self, ctx, rows):
        by_offering = defaultdict(list)
        for number, raw in rows:
            by_offering[str(raw.get("offering") or "").strip()].append((number, raw))
        for name, group in by_offering.items():
            yield from self.apply_offering(ctx, name, group)

    def apply_offering(self, ctx, name, group):
        outcomes, wanted = {}, []
        try:
            offering = ctx.offering(name)
            lines = {line.item.pk: line for line in offering_lines(offering)}
        except Refused as exc:
            for number, raw in group:
                yield RowOutcome(self.title, number, self.key_text(raw), REFUSED, reason=str(exc))
            return
        for number, raw in group:
            key = self.key_text(raw)
            try:
                values = self.parse(raw)
                item = ctx.item(values["product"], values["mpn"])
                line = OfferingLine(
                    item=item,
                    default_quantity=values["default quantity"],
                    required=values["required"],
                    applies_to=tuple(ctx.item_named(text) for text in values["applies to"]),
                )
            except Refused as exc:
                outcomes[number] = RowOutcome(self.title, number, key, REFUSED, reason=str(exc))
                continue
            current = lines.get(item.pk)
            lines[item.pk] = line
            if current is None:
                outcomes[number] = RowOutcome(self.title, number, key, CREATED)
            else:
                fields = line_changes(current, line)
                result = CHANGED if fields else UNCHANGED
                outcomes[number] = RowOutcome(self.title, number, key, result, fields)
            wanted.append(number)
        if wanted and any(outcomes[n].result != UNCHANGED for n in wanted):
            try:
                with transaction.atomic():
                    offering_set_items_locked(
                        lock_offering(offering), list(lines.values()), by=ctx.by
                    )
            except (ValidationError, DomainError) as exc:
                for number in wanted:
                    outcomes[number] = RowOutcome(
                        self.title, number, outcomes[number].key, REFUSED, reason=reason_of(exc)
                    )
        yield from (outcomes[number] for number, _raw in group)


def line_changes(current: OfferingLine, wanted: OfferingLine) -> tuple[str, ...]:
    fields = []
    if current.default_quantity != wanted.default_quantity:
        fields.append("default_quantity")
    if current.required != wanted.required:
        fields.append("required")
    if {i.pk for i in current.applies_to} != {i.pk for i in wanted.applies_to}:
        fields.append("applies_to")
    return tuple(fields)


def scope_names(vendor) -> dict[int, list[str]]:
    """Each offering item's application list as the sheet writes it: MPNs, or "Product /
    MPN" where two of the vendor's products use the MPN."""
    from catalog.models import Item
    from pricing.models import OfferingItemScope

    counts = defaultdict(int)
    for mpn in Item.objects.filter(product__vendor=vendor).values_list("mpn", flat=True):
        counts[mpn] += 1
    names = defaultdict(list)
    scopes = OfferingItemScope.objects.filter(offering_item__offering__vendor=vendor).order_by(
        "item__product__name", "item__mpn"
    )
    for line_id, mpn, product in scopes.values_list(
        "offering_item_id", "item__mpn", "item__product__name"
    ):
        names[line_id].append(mpn if counts[mpn] == 1 else f"{product} / {mpn}")
    return names


class RateSheet(ModelSheet):
    title, book, key = "rates", "prices", ("offering", "rate")
    editable = ("currency", "billing_frequency", "sales_channel", "customer_group", "status")
    offering = column("offering", Text(required=True), "offering__name")
    rate = column("rate", Text(required=True), "name")
    currency = column("currency", Text(required=True))
    billing_frequency = column(
        "billing frequency",
        Choice(Rate.BillingFrequency.choices, default=Rate.BillingFrequency.MONTHLY),
    )
    sales_channel = column("sales channel", Text(), "sales_channel__code")
    customer_group = column("customer group", Text())
    status = column("status", Choice(Rate.Status.choices, default=Rate.Status.DRAFT))

    def rows_of(self, vendor):
        return (
            Rate.objects.filter(offering__vendor=vendor)
            .select_related("offering", "sales_channel")
            .order_by("offering__name", "offering__pk", "name", "pk")
        )

    def wanted(self, ctx, values):
        wanted = super().wanted(ctx, values)
        wanted["currency"] = wanted["currency"].upper()
        wanted["sales_channel"] = ctx.marketplace(values["sales channel"])
        return wanted

    def find(self, ctx, values):
        return ctx.find_rate(ctx.offering(values["offering"]), values["rate"])

    def create(self, ctx, values):
        offering = lock_offering(ctx.offering(values["offering"]))
        rate = rate_create_locked(
            offering, name=values["rate"], by=ctx.by, **self.wanted(ctx, values)
        )
        ctx.rates[(offering.pk, rate.name)].append(rate)
        return rate

    def update(self, ctx, current, changes):
        lock_offering(current.offering)
        return rate_update_locked(current, by=ctx.by, reason=ctx.reason, **changes)


def _widget(field):
    if field.level == "tier":  # blank: the row has no tier
        if field.kind == "text":
            return Choice(PriceTier.PriceFormat.choices, default="")
        return Number()
    if field.kind == "decimal":
        return Number(default=field.default)
    if field.kind == "optional_decimal":
        return Number()
    if field.kind == "bool":
        return Flag()
    if field.kind == "weekdays":
        return Names()
    return Choice(PriceTier.PriceFormat.choices, default=field.default)


def _column_name(field) -> str:
    name = field.name.replace("_", " ")
    return f"tier {name}" if field.level == "tier" else name


# The price's columns, from the field catalog: a new field of a charge model is a new column.
PRICE_COLUMNS = {field.key: _column_name(field) for field in FIELDS}
PBI_KEY = ("offering", "rate", "product", "mpn", "attributes")


class PriceSheet(Sheet):
    """A price book item, flat: a row per tier of each interval (a row per interval when it
    has no tiers). The price's own columns repeat on each of its rows and must agree."""

    title, book, key = "prices", "prices", (*PBI_KEY, "interval", "tier start unit")
    offering = column("offering", Text(required=True))
    rate = column("rate", Text(required=True))
    product = column("product", Text(required=True))
    mpn = column("mpn", Text(required=True))
    attributes = column("attributes", Json())
    charge_model = column("charge model", Choice(charge_model_choices(), default="per_unit"))
    pricing_type = column(
        "pricing type",
        Choice(PriceBookItem.PricingType.choices, default=PriceBookItem.PricingType.REGULAR),
    )
    interval = column("interval", Number(default=1, integer=True))
    duration_unit = column("duration unit", Text())
    duration = column("duration", Number(integer=True))

    def get_export_fields(self, selected_fields=None):
        return self._all_fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        head = [
            self.fields[name]
            for name in (
                "offering",
                "rate",
                "product",
                "mpn",
                "attributes",
                "charge_model",
                "pricing_type",
            )
        ]
        price = [column(PRICE_COLUMNS[f.key], _widget(f)) for f in PRICE]
        interval = [self.fields[n] for n in ("interval", "duration_unit", "duration")]
        interval += [column(PRICE_COLUMNS[f.key], _widget(f)) for f in INTERVAL]
        tier = [column(PRICE_COLUMNS[f.key], _widget(f)) for f in TIER]
        self._all_fields = head + price + interval + tier
        for field in self._all_fields:
            field.attribute = field.column_name  # the export's rows are dicts by column

    def export_field(self, field, instance, **kwargs):
        return field.export(instance)

    def rows_of(self, vendor):
        pbis = (
            PriceBookItem.objects.filter(rate__offering__vendor=vendor)
            .select_related("rate__offering", "item__product")
            .with_rows()
            .order_by(
                "rate__offering__name",
                "rate__offering__pk",
                "rate__name",
                "rate__pk",
                "item__product__name",
                "item__mpn",
                "pk",
            )
        )
        for pbi in pbis:
            head = {
                "offering": pbi.rate.offering.name,
                "rate": pbi.rate.name,
                "product": pbi.item.product.name,
                "mpn": pbi.item.mpn,
                "attributes": pbi.custom_attributes,
                "charge model": pbi.charge_model,
                "pricing type": pbi.pricing_type,
                **{PRICE_COLUMNS[f.key]: getattr(pbi, f.name) for f in PRICE},
            }
            for interval in pbi.intervals.all():
                row = {
                    **head,
                    "interval": interval.sequence,
                    "duration unit": interval.duration_unit,
                    "duration": interval.duration,
                    **{PRICE_COLUMNS[f.key]: getattr(interval, f.name) for f in INTERVAL},
                }
                tiers = list(interval.tiers.all()) or [None]
                for tier in tiers:
                    yield {
                        **row,
                        **{
                            PRICE_COLUMNS[f.key]: getattr(tier, f.name) if tier else None
                            for f in TIER
                        },
                    }

    def apply(self, ctx, rows):
        groups = defaultdict(list)
        for number, raw in rows:
            try:
                values = self.parse(raw)
            except Refused as exc:
                yield RowOutcome(self.title, number, self.key_text(raw), REFUSED, reason=str(exc))
                continue
            key = tuple(
                json.dumps(values[n], sort_keys=True) if n == "attributes" else values[n]
                for n in PBI_KEY
            )
            groups[key].append((number, raw, values))
        for rows_of_price in groups.values():
            yield from self.apply_price(ctx, rows_of_price)

    def apply_price(self, ctx, rows):
        try:
            with transaction.atomic():
                result, fields = self.write_price(ctx, rows)
        except (Refused, ValidationError, DomainError) as exc:
            result, fields, reason = REFUSED, (), reason_of(exc)
        else:
            reason = ""
        for number, raw, _values in rows:
            yield RowOutcome(self.title, number, self.key_text(raw), result, fields, reason)

    def write_price(self, ctx, rows):
        (first_number, _raw, first), *_ = rows
        own = ["charge model", "pricing type", *(PRICE_COLUMNS[f.key] for f in PRICE)]
        for number, _raw, values in rows[1:]:
            if differing := [name for name in own if values[name] != first[name]]:
                raise Refused(
                    f"Row {number} gives {', '.join(differing)} other than row {first_number} "
                    "of the same price."
                )
        rate = ctx.rate(first["offering"], first["rate"])
        item = ctx.item(first["product"], first["mpn"])
        intervals = self.intervals(rows)
        options = {f.name: first[PRICE_COLUMNS[f.key]] for f in PRICE}
        options["delivery_weekdays"] = weekdays(options["delivery_weekdays"])
        current = self.current(rate, item, first["attributes"])
        if current is not None:
            fields = price_changes(current, first, options, intervals, rate.currency)
            if not fields:
                return UNCHANGED, ()
        body(price_book_item_save)(
            rate=rate,
            item=item,
            charge_model=first["charge model"],
            pricing_type=first["pricing type"],
            intervals=intervals,
            custom_attributes=first["attributes"],
            instance=current,
            by=ctx.by,
            reason=ctx.reason,
            **options,
        )
        return (CREATED, ()) if current is None else (CHANGED, fields)

    @staticmethod
    def current(rate, item, attributes):
        wanted = {str(name).strip(): value for name, value in attributes.items()}
        for pbi in PriceBookItem.objects.filter(rate=rate, item=item).with_rows():
            if pbi.custom_attributes == wanted:
                return pbi
        return None

    @staticmethod
    def intervals(rows) -> tuple[IntervalSpec, ...]:
        by_number: dict[int, list[dict]] = defaultdict(list)
        for _number, _raw, values in rows:
            by_number[values["interval"]].append(values)
        specs = []
        for number in sorted(by_number):
            rows_of_interval = by_number[number]
            head = rows_of_interval[0]
            unit = (head["duration unit"] or "infinity").lower()
            tiers = tuple(
                TierSpec(**{f.name: given(row, f) for f in TIER})
                for row in rows_of_interval
                if any(row[PRICE_COLUMNS[f.key]] not in (None, "") for f in TIER)
            )
            specs.append(
                IntervalSpec(
                    duration_unit=unit,
                    duration=head["duration"],
                    tiers=tiers,
                    **{f.name: head[PRICE_COLUMNS[f.key]] for f in INTERVAL},
                )
            )
        return tuple(specs)


def given(row: dict, field):
    """A tier's cell, or the field's default where the row leaves it blank."""
    value = row[PRICE_COLUMNS[field.key]]
    return field.default if value in (None, "") and field.kind != "optional_decimal" else value


def weekdays(names: list[str]) -> frozenset[int]:
    days = set()
    for name in names:
        if not name.isdigit() or not 0 <= int(name) <= 6:
            raise Refused(f"delivery weekdays: {name!r} is not a weekday number (0 = Monday).")
        days.add(int(name))
    return frozenset(days)


def price_changes(current, first, options, intervals, currency) -> tuple[str, ...]:
    fields = [
        name
        for name in ("charge_model", "pricing_type")
        if getattr(current, name) != first[name.replace("_", " ")]
    ]
    for name, value in options.items():
        stored = getattr(current, name)
        if name == "delivery_weekdays":
            stored, value = frozenset(stored), frozenset(value)
        if stored != value:
            fields.append(name)
    stored_book = book_from(current, current.intervals.all(), currency)
    wanted_book = book_from(current, intervals, currency)
    if stored_book.intervals != wanted_book.intervals:
        fields.append("intervals")
    return tuple(fields)
