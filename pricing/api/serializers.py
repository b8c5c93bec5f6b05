"""Pricing API serializers: they parse and render; the services decide."""

from __future__ import annotations

from rest_framework import serializers

from catalog.api.fields import ScopedPrimaryKeyRelatedField
from catalog.models import Item, Marketplace
from pricing.lock import describe_lock
from pricing.models import (
    Contract,
    Offering,
    OfferingItem,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Quote,
    QuoteLine,
    Rate,
)
from pricing.services import IntervalSpec, TierSpec


def lock_reasons_prefetched(offering: Offering) -> list[str]:
    """``lock_reasons`` from rows ``OfferingViewSet`` prefetched: no query per offering."""
    if not hasattr(offering, "_lock_reasons"):  # locked and lock_reasons both ask
        offering._lock_reasons = describe_lock(
            sorted({line.quote_id for line in offering.processed_lines}),
            sorted(held.contract_id for held in offering.held_by),
            [rate.name for rate in offering.active_rates],
        )
    return offering._lock_reasons


class OfferingItemSerializer(serializers.ModelSerializer):
    applies_to = serializers.SerializerMethodField()

    class Meta:
        model = OfferingItem
        fields = ("item", "default_quantity", "required", "applies_to")

    def get_applies_to(self, line) -> list[int]:
        return sorted(scope.item_id for scope in line.scopes.all())


class OfferingSerializer(serializers.ModelSerializer):
    items = OfferingItemSerializer(source="offering_items", many=True, read_only=True)
    locked = serializers.SerializerMethodField()
    lock_reasons = serializers.SerializerMethodField()

    class Meta:
        model = Offering
        fields = (
            "id",
            "vendor",
            "name",
            "description",
            "type",
            "status",
            "start_date",
            "end_date",
            "items",
            "locked",
            "lock_reasons",
        )
        read_only_fields = ("vendor",)

    def get_locked(self, offering) -> bool:
        return bool(lock_reasons_prefetched(offering))

    def get_lock_reasons(self, offering) -> list[str]:
        return lock_reasons_prefetched(offering)


class OfferingItemWriteSerializer(serializers.Serializer):
    item = ScopedPrimaryKeyRelatedField(model=Item)
    default_quantity = serializers.IntegerField(min_value=0, default=0)
    required = serializers.BooleanField(default=False)
    applies_to = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(model=Item), required=False, default=list
    )


class CloneSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PreviewLineSerializer(serializers.Serializer):
    item = ScopedPrimaryKeyRelatedField(model=Item)
    quantity = serializers.DecimalField(max_digits=18, decimal_places=4, min_value=0)


class PricePreviewSerializer(serializers.Serializer):
    rate = ScopedPrimaryKeyRelatedField(model=Rate)
    start_date = serializers.DateField()
    periods = serializers.IntegerField(min_value=1, max_value=120)
    lines = PreviewLineSerializer(many=True, allow_empty=False)


class RateSerializer(serializers.ModelSerializer):
    offering = ScopedPrimaryKeyRelatedField(model=Offering)
    sales_channel = ScopedPrimaryKeyRelatedField(model=Marketplace, allow_null=True, required=False)

    class Meta:
        model = Rate
        fields = (
            "id",
            "offering",
            "name",
            "currency",
            "billing_frequency",
            "sales_channel",
            "customer_group",
            "status",
        )


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceTier
        fields = ("start_unit", "end_unit", "price", "price_format")


class IntervalSerializer(serializers.ModelSerializer):
    tiers = TierSerializer(many=True, required=False, default=list)

    class Meta:
        model = PriceInterval
        fields = ("duration_unit", "duration", "price", "included_units", "overage_price", "tiers")


class PriceBookItemSerializer(serializers.ModelSerializer):
    """Written whole: the intervals (with their tiers) replace the old ones in one request."""

    rate = ScopedPrimaryKeyRelatedField(model=Rate)
    item = ScopedPrimaryKeyRelatedField(model=Item)
    intervals = IntervalSerializer(many=True)
    custom_attributes = serializers.JSONField(required=False, default=dict)
    delivery_weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list
    )

    class Meta:
        model = PriceBookItem
        fields = (
            "id",
            "rate",
            "item",
            "charge_model",
            "pricing_type",
            "custom_attributes",
            "delivery_weekdays",
            "intervals",
        )

    def interval_specs(self) -> list[IntervalSpec]:
        return [
            IntervalSpec(
                duration_unit=interval["duration_unit"],
                duration=interval.get("duration"),
                price=interval.get("price", 0),
                included_units=interval.get("included_units", 0),
                overage_price=interval.get("overage_price", 0),
                tiers=tuple(
                    TierSpec(
                        start_unit=tier.get("start_unit", 0),
                        end_unit=tier.get("end_unit"),
                        price=tier.get("price", 0),
                        price_format=tier.get("price_format", PriceTier.PriceFormat.PER_UNIT),
                    )
                    for tier in interval.get("tiers", [])
                ),
            )
            for interval in self.validated_data["intervals"]
        ]


class QuoteLineSerializer(serializers.ModelSerializer):
    offering = ScopedPrimaryKeyRelatedField(model=Offering)
    rate = ScopedPrimaryKeyRelatedField(model=Rate)
    item = ScopedPrimaryKeyRelatedField(model=Item)

    class Meta:
        model = QuoteLine
        fields = ("offering", "rate", "item", "quantity", "amount")
        read_only_fields = ("amount",)


class QuoteSerializer(serializers.ModelSerializer):
    lines = QuoteLineSerializer(many=True, required=False, default=list)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Quote
        fields = (
            "id",
            "reference",
            "vendor",
            "customer",
            "currency",
            "status",
            "start_date",
            "periods",
            "lines",
            "total",
            "processed_at",
        )
        read_only_fields = ("vendor", "status", "total", "processed_at")


class ContractSerializer(serializers.ModelSerializer):
    quote = ScopedPrimaryKeyRelatedField(model=Quote)
    offerings = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ("id", "vendor", "quote", "customer", "start_date", "end_date", "offerings")
        read_only_fields = ("vendor", "customer", "start_date", "end_date")

    def get_offerings(self, contract) -> list[int]:
        return sorted(held.offering_id for held in contract.contract_offerings.all())
