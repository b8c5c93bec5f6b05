"""Deletes obey the lock too: a cascade or a queryset delete cannot empty a locked offering,
nor take what was sold (a processed quote's lines, a contract's offerings) with it.

Whatever changes what a sale reads of an offering without its writers' ``lock_offering`` (a
delete of an offering's item, a rate or a price that cascades, a marketplace renamed: a rate
names its channel)
gives the offering a new revision token too, so no sale prices from what was kept before
(``pricing.price_cache``)."""

from __future__ import annotations

from django.db.models import ProtectedError
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from catalog.models import Marketplace
from pricing.models import (
    ContractOffering,
    OfferingItem,
    OfferingRevision,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Quote,
    QuoteLine,
    Rate,
)
from pricing.price_cache import revise_kept
from pricing.refusals import require_rate_unlocked, require_unlocked


@receiver(pre_delete, sender=OfferingItem, dispatch_uid="pricing.offering_item_delete")
def offering_item_delete(sender, instance: OfferingItem, **kwargs) -> None:
    require_unlocked(instance.offering, attempted=f"delete item {instance.item_id}")
    revise_kept([instance.offering_id])


@receiver(pre_delete, sender=PriceBookItem, dispatch_uid="pricing.price_book_item_delete")
def price_book_item_delete(sender, instance: PriceBookItem, **kwargs) -> None:
    require_rate_unlocked(instance.rate, attempted="delete a price")
    revise_kept([instance.rate.offering_id])


@receiver(pre_delete, sender=PriceInterval, dispatch_uid="pricing.price_interval_delete")
def price_interval_delete(sender, instance: PriceInterval, **kwargs) -> None:
    rate = Rate.objects.get(price_book_items__intervals=instance)
    require_rate_unlocked(rate, attempted="delete a price interval")
    revise_kept([rate.offering_id])


@receiver(pre_delete, sender=PriceTier, dispatch_uid="pricing.price_tier_delete")
def price_tier_delete(sender, instance: PriceTier, **kwargs) -> None:
    rate = Rate.objects.get(price_book_items__intervals__tiers=instance)
    require_rate_unlocked(rate, attempted="delete a price tier")
    revise_kept([rate.offering_id])


@receiver(pre_delete, sender=Rate, dispatch_uid="pricing.rate_delete")
def rate_delete(sender, instance: Rate, **kwargs) -> None:
    revise_kept([instance.offering_id])


@receiver(post_save, sender=Marketplace, dispatch_uid="pricing.marketplace_saved")
def marketplace_saved(sender, instance: Marketplace, created: bool, **kwargs) -> None:
    """A sale's record names its rate's channel: the offerings selling on it are revised."""
    if not created:
        revise_kept(OfferingRevision.objects.filter(offering__rates__sales_channel=instance))


@receiver(pre_delete, sender=QuoteLine, dispatch_uid="pricing.quote_line_delete")
def quote_line_delete(sender, instance: QuoteLine, **kwargs) -> None:
    """A processed or cancelled quote's lines are what was sold (or offered): kept."""
    quote = Quote.objects.only("status").get(pk=instance.quote_id)
    if quote.status != Quote.Status.DRAFT:
        raise ProtectedError(
            f"Quote {quote.reference} is {quote.status}; its lines are kept. "
            "A draft quote is cancelled, not deleted.",
            {instance},
        )


@receiver(pre_delete, sender=ContractOffering, dispatch_uid="pricing.contract_offering_delete")
def contract_offering_delete(sender, instance: ContractOffering, **kwargs) -> None:
    """What a contract holds is never taken out of it."""
    raise ProtectedError(
        f"Contract C-{instance.contract_id} holds offering #{instance.offering_id}; "
        "contracts are kept as they were made.",
        {instance},
    )
