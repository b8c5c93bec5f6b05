"""What it costs: offerings, their items, rates, price book items, intervals and tiers.

Rules that need more than one row (offering composition, duplicate price book items, the
shape of a price book item's intervals and tiers) live in ``pricing.rules`` and the writers
(``pricing.services``, ``pricing.rates``); models hold what one row can check.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from catalog.models import Item, Marketplace, Vendor
from catalog.querysets import scoped
from catalog.validators import validate_currency
from pricing import pricebook
from pricing.pricebook.fields import BY_KEY as FIELDS
from pricing.pricebook.snapshot import book_from

MONEY = {"max_digits": 18, "decimal_places": 6}
UNITS = {"max_digits": 18, "decimal_places": 4}


class OfferingQuerySet(scoped("vendor")):
    def available(self, on=None) -> OfferingQuerySet:
        """Active offerings whose [start, end] dates hold ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(status=Offering.Status.ACTIVE, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Offering(models.Model):
    """A group of items sold together, with its price lists (rates)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    class Type(models.TextChoices):
        SUBSCRIPTION = "subscription", "Subscription"
        ONE_TIME = "one_time", "One-time"
        MINIMUM_COMMIT = "minimum_commit", "Minimum commit"
        PERCENT_OF_TOTAL = "percent_of_total", "Percent of total"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="offerings")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    type = models.CharField(max_length=20, choices=Type, default=Type.SUBSCRIPTION)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    objects = OfferingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="offering_ends_after_it_starts",
                violation_error_message="The end date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_available(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.start_date <= on
            and (self.end_date is None or on <= self.end_date)
        )


class OfferingItem(models.Model):
    """An item of an offering: its default quantity, whether it is required, and its scope."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="offering_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="offering_items")
    default_quantity = models.PositiveIntegerField(default=0)
    required = models.BooleanField(default=False)
    applies_to = models.ManyToManyField(
        Item,
        through="OfferingItemScope",
        related_name="scoped_by",
        blank=True,
        help_text="Minimum-commit and percent-of-total items: the items they apply to.",
    )

    objects = scoped("offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "item"],
                name="offering_item_unique",
                violation_error_message="This offering already contains this item.",
            ),
            models.CheckConstraint(
                condition=Q(required=False) | Q(default_quantity__gte=1),
                name="offering_required_item_quantity",
                violation_error_message="A required item starts at a quantity of at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.item}"

    def clean(self) -> None:
        if self.required and self.default_quantity < 1:
            raise ValidationError(
                {"default_quantity": "A required item starts at a quantity of at least 1."}
            )
        if (
            self.offering_id
            and self.item_id
            and self.item.product.vendor_id != self.offering.vendor_id
        ):
            raise ValidationError({"item": "An offering can only contain its vendor's items."})


class OfferingItemScope(models.Model):
    """A usage or subscription item that a commit or percent-of-total item applies to."""

    offering_item = models.ForeignKey(OfferingItem, on_delete=models.CASCADE, related_name="scopes")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    objects = scoped("offering_item__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering_item", "item"],
                name="offering_item_scope_unique",
                violation_error_message="The scope already names this item.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offering_item.item.mpn} → {self.item.mpn}"


class Rate(models.Model):
    """One price list of an offering: currency, billing frequency, channel, customer group."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    class BillingFrequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="rates")
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    billing_frequency = models.CharField(
        max_length=10, choices=BillingFrequency, default=BillingFrequency.MONTHLY
    )
    sales_channel = models.ForeignKey(
        Marketplace,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rates",
        help_text="Only for this marketplace; empty for every channel.",
    )
    customer_group = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)

    objects = scoped("offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.offering}: {self.name} ({self.currency}, {self.billing_frequency})"

    @property
    def period_months(self) -> int:
        return self.PERIOD_MONTHS[self.billing_frequency]

    def clean(self) -> None:
        self.currency = (self.currency or "").upper()
        if self.sales_channel_id and self.sales_channel.currency != self.currency:
            raise ValidationError(
                {"currency": f"The sales channel sells in {self.sales_channel.currency}."}
            )


class PriceBookItem(models.Model):
    """The price of one offering item inside one rate.

    Its charge model is one of ``pricing.pricebook.REGISTRY``: the choices and the database
    constraint below are made from it, and the fields each model reads are declared there.
    """

    class PricingType(models.TextChoices):
        REGULAR = "regular", "Regular (one price)"
        INTERVAL = "interval", "Interval pricing"

    MAX_CUSTOM_ATTRIBUTES = 50

    rate = models.ForeignKey(Rate, on_delete=models.CASCADE, related_name="price_book_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="price_book_items")
    charge_model = models.CharField(max_length=20, choices=pricebook.choices(), default="per_unit")
    pricing_type = models.CharField(max_length=10, choices=PricingType, default=PricingType.REGULAR)
    custom_attributes = models.JSONField(default=dict, blank=True)
    delivery_weekdays = models.JSONField(
        default=list, blank=True, help_text=FIELDS["price.delivery_weekdays"].help
    )
    minimum_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=FIELDS["price.minimum_amount"].help,
    )
    maximum_amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=FIELDS["price.maximum_amount"].help,
    )
    flat_at_zero = models.BooleanField(
        FIELDS["price.flat_at_zero"].label,
        default=False,
        help_text=FIELDS["price.flat_at_zero"].help,
    )

    objects = scoped("rate__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rate", "item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(charge_model__in=list(pricebook.REGISTRY)),
                name="price_book_item_known_charge_model",
                violation_error_message="Unknown charge model.",
            ),
            models.CheckConstraint(
                condition=Q(minimum_amount__isnull=True)
                | Q(maximum_amount__isnull=True)
                | Q(minimum_amount__lte=models.F("maximum_amount")),
                name="price_book_item_minimum_below_maximum",
                violation_error_message="The minimum per period is above the maximum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.mpn} in {self.rate.name}"

    def to_engine(self, intervals=None) -> pricebook.PriceBook:
        """The engine's view of this price (intervals and tiers prefetched by the caller)."""
        intervals = self.intervals.all() if intervals is None else intervals
        return book_from(self, intervals, self.rate.currency)


class PriceInterval(models.Model):
    """One step of interval pricing: Day(n), Month(n) or Infinity, with its prices."""

    class DurationUnit(models.TextChoices):
        DAY = "day", "Day(s)"
        MONTH = "month", "Month(s)"
        INFINITY = "infinity", "Infinity"

    price_book_item = models.ForeignKey(
        PriceBookItem, on_delete=models.CASCADE, related_name="intervals"
    )
    sequence = models.PositiveIntegerField(default=1)
    duration_unit = models.CharField(
        max_length=10, choices=DurationUnit, default=DurationUnit.INFINITY
    )
    duration = models.PositiveIntegerField(null=True, blank=True)
    price = models.DecimalField(**MONEY, default=Decimal(0), validators=[MinValueValidator(0)])
    included_units = models.DecimalField(
        **UNITS, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    overage_price = models.DecimalField(
        **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    package_size = models.DecimalField(
        **UNITS,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text=FIELDS["interval.package_size"].help,
    )

    objects = scoped("price_book_item__rate__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["price_book_item", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_book_item", "sequence"],
                name="price_interval_sequence_unique",
                violation_error_message="Two intervals cannot share a sequence number.",
            ),
            models.CheckConstraint(
                condition=Q(package_size__isnull=True) | Q(package_size__gt=0),
                name="price_interval_package_holds_units",
                violation_error_message="A package holds more than 0 units.",
            ),
        ]

    def __str__(self) -> str:
        if self.duration_unit == self.DurationUnit.INFINITY:
            return f"#{self.sequence} forever"
        return f"#{self.sequence} {self.duration} {self.get_duration_unit_display()}"

    def clean(self) -> None:
        if self.duration_unit == self.DurationUnit.INFINITY:
            if self.duration:
                raise ValidationError({"duration": "An infinity interval has no duration."})
        elif not self.duration:
            raise ValidationError({"duration": "Give a positive number of days or months."})


class PriceTier(models.Model):
    """A band of units inside an interval of a volume or tiered price."""

    class PriceFormat(models.TextChoices):
        PER_UNIT = "per_unit", "Per unit"
        FLAT = "flat", "Flat"

    interval = models.ForeignKey(PriceInterval, on_delete=models.CASCADE, related_name="tiers")
    start_unit = models.DecimalField(**UNITS, default=Decimal(0), validators=[MinValueValidator(0)])
    end_unit = models.DecimalField(**UNITS, null=True, blank=True, help_text="Empty: open-ended.")
    price = models.DecimalField(**MONEY, default=Decimal(0), validators=[MinValueValidator(0)])
    price_format = models.CharField(
        max_length=10, choices=PriceFormat, default=PriceFormat.PER_UNIT
    )
    flat_amount = models.DecimalField(
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=FIELDS["tier.flat_amount"].help,
    )

    objects = scoped("interval__price_book_item__rate__offering__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["interval", "start_unit", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_unit__isnull=True) | Q(end_unit__gt=models.F("start_unit")),
                name="price_tier_ends_after_it_starts",
                violation_error_message="A tier ends above the unit it starts at.",
            )
        ]

    def __str__(self) -> str:
        end = self.end_unit if self.end_unit is not None else "∞"
        return f"{self.start_unit}–{end}: {self.price} ({self.price_format})"

    def clean(self) -> None:
        ends = self.end_unit is not None and self.start_unit is not None
        if ends and self.end_unit <= self.start_unit:
            raise ValidationError({"end_unit": "A tier ends above the unit it starts at."})


