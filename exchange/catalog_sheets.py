"""The catalog workbook's sheets: products, item groups, add-on rules, upgrade paths, offers,
plans, plan items, features, the plan × feature matrix and listings (items are
``exchange.item_sheet``'s, translations ``exchange.translation_sheets``')."""

from __future__ import annotations

from catalog.matrix import MatrixCell, write_matrix
from catalog.models import (
    AddOnRequirement,
    Feature,
    FeatureGroup,
    ItemGroup,
    ItemPath,
    Listing,
    Offer,
    Plan,
    PlanFeature,
    PlanItem,
    Product,
)
from catalog.rows import validated_save
from exchange.columns import Choice, Flag, Number, Text
from exchange.context import GROUP_SEPARATOR
from exchange.outcomes import CHANGED, CREATED, UNCHANGED
from exchange.sheets import ModelSheet, Sheet, changed, column


class ProductSheet(ModelSheet):
    title, key = "products", ("name",)
    editable = ("description", "category", "status")
    name = column("name", Text(required=True))
    category = column("category", Text())
    status = column("status", Choice(Product.Status.choices, default=Product.Status.DRAFT))
    description = column("description", Text())

    def rows_of(self, vendor):
        return Product.objects.filter(vendor=vendor).order_by("name", "pk")

    def find(self, ctx, values):
        return ctx.products.get(values["name"])

    def new(self, ctx, values):
        return Product(vendor=ctx.vendor, name=values["name"], **self.wanted(ctx, values))

    def created(self, ctx, row):
        ctx.products[row.name] = row


class ItemGroupSheet(ModelSheet):
    """A group by its path from the product's root ("Green / Size M"): its parent is the path
    less its last name, on an earlier row or already stored."""

    title, key = "item groups", ("product", "path")
    editable = ("position",)
    product = column("product", Text(required=True), "product__name")
    path = column("path", Text(required=True))
    position = column("position", Number(default=0, integer=True))

    def rows_of(self, vendor):
        from exchange.context import ImportContext

        paths = {group.pk: path for (_p, path), group in ImportContext(vendor).groups.items()}
        groups = list(ItemGroup.objects.filter(product__vendor=vendor).select_related("product"))
        for group in groups:
            group.path_text = paths[group.pk]
        # Parents before their children, then as the product's tree orders them.
        return sorted(
            groups,
            key=lambda g: (g.product.name, g.path_text.count(GROUP_SEPARATOR), g.position, g.pk),
        )

    def dehydrate_path(self, group):
        return group.path_text

    def find(self, ctx, values):
        product = ctx.product(values["product"])
        return ctx.groups.get((product.pk, values["path"]))

    def new(self, ctx, values):
        product = ctx.product(values["product"])
        parent_path, _, name = values["path"].rpartition(GROUP_SEPARATOR)
        parent = ctx.group(product, parent_path.strip()) if parent_path else None
        return ItemGroup(
            product=product, parent=parent, name=name.strip(), position=values["position"]
        )

    def create(self, ctx, values):
        group = super().create(ctx, values)
        ctx.groups[(group.product_id, values["path"])] = group
        return group


class AddOnSheet(ModelSheet):
    """An add-on and one of the base items it is bought alongside."""

    title, key = "add-on rules", ("product", "mpn", "base product", "base mpn")
    product = column("product", Text(required=True), "addon__product__name")
    mpn = column("mpn", Text(required=True), "addon__mpn")
    base_product = column("base product", Text(required=True), "base__product__name")
    base_mpn = column("base mpn", Text(required=True), "base__mpn")

    def rows_of(self, vendor):
        return (
            AddOnRequirement.objects.filter(addon__product__vendor=vendor)
            .select_related("addon__product", "base__product")
            .order_by("addon__product__name", "addon__mpn", "base__product__name", "base__mpn")
        )

    def _pair(self, ctx, values):
        return (
            ctx.item(values["product"], values["mpn"]),
            ctx.item(values["base product"], values["base mpn"]),
        )

    def find(self, ctx, values):
        addon, base = self._pair(ctx, values)
        return AddOnRequirement.objects.filter(addon=addon, base=base).first()

    def new(self, ctx, values):
        addon, base = self._pair(ctx, values)
        return AddOnRequirement(addon=addon, base=base)


