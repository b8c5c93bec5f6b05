"""Pricing API serializers: they parse and render; the services decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.fields import (
    AttachedBooleanField,
    AttachedListField,
    BoundedJSONField,
    PrefetchedListSerializer,
    ScopedPrimaryKeyRelatedField,
    grouped,
    prefetched,
)
from catalog.api.history import RowChangeSerializer
from catalog.api.strict import StrictModelSerializer, StrictSerializer
from catalog.models import Item, Marketplace
from pricing.audit import EVENTS_LISTED
from pricing.bounds import MAX_PERIODS
from pricing.lock import lock_reasons_by_offering
from pricing.models import (
    Contract,
    Offering,
    OfferingItem,
    OfferingItemScope,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Quote,
    QuoteLine,
    Rate,
)
from pricing.pricebook.fields import names
from pricing.pricebook.validation import IntervalSpec, interval_spec
from pricing.services import REASON_MAX_LENGTH


def attach_offering_sets(offerings: list[Offering]) -> None:
    """Items (with what they apply to) and lock reasons of offerings: two ``values()`` queries
    and ``lock_reasons_by_offering``'s one per kind of holder.

    ``OfferingViewSet`` attaches them to a whole page; ``OfferingSerializer`` to a single row
    that came another way.
    """
    ids = [offering.pk for offering in offerings]
    lines = list(
        OfferingItem.objects.filter(offering__in=ids)
        .order_by("pk")
        .values("id", "offering_id", "item", "default_quantity", "required")
    )
    scopes = grouped(
        OfferingItemScope.objects.filter(offering_item__offering__in=ids).values_list(
            "offering_item_id", "item_id"
        )
    )
    for line in lines:
        line["applies_to"] = sorted(scopes[line.pop("id")])
    lines = grouped(lines, key="offering_id")
    reasons = lock_reasons_by_offering(ids)
    for offering in offerings:
        offering.prefetched_items = lines[offering.pk]
        offering.prefetched_lock_reasons = reasons[offering.pk]
        offering.prefetched_locked = bool(reasons[offering.pk])


class OfferingItemSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    default_quantity = serializers.IntegerField()
    required = serializers.BooleanField()
    applies_to = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        list_serializer_class = PrefetchedListSerializer


class OfferingSerializer(StrictModelSerializer):
    items = OfferingItemSerializer(many=True, read_only=True)
    locked = AttachedBooleanField()
    lock_reasons = AttachedListField(child=serializers.CharField())

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

    def to_representation(self, offering):
        if prefetched(offering, "items") is None:
            attach_offering_sets([offering])
        return super().to_representation(offering)


class OfferingItemWriteSerializer(StrictSerializer):
    item = ScopedPrimaryKeyRelatedField(model=Item)
    default_quantity = serializers.IntegerField(min_value=0, default=0)
    required = serializers.BooleanField(default=False)
    applies_to = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(model=Item), required=False, default=list
    )


class OfferingItemChangeSerializer(StrictSerializer):
    """What changes of one offering item; a field left out keeps its value."""

    default_quantity = serializers.IntegerField(min_value=0, required=False)
    required = serializers.BooleanField(required=False)
    applies_to = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(model=Item),
        required=False,
        help_text="The items a commit or percent-of-total item applies to (replaces the list).",
    )


class CloneSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class PreviewLineSerializer(StrictSerializer):
    item = ScopedPrimaryKeyRelatedField(model=Item)
    offering = ScopedPrimaryKeyRelatedField(
        model=Offering,
        required=False,
        help_text="Another of the vendor's offerings this line is sold in (what a percent of "
        "total or a commitment applies to): its price is the one the price selector picks for "
        "the rate's currency, billing frequency, channel and customer group. Omitted: the "
        "previewed offering, on the rate.",
    )
    quantity = serializers.DecimalField(max_digits=18, decimal_places=4, min_value=0)


class PricePreviewSerializer(StrictSerializer):
    rate = ScopedPrimaryKeyRelatedField(model=Rate)
    start_date = serializers.DateField()
    periods = serializers.IntegerField(min_value=1, max_value=MAX_PERIODS)
    lines = PreviewLineSerializer(many=True, allow_empty=False)


@extend_schema_field({"type": "string", "format": "decimal", "example": "12.50"})
class DecimalText(serializers.CharField):
    """An amount the selectors already wrote as a decimal string."""


class PreviewPeriodSerializer(serializers.Serializer):
    period = serializers.IntegerField(help_text="1 for the first billing period.")
    start = serializers.DateField()
    end = serializers.DateField(help_text="The period's last day.")
    interval = serializers.IntegerField(help_text="Which interval of the price (1 = first).")
    kind = serializers.ChoiceField(
        choices=["charge", "minimum", "maximum", "percent", "true_up"],
        help_text="charge; minimum (the period's top-up to the price's minimum); maximum (its "
        "cap, negative); percent (a percentage of other lines); true_up (a commitment's "
        "period: committed, consumed, and the true-up as its amount).",
    )
    amount = DecimalText()
    percent = DecimalText(required=False, help_text="Percent lines: the percentage applied.")
    base = DecimalText(required=False, help_text="Percent lines: the amount it applies to.")
    committed = DecimalText(required=False, help_text="True-up lines: the period's commitment.")
    consumed = DecimalText(required=False, help_text="True-up lines: the usage that consumed it.")


class CommitmentSerializer(serializers.Serializer):
    committed = DecimalText(help_text="The commitment over the term.")
    usage = DecimalText(help_text="What the lines it covers came to.")
    true_up = DecimalText(help_text="What usage fell short of the commitment: the line's total.")


class PreviewLineResultSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    offering = serializers.IntegerField(help_text="The offering the line is sold in.")
    quantity = DecimalText()
    periods = PreviewPeriodSerializer(many=True)
    total = DecimalText()
    commitment = CommitmentSerializer(required=False, help_text="Minimum-commit lines only.")


class PricePreviewResultSerializer(serializers.Serializer):
    """What the lines cost on the rate, period by period and in total."""

    currency = serializers.CharField()
    lines = PreviewLineResultSerializer(many=True)
    total = DecimalText(help_text="All lines, rounded to the currency's minor unit.")


class ChangeSerializer(RowChangeSerializer):
    """A change as every history endpoint words it (``catalog.api.history``)."""


class VersionSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Username; null if none was known.")
    what = serializers.CharField(help_text="The offering, or which of its rows.")
    kind = serializers.CharField(help_text="created, changed or deleted.")
    reason = serializers.CharField(allow_blank=True)
    changes = ChangeSerializer(many=True)


class LockEventSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    why = serializers.CharField()


class RefusalSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    code = serializers.CharField(help_text="OFFERING_LOCKED or RATE_LOCKED.")
    attempted = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class OfferingHistorySerializer(serializers.Serializer):
    """The offering's audit trail: versions, when it locked, and refused changes."""

    lock_reasons = serializers.ListField(child=serializers.CharField())
    versions = VersionSerializer(many=True)
    lock_events = LockEventSerializer(
        many=True,
        help_text="Rates activated, and of the sales and the contracts that hold it the first "
        f"and the newest {EVENTS_LISTED}.",
    )
    sales = serializers.IntegerField(help_text="How many processed quotes sold it.")
    contracts = serializers.IntegerField(help_text="How many contracts hold it.")
    refusals = RefusalSerializer(many=True)


