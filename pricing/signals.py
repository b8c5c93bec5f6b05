"""Deletes obey the lock too: a cascade or a queryset delete cannot empty a locked offering."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from pricing.models import OfferingItem, PriceBookItem, PriceInterval, PriceTier, Rate
from pricing.services import require_rate_unlocked, require_unlocked


@receiver(pre_delete, sender=OfferingItem, dispatch_uid="pricing.offering_item_delete")
def offering_item_delete(sender, instance: OfferingItem, **kwargs) -> None:
    require_unlocked(instance.offering, attempted=f"delete item {instance.item_id}")


@receiver(pre_delete, sender=PriceBookItem, dispatch_uid="pricing.price_book_item_delete")
def price_book_item_delete(sender, instance: PriceBookItem, **kwargs) -> None:
    require_rate_unlocked(instance.rate, attempted="delete a price")


@receiver(pre_delete, sender=PriceInterval, dispatch_uid="pricing.price_interval_delete")
def price_interval_delete(sender, instance: PriceInterval, **kwargs) -> None:
    rate = Rate.objects.get(price_book_items__intervals=instance)
    require_rate_unlocked(rate, attempted="delete a price interval")


@receiver(pre_delete, sender=PriceTier, dispatch_uid="pricing.price_tier_delete")
def price_tier_delete(sender, instance: PriceTier, **kwargs) -> None:
    rate = Rate.objects.get(price_book_items__intervals__tiers=instance)
    require_rate_unlocked(rate, attempted="delete a price tier")