class ItemPathSheet(ModelSheet):
    title, key = "upgrade paths", ("product", "mpn", "target mpn")
    editable = ("kind",)
    product = column("product", Text(required=True), "source__product__name")
    mpn = column("mpn", Text(required=True), "source__mpn")
    target_mpn = column("target mpn", Text(required=True), "target__mpn")
    kind = column("kind", Choice(ItemPath.Kind.choices, default=ItemPath.Kind.UPGRADE))

    def rows_of(self, vendor):
        return (
            ItemPath.objects.filter(source__product__vendor=vendor)
            .select_related("source__product", "target")
            .order_by("source__product__name", "source__mpn", "target__mpn")
        )

    def _pair(self, ctx, values):
        return (
            ctx.item(values["product"], values["mpn"]),
            ctx.item(values["product"], values["target mpn"]),
        )

    def find(self, ctx, values):
        source, target = self._pair(ctx, values)
        return ItemPath.objects.filter(source=source, target=target).first()

    def new(self, ctx, values):
        source, target = self._pair(ctx, values)
        return ItemPath(source=source, target=target, kind=values["kind"])


class OfferSheet(ModelSheet):
    title, key = "offers", ("product", "offer")
    editable = ("description",)
    product = column("product", Text(required=True), "product__name")
    offer = column("offer", Text(required=True), "name")
    description = column("description", Text())

    def rows_of(self, vendor):
        return (
            Offer.objects.filter(product__vendor=vendor)
            .select_related("product")
            .order_by("product__name", "name")
        )

    def find(self, ctx, values):
        return ctx.offers.get((ctx.product(values["product"]).pk, values["offer"]))

    def new(self, ctx, values):
        product = ctx.product(values["product"])
        return Offer(product=product, name=values["offer"], description=values["description"])

    def created(self, ctx, row):
        ctx.offers[(row.product_id, row.name)] = row


class PlanSheet(ModelSheet):
    title, key = "plans", ("product", "offer", "plan")
    editable = ("description", "position", "offering")
    product = column("product", Text(required=True), "offer__product__name")
    offer = column("offer", Text(required=True), "offer__name")
    plan = column("plan", Text(required=True), "name")
    position = column("position", Number(default=0, integer=True))
    offering = column("offering", Text(), "offering__name")
    description = column("description", Text())

    def rows_of(self, vendor):
        return (
            Plan.objects.filter(offer__product__vendor=vendor)
            .select_related("offer__product", "offering")
            .order_by("offer__product__name", "offer__name", "position", "pk")
        )

    def wanted(self, ctx, values):
        offering = ctx.offering(values["offering"]) if values["offering"] else None
        return {
            "description": values["description"],
            "position": values["position"],
            "offering": offering,
        }

    def find(self, ctx, values):
        offer = ctx.offer(values["product"], values["offer"])
        return ctx.plans.get((offer.pk, values["plan"]))

    def new(self, ctx, values):
        offer = ctx.offer(values["product"], values["offer"])
        return Plan(offer=offer, name=values["plan"], **self.wanted(ctx, values))

    def created(self, ctx, row):
        ctx.plans[(row.offer_id, row.name)] = row


class PlanItemSheet(ModelSheet):
    title, key = "plan items", ("product", "offer", "plan", "item product", "mpn")
    editable = ("quantity",)
    product = column("product", Text(required=True), "plan__offer__product__name")
    offer = column("offer", Text(required=True), "plan__offer__name")
    plan = column("plan", Text(required=True), "plan__name")
    item_product = column("item product", Text(required=True), "item__product__name")
    mpn = column("mpn", Text(required=True), "item__mpn")
    quantity = column("quantity", Number(default=1, integer=True))

    def rows_of(self, vendor):
        return (
            PlanItem.objects.filter(plan__offer__product__vendor=vendor)
            .select_related("plan__offer__product", "item__product")
            .order_by("plan__offer__product__name", "plan__offer__name", "plan__position", "pk")
        )

    def _pair(self, ctx, values):
        offer = ctx.offer(values["product"], values["offer"])
        return ctx.plan(offer, values["plan"]), ctx.item(values["item product"], values["mpn"])

    def find(self, ctx, values):
        plan, item = self._pair(ctx, values)
        return PlanItem.objects.filter(plan=plan, item=item).first()

    def new(self, ctx, values):
        plan, item = self._pair(ctx, values)
        return PlanItem(plan=plan, item=item, quantity=values["quantity"])