# --- Selling: quotes, contracts, and what the lock keeps -------------------------------


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
    total = models.DecimalField(**MONEY, null=True, blank=True, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = scoped("vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.customer})"

    @property
    def reference(self) -> str:
        return f"Q-{self.pk}" if self.pk else "Q-new"

    def clean(self) -> None:
        from pricing.bounds import term_problems

        self.currency = (self.currency or "").upper()
        # Only a draft's term can change; a stored quote from before the bounds may still be
        # processed (refused there), cancelled or kept.
        if self.status != self.Status.DRAFT:
            return
        if problems := term_problems(start_date=self.start_date, periods=self.periods):
            raise ValidationError({"periods": problems})


class QuoteLine(models.Model):
    """One line of a quote; processing records the price that priced it and freezes the amount."""

    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="lines")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="quote_lines")
    rate = models.ForeignKey(Rate, on_delete=models.PROTECT, related_name="quote_lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="quote_lines")
    quantity = models.DecimalField(**UNITS, default=Decimal(1), validators=[MinValueValidator(0)])
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
    amount = models.DecimalField(**MONEY, null=True, blank=True, editable=False)

    objects = scoped("quote__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["quote", "pk"]

    def __str__(self) -> str:
        return f"{self.quote.reference}: {self.quantity} × {self.item.mpn}"

    def clean(self) -> None:
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
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="contract_offerings"
    )

    objects = scoped("contract__vendor").as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "offering"], name="contract_offering_unique"
            )
        ]

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
