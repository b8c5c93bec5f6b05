"""Who sells and who buys: vendors, marketplaces, distributors and their members."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.history_records import HistoricalRecords
from catalog.querysets import (
    MarketplaceQuerySet,
    VendorQuerySet,
)
from catalog.validators import (
    normalize_countries,
    validate_currency,
)


class Vendor(models.Model):
    """A software vendor: owns products, offers and (later) prices."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    objects = VendorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Marketplace(models.Model):
    """A sales channel with its own currency and countries."""

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    countries = models.CharField(
        max_length=500,
        blank=True,
        help_text="ISO 3166 country codes, comma separated (e.g. US, CA).",
    )

    objects = MarketplaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"

    def clean(self) -> None:
        self.currency = (self.currency or "").upper()
        try:
            self.countries = normalize_countries(self.countries)
        except ValidationError as exc:
            raise ValidationError({"countries": exc.messages}) from exc

    @property
    def country_list(self) -> list[str]:
        return [code for code in self.countries.split(",") if code]


class Distributor(models.Model):
    """A distributor, admitted to some marketplaces, where it browses listed offers."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    marketplaces = models.ManyToManyField(
        Marketplace, related_name="distributors", blank=True, help_text="Marketplaces admitted to."
    )

    history = HistoricalRecords(m2m_fields=[marketplaces])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Ties a user to exactly one organization: a vendor or a distributor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    vendor = models.ForeignKey(
        Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    distributor = models.ForeignKey(
        Distributor, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(vendor__isnull=False) & Q(distributor__isnull=True))
                | (Q(vendor__isnull=True) & Q(distributor__isnull=False)),
                name="membership_one_organization",
                violation_error_message="A user belongs to a vendor or a distributor, not both.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.vendor or self.distributor}"