class FeatureSheet(ModelSheet):
    """A feature under its group; a group named for the first time is created with it."""

    title, key = "features", ("product", "offer", "feature group", "feature")
    editable = ("position",)
    product = column("product", Text(required=True), "group__offer__product__name")
    offer = column("offer", Text(required=True), "group__offer__name")
    feature_group = column("feature group", Text(required=True), "group__name")
    group_position = column("group position", Number(default=0, integer=True), "group__position")
    feature = column("feature", Text(required=True), "name")
    position = column("position", Number(default=0, integer=True))

    def rows_of(self, vendor):
        return (
            Feature.objects.filter(group__offer__product__vendor=vendor)
            .select_related("group__offer__product")
            .order_by(
                "group__offer__product__name",
                "group__offer__name",
                "group__position",
                "group__pk",
                "position",
                "pk",
            )
        )

    def _group(self, ctx, values) -> tuple[FeatureGroup, bool]:
        """The feature's group, created or moved to the row's group position."""
        offer = ctx.offer(values["product"], values["offer"])
        key = (offer.pk, values["feature group"])
        group = ctx.feature_groups.get(key)
        if group is None:
            group = validated_save(
                FeatureGroup(
                    offer=offer, name=values["feature group"], position=values["group position"]
                ),
                by=ctx.by,
                reason=ctx.reason,
            )
            ctx.feature_groups[key] = group
            return group, True
        if group.position != values["group position"]:
            group = self.update(ctx, group, {"position": values["group position"]})
            ctx.feature_groups[key] = group
            return group, True
        return group, False

    def apply_row(self, ctx, values):
        group, group_changed = self._group(ctx, values)
        current = ctx.features.get((group.pk, values["feature"]))
        if current is None:
            feature = validated_save(
                Feature(group=group, name=values["feature"], position=values["position"]),
                by=ctx.by,
                reason=ctx.reason,
            )
            ctx.features[(group.pk, feature.name)] = feature
            return CREATED, ()
        changes = changed(current, {"position": values["position"]})
        if changes:
            self.update(ctx, current, changes)
        fields = (*(("group position",) if group_changed else ()), *changes)
        return (CHANGED, fields) if fields else (UNCHANGED, ())


class MatrixSheet(Sheet):
    """One cell of the plan × feature matrix, written through ``write_matrix``."""

    title, key = "matrix", ("product", "offer", "feature group", "feature", "plan")
    product = column("product", Text(required=True), "plan__offer__product__name")
    offer = column("offer", Text(required=True), "plan__offer__name")
    feature_group = column("feature group", Text(required=True), "feature__group__name")
    feature = column("feature", Text(required=True), "feature__name")
    plan = column("plan", Text(required=True), "plan__name")
    included = column("included", Flag())
    text = column("text", Text())

    def rows_of(self, vendor):
        return (
            PlanFeature.objects.filter(plan__offer__product__vendor=vendor)
            .select_related("plan__offer__product", "feature__group")
            .order_by(
                "plan__offer__product__name",
                "plan__offer__name",
                "feature__group__position",
                "feature__group__pk",
                "feature__position",
                "feature__pk",
                "plan__position",
                "plan__pk",
            )
        )

    def apply_row(self, ctx, values):
        offer = ctx.offer(values["product"], values["offer"])
        feature = ctx.feature(offer, values["feature group"], values["feature"])
        plan = ctx.plan(offer, values["plan"])
        current = PlanFeature.objects.filter(plan=plan, feature=feature).first()
        wanted = {"included": values["included"], "text": values["text"]}
        changes = changed(current, wanted) if current else wanted
        if current is not None and not changes:
            return UNCHANGED, ()
        write_matrix(offer=offer, cells={(plan.pk, feature.pk): MatrixCell(**wanted)}, by=ctx.by)
        return (CREATED, ()) if current is None else (CHANGED, tuple(changes))


class ListingSheet(ModelSheet):
    title, key = "listings", ("product", "offer", "marketplace")
    editable = ("status",)
    product = column("product", Text(required=True), "offer__product__name")
    offer = column("offer", Text(required=True), "offer__name")
    marketplace = column("marketplace", Text(required=True), "marketplace__code")
    status = column("status", Choice(Listing.Status.choices, default=Listing.Status.DRAFT))

    def rows_of(self, vendor):
        return (
            Listing.objects.filter(offer__product__vendor=vendor)
            .select_related("offer__product", "marketplace")
            .order_by("offer__product__name", "offer__name", "marketplace__code")
        )

    def _pair(self, ctx, values):
        offer = ctx.offer(values["product"], values["offer"])
        marketplace = ctx.marketplace(values["marketplace"])
        return offer, marketplace

    def find(self, ctx, values):
        offer, marketplace = self._pair(ctx, values)
        return Listing.objects.filter(offer=offer, marketplace=marketplace).first()

    def new(self, ctx, values):
        offer, marketplace = self._pair(ctx, values)
        return Listing(offer=offer, marketplace=marketplace, status=values["status"])
