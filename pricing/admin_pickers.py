"""The pricing pages' item pickers, narrowed to what the pricing rules accept
(see ``catalog.pickers``).

- An offering item's scope lists the items of the kind its offering type may apply to
  (``pricing.rules.ANCHOR``: usage items for a minimum commitment, subscription items for a
  percent of total).
- A price's item lists the items of its rate's offering (what ``price_book_item_save``
  accepts), or, before a rate is chosen, the items of the user's offerings.
"""

from __future__ import annotations

from catalog.models import Item
from catalog.pickers import forward, forwarded, picker
from pricing.models import Offering, OfferingItem, Rate
from pricing.rules import ANCHOR


def scope_kinds(offering: Offering | None) -> set[str]:
    """The item kinds a scope may name: its offering type's, or any type's when the page
    does not know the type yet (a new offering)."""
    anchor = ANCHOR.get(offering.type) if offering is not None and offering.pk else None
    if anchor:
        return {anchor[1]}
    return {target for _anchor, target in ANCHOR.values()}


def scope_choices(user, offering: Offering | None):
    """The items an offering item's scope may name, for the offering page's scope list."""
    return Item.objects.visible_to(user).filter(kind__in=scope_kinds(offering))


def offering_items(user, rate_id: int | None):
    """The items of the rate's offering, or of every offering the user sees."""
    lines = OfferingItem.objects.visible_to(user)
    if rate_id is not None:
        rate = Rate.objects.visible_to(user).filter(pk=rate_id).first()
        lines = lines.filter(offering_id=rate.offering_id) if rate else lines.none()
    return lines.values("item_id")


@picker("pricing", "pricebookitem", "item")
def pick_price_item(request, queryset):
    return queryset.filter(pk__in=offering_items(request.user, forwarded(request, "rate")))


class PriceItemPickerMixin:
    """A price's item search offers the items of its rate's offering."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        rate_id = obj.rate_id if obj is not None else forwarded(request, "rate")
        if "item" in form.base_fields:
            forward(form.base_fields["item"], **({"rate": rate_id} if rate_id else {}))
        return form
