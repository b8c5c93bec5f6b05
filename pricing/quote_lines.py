"""A draft quote's lines: the lines wanted (``QuoteLineSpec``) and the services that write
them, each under the quote's row lock and only while it is a draft. A line names its
offering, item, quantity and custom attributes, and its rate or the billing frequency the
price selector picks a rate for (``pricing.selling.quote_process`` prices it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from catalog.concurrency import service
from catalog.models import Item
from catalog.services import validated_save
from pricing.bounds import check_quote_lines
from pricing.errors import QuoteNotDraft
from pricing.models import Offering, Quote, QuoteLine, Rate


@dataclass(frozen=True)
class QuoteLineSpec:
    """One wanted line of a draft quote; ``pk`` names the line it replaces, None adds one.

    ``rate`` None leaves the rate to the price selector, at ``billing_frequency`` (monthly when
    None); a named rate bills at its own frequency."""

    offering: Offering
    rate: Rate | None
    item: Item
    quantity: Decimal = Decimal(1)
    pk: int | None = None
    custom_attributes: Mapping = field(default_factory=dict)
    billing_frequency: str | None = None

    def frequency(self) -> str:
        """The line's billing frequency: its rate's, else the one asked for, else monthly."""
        if self.rate is None:
            return self.billing_frequency or Rate.BillingFrequency.MONTHLY
        if self.billing_frequency and self.billing_frequency != self.rate.billing_frequency:
            raise ValidationError(
                {
                    "billing_frequency": f"Rate {self.rate.name!r} bills "
                    f"{self.rate.billing_frequency}, not {self.billing_frequency}: leave the "
                    "billing frequency out, or the rate to the price selector."
                }
            )
        return self.rate.billing_frequency


def locked_draft(quote: Quote, *, attempted: str) -> Quote:
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != Quote.Status.DRAFT:
        raise QuoteNotDraft(
            f"Quote {quote.reference} is {quote.status}; it cannot be {attempted}.",
            errors={"status": [f"The quote is {quote.status}."]},
        )
    return quote


def write_lines(quote: Quote, lines: Sequence[QuoteLineSpec], *, by=None) -> None:
    """Delete the lines not wanted, change the ones that differ, add the new ones."""
    existing = {line.pk: line for line in quote.lines.all()}
    if unknown := {spec.pk for spec in lines if spec.pk is not None} - set(existing):
        raise ValidationError({"lines": f"Quote {quote.reference} has no line {min(unknown)}."})
    kept = {spec.pk for spec in lines}
    for pk, line in existing.items():
        if pk not in kept:
            line._history_user = by
            line.delete()
    for spec in lines:
        line = existing.get(spec.pk) or QuoteLine(quote=quote)
        attributes = spec.custom_attributes or {}  # checked by the line's clean()
        rate_id = spec.rate.pk if spec.rate is not None else None
        wanted = (spec.offering.pk, rate_id, spec.item.pk, Decimal(spec.quantity), attributes)
        wanted += (spec.frequency(),)
        stored = (line.offering_id, line.rate_id, line.item_id, line.quantity)
        if line.pk and (*stored, line.custom_attributes, line.billing_frequency) == wanted:
            continue
        line.offering, line.rate, line.item = spec.offering, spec.rate, spec.item
        line.quantity = Decimal(spec.quantity)
        line.custom_attributes = attributes
        line.billing_frequency = spec.frequency()
        validated_save(line, by=by)


@service
def quote_add_line(
    *,
    quote: Quote,
    offering: Offering,
    item: Item,
    rate: Rate | None = None,
    quantity: Decimal | int = 1,
    custom_attributes: Mapping | None = None,
    billing_frequency: str | None = None,
    by: AbstractBaseUser | None = None,
) -> QuoteLine:
    """Add a line to a draft quote (checked when the quote is processed); without a rate, the
    price selector picks it at processing (``QuoteLineSpec``)."""
    quote = locked_draft(quote, attempted="given lines")
    check_quote_lines(quote.lines.count() + 1)
    spec = QuoteLineSpec(offering, rate, item, billing_frequency=billing_frequency)
    line = QuoteLine(
        quote=quote,
        offering=offering,
        rate=rate,
        item=item,
        quantity=Decimal(quantity),
        custom_attributes=custom_attributes or {},
        billing_frequency=spec.frequency(),
    )
    return validated_save(line, by=by)


QUOTE_LINE_EDITABLE = {
    "offering",
    "rate",
    "item",
    "quantity",
    "custom_attributes",
    "billing_frequency",
}


def _line_specs(quote: Quote) -> list[QuoteLineSpec]:
    """The quote's lines as they are now, each naming itself (``pk``)."""
    return [
        QuoteLineSpec(
            offering=line.offering,
            rate=line.rate,
            item=line.item,
            quantity=line.quantity,
            pk=line.pk,
            custom_attributes=line.custom_attributes,
            billing_frequency=None if line.rate_id else line.billing_frequency,
        )
        for line in quote.lines.select_related("offering", "rate", "item").order_by("pk")
    ]


def _line_of(quote: Quote, specs: Sequence[QuoteLineSpec], line_id: int) -> QuoteLineSpec:
    for spec in specs:
        if spec.pk == line_id:
            return spec
    raise ValidationError({"lines": f"Quote {quote.reference} has no line {line_id}."})


@service
def quote_change_line(
    *, quote: Quote, line_id: int, by: AbstractBaseUser | None = None, **changes
) -> QuoteLine:
    """Change one line of a draft quote (its offering, rate, item, quantity and/or custom
    attributes; the others as they are), under the quote's row lock as ``quote_update``."""
    quote = locked_draft(quote, attempted="changed")
    if unknown := set(changes) - QUOTE_LINE_EDITABLE:
        raise ValueError(f"quote_change_line cannot change {', '.join(sorted(unknown))}")
    specs = _line_specs(quote)
    spec = _line_of(quote, specs, line_id)
    if "rate" in changes and "billing_frequency" not in changes:
        changes["billing_frequency"] = None  # a named rate's own, or monthly
    write_lines(quote, [replace(s, **changes) if s is spec else s for s in specs], by=by)
    return quote.lines.get(pk=line_id)


@service
def quote_remove_line(*, quote: Quote, line_id: int, by: AbstractBaseUser | None = None) -> None:
    """Take one line out of a draft quote, under the quote's row lock as ``quote_update``."""
    quote = locked_draft(quote, attempted="changed")
    specs = _line_specs(quote)
    spec = _line_of(quote, specs, line_id)
    write_lines(quote, [s for s in specs if s is not spec], by=by)