class RateSerializer(StrictModelSerializer):
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


class TierSerializer(StrictModelSerializer):
    class Meta:
        model = PriceTier
        fields = names("tier")


class IntervalSerializer(StrictModelSerializer):
    tiers = TierSerializer(many=True, required=False, default=list)

    class Meta:
        model = PriceInterval
        fields = ("duration_unit", "duration", *names("interval"), "tiers")


class PriceBookItemSerializer(StrictModelSerializer):
    """Written whole by POST and PUT: the intervals (with their tiers) replace the old ones
    in one request. PATCH merges the fields given into the stored price; ``intervals``, when
    given, replace the old ones whole."""

    rate = ScopedPrimaryKeyRelatedField(model=Rate)
    item = ScopedPrimaryKeyRelatedField(model=Item)
    intervals = IntervalSerializer(many=True)
    custom_attributes = BoundedJSONField(required=False, default=dict)
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
            *names("price"),
            "intervals",
        )

    def interval_specs(self) -> list[IntervalSpec]:
        return [
            interval_spec(interval, interval.get("tiers", []))
            for interval in self.validated_data["intervals"]
        ]


class QuoteLineSerializer(StrictModelSerializer):
    offering = ScopedPrimaryKeyRelatedField(model=Offering)
    rate = ScopedPrimaryKeyRelatedField(
        model=Rate,
        required=False,
        allow_null=True,
        default=None,
        help_text="The rate to sell at. Left out or null: the price selector picks the "
        "offering's rate for the quote's currency, channel and customer group at "
        "billing_frequency; processing records it here.",
    )
    billing_frequency = serializers.ChoiceField(
        choices=Rate.BillingFrequency.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="With no rate: the billing frequency to pick a rate for (monthly if left "
        "out). With a rate: its own (another one is a 400).",
    )
    item = ScopedPrimaryKeyRelatedField(model=Item)
    custom_attributes = BoundedJSONField(required=False, default=dict)

    class Meta:
        model = QuoteLine
        fields = (
            "id",
            "offering",
            "rate",
            "billing_frequency",
            "item",
            "quantity",
            "custom_attributes",
            "amount",
            "price_book_item",
            "price_reason",
            "breakdown",
        )
        read_only_fields = ("amount", "price_book_item", "price_reason", "breakdown")


class QuoteLineReplaceSerializer(QuoteLineSerializer):
    """One line of a quote's whole new list: ``line`` keeps an existing line (changed to
    these values), a line without it is added."""

    line = ScopedPrimaryKeyRelatedField(
        model=QuoteLine,
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the quote's line this one replaces; leave it out to add a line.",
    )

    class Meta(QuoteLineSerializer.Meta):
        fields = ("line", *QuoteLineSerializer.Meta.fields)


class QuoteSerializer(StrictModelSerializer):
    lines = QuoteLineSerializer(many=True, required=False, default=list)
    reference = serializers.CharField(read_only=True)
    sales_channel = ScopedPrimaryKeyRelatedField(
        model=Marketplace, allow_null=True, required=False, default=None
    )

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
            "sales_channel",
            "customer_group",
            "lines",
            "total",
            "processed_at",
        )
        read_only_fields = ("vendor", "status", "total", "processed_at")


class ContractSerializer(StrictModelSerializer):
    quote = ScopedPrimaryKeyRelatedField(model=Quote)
    offerings = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ("id", "vendor", "quote", "customer", "start_date", "end_date", "offerings")
        read_only_fields = ("vendor", "customer", "start_date", "end_date")

    def get_offerings(self, contract) -> list[int]:
        return sorted(held.offering_id for held in contract.contract_offerings.all())
