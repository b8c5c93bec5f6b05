"""What is sold: organizations, products, items (SKUs), offers, plans, features, listings.

Models hold the invariants a row can check with its own fields and the rows its foreign
keys point at (``clean`` plus database constraints); ``catalog.services`` runs them inside
a transaction for every writer that is not a model form.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from catalog.querysets import (
    ListingQuerySet,
    MarketplaceQuerySet,
    VendorQuerySet,
    scoped,
)
from catalog.validators import (
    normalize_countries,
    normalize_locale,
    validate_currency,
    validate_locale,
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


class Product(models.Model):
    """The business-level thing a vendor sells ("Office 365 (for home)", "Shirt")."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        END_OF_SALE = "end_of_sale", "End of sale"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)

    objects = scoped("vendor", "offer__product").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "name"],
                name="product_name_unique_per_vendor",
                violation_error_message="This vendor already has a product with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ItemGroup(models.Model):
    """A node of a product's variation tree (Shirt → Red → Size M)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="item_groups")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    objects = scoped("product__vendor", "offer__product", "product").as_manager()
    history = HistoricalRecords()
    str_select_related = ("parent",)

    MAX_DEPTH = 20

    class Meta:
        ordering = ["position", "name", "pk"]

    def __str__(self) -> str:
        # The parent's name only when it is already loaded: printing a group never queries.
        if self.parent_id and ItemGroup.parent.is_cached(self):
            return f"{self.parent.name} / {self.name}"
        return self.name

    @property
    def path(self) -> str:
        """The names from the root down to this group, e.g. "Red / Size M"."""
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen and len(names) <= self.MAX_DEPTH:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.product_id and self.parent.product_id != self.product_id:
            raise ValidationError({"parent": "The parent group belongs to another product."})
        # Walk up from the new parent: meeting this group again means a cycle.
        node, depth = self.parent, 0
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError(
                    {"parent": "A group cannot sit under itself or one of its own subgroups."}
                )
            depth += 1
            if depth > self.MAX_DEPTH:
                raise ValidationError(
                    {"parent": f"Item groups nest at most {self.MAX_DEPTH} levels deep."}
                )
            node = node.parent


class Item(models.Model):
    """An atomic line of an order or invoice (a SKU) of one product."""

    class Kind(models.TextChoices):
        ONE_TIME = "one_time", "One-time"
        SUBSCRIPTION = "subscription", "Subscription"
        USAGE = "usage", "Usage (pay as you go)"
        MINIMUM_COMMIT = "minimum_commit", "Minimum commitment"
        PERCENT_OF_TOTAL = "percent_of_total", "Percent of total"

    class BillingPeriod(models.TextChoices):
        ONE_TIME = "one_time", "One-time"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    class CommitmentTerm(models.TextChoices):
        NONE = "none", "None"
        ONE_MONTH = "1m", "1 month"
        ONE_YEAR = "1y", "1 year"
        THREE_YEARS = "3y", "3 years"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        END_OF_SALE = "end_of_sale", "End of sale"

    RESERVATION_KINDS = (Kind.ONE_TIME, Kind.SUBSCRIPTION)

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(
        ItemGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        help_text="Where the item sits in the product's variation tree.",
    )
    mpn = models.CharField("MPN", max_length=64, help_text="Manufacturer part number.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=40, default="unit", help_text="e.g. license, seat, GB.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SUBSCRIPTION)
    billing_period = models.CharField(
        max_length=20, choices=BillingPeriod, default=BillingPeriod.MONTHLY
    )
    commitment_term = models.CharField(
        max_length=10, choices=CommitmentTerm, default=CommitmentTerm.NONE
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    requires_one_of = models.ManyToManyField(
        "self",
        through="AddOnRequirement",
        through_fields=("addon", "base"),
        symmetrical=False,
        related_name="addons",
        blank=True,
        help_text="An add-on is bought alongside one of these base items.",
    )

    objects = scoped(
        "product__vendor", "offer__product", "product", drafts=("status",)
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["product__name", "mpn"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "mpn"],
                name="item_mpn_unique_per_product",
                violation_error_message="This product already has an item with this MPN.",
            ),
            models.CheckConstraint(
                condition=(Q(kind="one_time") & Q(billing_period="one_time"))
                | (~Q(kind="one_time") & ~Q(billing_period="one_time")),
                name="item_billing_period_matches_kind",
                violation_error_message=(
                    "One-time items are billed once; every other kind needs a recurring "
                    "billing period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.mpn}]"

    @property
    def is_reservation(self) -> bool:
        return self.kind in self.RESERVATION_KINDS

    def clean(self) -> None:
        if self.group_id and self.product_id and self.group.product_id != self.product_id:
            raise ValidationError({"group": "The item group belongs to another product."})


class ItemTranslation(models.Model):
    """An item's name and description in one locale ("de", "fr-CA")."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="translations")
    locale = models.CharField(
        max_length=16, validators=[validate_locale], help_text="e.g. de, fr-CA, pt-BR."
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = scoped(
        "item__product__vendor", "offer__product", "item__product", drafts=("item__status",)
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "locale"],
                name="item_translation_unique_locale",
                violation_error_message="This item already has a translation for this locale.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.mpn} [{self.locale}]"

    def clean(self) -> None:
        if self.locale:
            self.locale = normalize_locale(self.locale)


class AddOnRequirement(models.Model):
    """The add-on item must be bought alongside one of its base items."""

    addon = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="base_requirements")
    base = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="addon_requirements")

    # The base may be another product's item: its product's status counts too.
    objects = scoped(
        "addon__product__vendor",
        "offer__product",
        "addon__product",
        drafts=("addon__status", "base__status", "base__product__status"),
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["addon", "base"]
        constraints = [
            models.UniqueConstraint(
                fields=["addon", "base"],
                name="addon_requirement_unique",
                violation_error_message="This add-on already requires this base item.",
            ),
            models.CheckConstraint(
                condition=~Q(addon=F("base")),
                name="addon_requires_other_item",
                violation_error_message="An add-on cannot require itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.addon.mpn} requires {self.base.mpn}"

    def clean(self) -> None:
        if self.addon_id and self.addon_id == self.base_id:
            raise ValidationError({"base": "An add-on cannot require itself."})
        if (
            self.addon_id
            and self.base_id
            and self.addon.product.vendor_id != self.base.product.vendor_id
        ):
            raise ValidationError({"base": "The base item belongs to another vendor."})


class ItemPath(models.Model):
    """An allowed move between two items of one product."""

    class Kind(models.TextChoices):
        UPGRADE = "upgrade", "Upgrade"
        DOWNGRADE = "downgrade", "Downgrade"

    source = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="paths")
    target = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="incoming_paths")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.UPGRADE)

    objects = scoped(
        "source__product__vendor",
        "offer__product",
        "source__product",
        drafts=("source__status", "target__status"),
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="item_path_unique",
                violation_error_message="There is already a path between these two items.",
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="item_path_not_to_itself",
                violation_error_message="An item cannot upgrade or downgrade to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.mpn} → {self.target.mpn} ({self.get_kind_display()})"

    def clean(self) -> None:
        # Inline forms leave the parent's key out of constraint checks, so say it here too.
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": "An item cannot upgrade or downgrade to itself."})
        if self.source_id and self.target_id and self.source.product_id != self.target.product_id:
            raise ValidationError(
                {"target": "Upgrade and downgrade paths stay inside one product."}
            )


class Offer(models.Model):
    """How a vendor presents a product to a market ("For home", "For business")."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = scoped("product__vendor", "offer").as_manager()
    str_select_related = ("product",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"],
                name="offer_name_unique_per_product",
                violation_error_message="This product already has an offer with this name.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.name}: {self.name}"


class Plan(models.Model):
    """A service level of an offer (Basic, Standard, Premium)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    items = models.ManyToManyField(Item, through="PlanItem", related_name="plans", blank=True)
    offering = models.ForeignKey(
        "pricing.Offering",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The pricing offering whose rates price this plan.",
    )

    objects = scoped("offer__product__vendor", "offer", "offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "name"],
                name="plan_name_unique_per_offer",
                violation_error_message="This offer already has a plan with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.offering_id
            and self.offer_id
            and self.offering.vendor_id != self.offer.product.vendor_id
        ):
            raise ValidationError({"offering": "The offering belongs to another vendor."})


class PlanItem(models.Model):
    """An item a plan provides, with its quantity."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="plan_items")
    quantity = models.PositiveIntegerField(default=1)

    # The item may be another product's: its product's status counts too.
    objects = scoped(
        "plan__offer__product__vendor",
        "offer",
        "plan__offer",
        drafts=("item__status", "item__product__status"),
    ).as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "item"],
                name="plan_item_unique",
                violation_error_message="This plan already includes this item.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="plan_item_quantity_positive",
                violation_error_message="A plan includes at least one unit of an item.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.quantity} × {self.item.mpn}"

    def clean(self) -> None:
        if (
            self.plan_id
            and self.item_id
            and self.item.product.vendor_id != self.plan.offer.product.vendor_id
        ):
            raise ValidationError({"item": "A plan can only include its own vendor's items."})


class FeatureGroup(models.Model):
    """A heading of the feature matrix ("Teamwork and communication")."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="feature_groups")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    objects = scoped("offer__product__vendor", "offer", "offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Feature(models.Model):
    """A row of the feature matrix."""

    group = models.ForeignKey(FeatureGroup, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    objects = scoped("group__offer__product__vendor", "offer", "group__offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class PlanFeature(models.Model):
    """One cell of the plan × feature matrix: included or not, plus a short text."""

    TEXT_MAX_LENGTH = 100

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="feature_values")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="plan_values")
    included = models.BooleanField(default=False)
    text = models.CharField(
        max_length=TEXT_MAX_LENGTH, blank=True, help_text='e.g. "up to 300 users", "1 TB".'
    )

    objects = scoped("plan__offer__product__vendor", "offer", "plan__offer").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["feature", "plan"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "feature"],
                name="plan_feature_unique",
                violation_error_message="This plan already has a value for this feature.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} × {self.feature}"

    def clean(self) -> None:
        if self.plan_id and self.feature_id and self.plan.offer_id != self.feature.group.offer_id:
            raise ValidationError("The plan and the feature belong to different offers.")


class Listing(models.Model):
    """An offer published on a marketplace."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LISTED = "listed", "Listed"
        UNLISTED = "unlisted", "Unlisted"

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="listings")
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="listings")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)

    objects = ListingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["offer", "marketplace"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "marketplace"],
                name="listing_unique_per_marketplace",
                violation_error_message="This offer is already listed on this marketplace.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} on {self.marketplace.code}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed for the same key.

    A row without a status code is a request still running under that key.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
