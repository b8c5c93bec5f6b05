"""Selling: quotes, contracts, and what the lock keeps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.history_records import HistoricalRecords
from catalog.models import Item, Marketplace, Vendor
from catalog.querysets import scoped
from catalog.validators import validate_currency
from pricing.models.offerings import Offering, Rate
from pricing.models.prices import PriceBookItem
from pricing.models.units import MONEY, UNITS


class Quote(models.Model):
    """A customer's quote: lines of offering, rate, item and quantity; frozen when processed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROCESSED = "processed", "Processed"
        CANCELLED = "cancelled", "Cancelled"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="quotes")
    customer = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    start_date = models.DateField(default=timezone.localdate)
    periods = models.PositiveIntegerField(
        default=12,
        validators=[MinValueValidator(1)],
        help_text="The term, in billing periods of each line's rate.",
    )
    sales_channel = models.ForeignKey(
        Marketplace,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="The marketplace it sells on: rates for that channel apply, and no other "
        "channel's. Empty: only every-channel rates.",
    )
    customer_group = models.CharField(
        max_length=100,
        blank=True,
        help_text="The customer's group: that group's rates apply, and no other group's.",
    )
    total = models.DecimalField(**MONEY, null=True, blank=True, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = scoped("vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="processed", processed_at__isnull=False)
                | (~Q(status="processed") & Q(processed_at__isnull=True)),
                name="quote_processed_when_processed",
                violation_error_message="A processed quote says when it was processed, and "
                "only a processed quote does.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.customer})"

    @property
    def reference(self) -> str:
        return f"Q-{self.pk}" if self.pk else "Q-new"

    def clean(self) -> None:
        from pricing.bounds import term_problems

        self.currency = (self.currency or "").upper()
        if self.sales_channel_id and self.sales_channel.currency != self.currency:
            raise ValidationError(
                {"sales_channel": f"The sales channel sells in {self.sales_channel.currency}."}
            )
        # Only a draft's term can change; a stored quote from before the bounds may still be
        # processed (refused there), cancelled or kept.
        if self.status != self.Status.DRAFT:
            return
        if problems := term_problems(start_date=self.start_date, periods=self.periods):
            raise ValidationError({"periods": problems})


class QuoteLine(models.Model):
    """One line of a quote; processing records the price that priced it and freezes the amount."""

    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="lines")
    # Both indexed first in (offering, quote) and (rate, quote) (``Meta.indexes``).
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="quote_lines", db_index=False
    )
    rate = models.ForeignKey(
        Rate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quote_lines",
        db_index=False,
        help_text="The rate to sell at. Empty: the price selector picks the offering's rate that "
        "applies to the quote (its currency, channel and customer group) at the line's billing "
        "frequency; processing records it here.",
    )
    billing_frequency = models.CharField(
        max_length=10,
        choices=Rate.BillingFrequency,
        default=Rate.BillingFrequency.MONTHLY,
        help_text="Its rate's billing frequency; with no rate named, the one a rate is picked for.",
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="quote_lines")
    quantity = models.DecimalField(**UNITS, default=Decimal(1), validators=[MinValueValidator(0)])
    custom_attributes = models.JSONField(
        default=dict,
        blank=True,
        help_text="The price with exactly these custom attributes is sold (none: the price "
        "without attributes).",
    )
    price_book_item = models.ForeignKey(
        PriceBookItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quote_lines",
        editable=False,
    )
    price_version = models.BigIntegerField(
        null=True, blank=True, editable=False, help_text="History id of the price used."
    )
    price_snapshot = models.JSONField(null=True, blank=True, editable=False)
    price_reason = models.CharField(
        max_length=300, blank=True, editable=False, help_text="Why this price applied."
    )
    breakdown = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="A commitment's or percent's periods: what was committed and consumed, the "
        "percentage and its base, and each period's amount.",
    )
    amount = models.DecimalField(**MONEY, null=True, blank=True, editable=False)

    objects = scoped("quote__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["quote", "pk"]
        # The lock's reasons walk an offering's or a rate's lines in quote order and stop at
        # the first few quotes (``pricing.lock``): each an index in that order.
        indexes = [
            models.Index(fields=["offering", "quote"], name="quoteline_offering_quote"),
            models.Index(fields=["rate", "quote"], name="quoteline_rate_quote"),
        ]

    def __str__(self) -> str:
        return f"{self.quote.reference}: {self.quantity} × {self.item.mpn}"

    def clean(self) -> None:
        from pricing.rules import custom_attribute_problems

        if problems := custom_attribute_problems(self.custom_attributes):
            raise ValidationError({"custom_attributes": problems})
        if not (self.quote_id and self.offering_id):
            return
        if self.offering.vendor_id != self.quote.vendor_id:
            raise ValidationError({"offering": "A quote sells only its own vendor's offerings."})


class Contract(models.Model):
    """Made from a processed quote: the customer's term and the offerings it holds."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="contract")
    customer = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    offerings = models.ManyToManyField(
        Offering, through="ContractOffering", related_name="contracts"
    )

    objects = scoped("vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_it_starts",
                violation_error_message="A contract cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"C-{self.pk} ({self.customer})"


class ContractOffering(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="contract_offerings"
    )
    offering = models.ForeignKey(  # indexed first in (offering, contract): ``Meta.indexes``
        Offering, on_delete=models.PROTECT, related_name="contract_offerings", db_index=False
    )

    objects = scoped("contract__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "offering"], name="contract_offering_unique"
            )
        ]
        # An offering's contracts in their order, for the lock's first few (``pricing.lock``).
        indexes = [models.Index(fields=["offering", "contract"], name="contractoffering_offering")]

    def __str__(self) -> str:
        return f"{self.contract}: {self.offering}"


class LockRefusal(models.Model):
    """An attempt to change a locked offering or rate, refused: who, when, what, and why."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="refusals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    code = models.CharField(max_length=30)
    attempted = models.CharField(max_length=300)
    reasons = models.JSONField(default=list)

    objects = scoped("offering__vendor").as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code}: {self.attempted}"
