"""What is sold: products, their items (SKUs), the variation tree, translations, add-on
rules and upgrade paths."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.query import ModelIterable

from catalog.history_records import HistoricalRecords
from catalog.models.organizations import Vendor
from catalog.querysets import (
    scoped,
)
from catalog.validators import (
    normalize_locale,
    validate_locale,
)


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
        # Lists of items and products are ordered by product name: read in that order from
        # this index, a first page of a million items stops after its rows (no full sort).
        indexes = [models.Index(fields=["name", "id"], name="product_name_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "name"],
                name="product_name_unique_per_vendor",
                violation_error_message="This vendor already has a product with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


PATH_SEPARATOR = " › "


class GroupPathIterable(ModelIterable):
    """Groups fetched with their full path ("Shirt › Green › Size M") set as ``full_path``:
    one more query for the names of their products' groups, whatever their number."""

    def __iter__(self):
        groups = list(super().__iter__())
        if groups:
            set_full_paths(groups)
        yield from groups


def set_full_paths(groups) -> None:
    product_ids = {group.product_id for group in groups}
    rows = ItemGroup._base_manager.filter(product_id__in=product_ids).values_list(
        "pk", "parent_id", "name", "product__name"
    )
    nodes = {pk: (parent_id, name, product) for pk, parent_id, name, product in rows}
    for group in groups:
        names, node_id, seen = [], group.pk, set()
        while node_id in nodes and node_id not in seen and len(seen) <= ItemGroup.MAX_DEPTH:
            seen.add(node_id)
            parent_id, name, product = nodes[node_id]
            names.append(name)
            node_id = parent_id
        group.full_path = PATH_SEPARATOR.join([product, *reversed(names)]) if names else ""


class ItemGroupQuerySet(scoped("product__vendor", "offer__product", "product")):
    def with_paths(self) -> ItemGroupQuerySet:
        """Groups that print as their full path, product first (``GroupPathIterable``)."""
        clone = self._chain()
        clone._iterable_class = GroupPathIterable
        return clone


class ItemGroup(models.Model):
    """A node of a product's variation tree (Shirt → Red → Size M).

    Fetched ``with_paths()``, a group prints as its full path, "Shirt › Red › Size M": two
    products' "Size S" groups, or two colours', are told apart wherever a group is listed.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="item_groups")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    objects = ItemGroupQuerySet.as_manager()
    history = HistoricalRecords()
    str_select_related = ("parent",)

    MAX_DEPTH = 20

    class Meta:
        ordering = ["position", "name", "pk"]

    def __str__(self) -> str:
        if full_path := self.__dict__.get("full_path"):
            return full_path
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
        # An unknown code is the field validator's error (once, next to the field).
        with contextlib.suppress(ValidationError):
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

    @staticmethod
    def refused_bases(addon: Item) -> list[tuple[Q, str]]:
        """The items ``addon`` cannot require, each with the reason: ``clean`` refuses them,
        and the admin's base picker leaves them out."""
        return [
            (Q(pk=addon.pk), "An add-on cannot require itself."),
            (
                ~Q(product__vendor_id=addon.product.vendor_id),
                "The base item belongs to another vendor.",
            ),
        ]

    def clean(self) -> None:
        if self.addon_id and self.base_id:
            refuse_matching(self.base_id, self.refused_bases(self.addon), "base")


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

    @staticmethod
    def refused_targets(source: Item) -> list[tuple[Q, str]]:
        """The items a path from ``source`` cannot lead to, each with the reason: ``clean``
        refuses them, and the admin's target picker leaves them out."""
        return [
            # Inline forms leave the parent's key out of constraint checks: said here too.
            (Q(pk=source.pk), "An item cannot upgrade or downgrade to itself."),
            (
                ~Q(product_id=source.product_id),
                "Upgrade and downgrade paths stay inside one product.",
            ),
        ]

    def clean(self) -> None:
        if self.source_id and self.target_id:
            refuse_matching(self.target_id, self.refused_targets(self.source), "target")
            if message := self.contradiction():
                raise ValidationError({"target": message})

    def contradiction(self) -> str | None:
        """Why this path contradicts one already there (the target moves back to the source
        the same way: A upgrades to B and B upgrades to A), if it does."""
        back = (
            ItemPath._base_manager.filter(
                source_id=self.target_id, target_id=self.source_id, kind=self.kind
            )
            .select_related("source", "target")
            .first()
        )
        if back is None:
            return None
        verb = "upgrades" if self.kind == self.Kind.UPGRADE else "downgrades"
        return (
            f"{back.source.mpn} already {verb} to {back.target.mpn}: a path back of the same "
            f"kind contradicts it (make it a {'downgrade' if verb == 'upgrades' else 'upgrade'})."
        )


def refuse_matching(pk: int, refusals: list[tuple[Q, str]], field: str) -> None:
    """Raise the reason of the first refusal whose condition item ``pk`` meets."""
    for condition, message in refusals:
        if Item._base_manager.filter(condition, pk=pk).exists():
            raise ValidationError({field: message})


def without_refused(queryset, refusals: list[tuple[Q, str]]):
    """``queryset`` less the rows any of ``refusals`` would refuse."""
    for condition, _message in refusals:
        queryset = queryset.exclude(condition)
    return queryset
