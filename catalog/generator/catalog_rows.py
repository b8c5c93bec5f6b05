"""The catalog side of a generated vendor: products, variation groups, items with one
translation each, upgrade/downgrade paths and add-on requirements.

Rows obey the models' rules: an MPN is unique in its product, a one-time item bills once and
no other kind does, a group and its items belong to one product, a path joins two items of
one product and never the way back of the same kind (A upgrades to B, B downgrades to A),
an add-on requires another item of its own vendor.
"""

from __future__ import annotations

from itertools import pairwise

from catalog.generator.context import LOCALES, Context, ItemRow, MarketplaceRow, ProductRows
from catalog.models import (
    AddOnRequirement,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Marketplace,
    Product,
    Vendor,
)

K = Item.Kind
COLUMNS = {
    Vendor: ("id", "name", "slug"),
    Marketplace: ("id", "name", "code", "currency", "countries"),
    Product: ("id", "vendor_id", "name", "description", "category", "status"),
    ItemGroup: ("id", "product_id", "parent_id", "name", "position"),
    Item: (
        "id",
        "product_id",
        "group_id",
        "mpn",
        "name",
        "description",
        "unit",
        "kind",
        "billing_period",
        "commitment_term",
        "status",
    ),
    ItemTranslation: ("id", "item_id", "locale", "name", "description"),
    ItemPath: ("id", "source_id", "target_id", "kind"),
    AddOnRequirement: ("id", "addon_id", "base_id"),
}
MARKETPLACES = [
    # code suffix, name, currency, countries (as Marketplace.clean stores them)
    ("na", "North America", "USD", "US,CA"),
    ("eu", "Europe", "EUR", "DE,FR,NL,AT"),
    ("uk", "United Kingdom", "GBP", "GB"),
]
CATEGORIES = ("Productivity", "Security", "Storage", "Communication", "Analytics", "Apparel")
NOUNS = ("Suite", "Cloud", "Backup", "Shield", "Desk", "Insight", "Connect", "Shirt", "Vault")
ADJECTIVES = ("Office", "Team", "Secure", "Smart", "Global", "Open", "Rapid", "Prime", "Blue")
EDITIONS = ("Basic", "Standard", "Premium", "Business", "Enterprise", "Plus", "Pro", "Lite")
UNITS = {
    K.SUBSCRIPTION: ("license", "seat", "user"),
    K.ONE_TIME: ("unit", "setup"),
    K.USAGE: ("GB", "hour", "1,000 calls"),
    K.MINIMUM_COMMIT: ("commitment",),
    K.PERCENT_OF_TOTAL: ("percent",),
}
PERIODS = (Item.BillingPeriod.MONTHLY, Item.BillingPeriod.YEARLY, Item.BillingPeriod.QUARTERLY)
TERMS = tuple(Item.CommitmentTerm.values)
WORD = {"de": "Ausgabe", "fr": "Édition", "fr-CA": "Édition"}
PRODUCT_STATUS = ((0.85, "published"), (0.95, "draft"), (1.0, "end_of_sale"))
ITEM_STATUS = ((0.85, "published"), (0.93, "draft"), (1.0, "end_of_sale"))
MAX_PATHS = 12  # upgrade/downgrade pairs per product


def declare(ctx: Context) -> None:
    for model, columns in COLUMNS.items():
        ctx.writer.declare(model, columns)


def pick(rng, table) -> str:
    roll = rng.random()
    return next(value for bound, value in table if roll < bound)


def write_marketplaces(ctx: Context) -> None:
    first = ctx.writer.ids(Marketplace, len(MARKETPLACES))
    for offset, (suffix, name, currency, countries) in enumerate(MARKETPLACES):
        code = f"{ctx.prefix}-{suffix}"
        ctx.writer.add(
            Marketplace, (first + offset, f"{name} ({ctx.prefix})", code, currency, countries)
        )
        ctx.marketplaces.append(MarketplaceRow(first + offset, code, currency))


def product_sizes(rng, items: int) -> list[int]:
    """Items per product: 5 to 60 each (the last takes what is left)."""
    sizes, left = [], items
    while left > 0:
        size = min(left, rng.randint(5, 60))
        sizes.append(size)
        left -= size
    return sizes


def item_kinds(rng, count: int) -> list[str]:
    """Mostly subscriptions, then usage and one-time items; at most one minimum commitment
    (when there is usage for it to apply to) and one percent of total per product."""
    kinds = [K.SUBSCRIPTION]
    for _ in range(count - 1):
        roll = rng.random()
        if roll < 0.55:
            kinds.append(K.SUBSCRIPTION)
        elif roll < 0.77:
            kinds.append(K.USAGE)
        elif roll < 0.94:
            kinds.append(K.ONE_TIME)
        else:
            kinds.append(None)  # a special, settled below
    specials = [K.MINIMUM_COMMIT] if K.USAGE in kinds else []
    specials.append(K.PERCENT_OF_TOTAL)
    return [kind or (specials.pop(0) if specials else K.SUBSCRIPTION) for kind in kinds]


def write_vendor(ctx: Context, *, number: int, items: int) -> list[ProductRows]:
    """One vendor with ``items`` items over its products; the products as written."""
    rng, writer, prefix = ctx.rng, ctx.writer, ctx.prefix
    vendor_id = writer.ids(Vendor)
    writer.add(
        Vendor, (vendor_id, f"{prefix.title()} Vendor {number:05d}", f"{prefix}-v{number:05d}")
    )
    sizes = product_sizes(rng, items)
    first_product = writer.ids(Product, len(sizes))
    products = []
    for index, size in enumerate(sizes):
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {index + 1}"
        product = ProductRows(first_product + index, vendor_id, index + 1, name)
        writer.add(
            Product,
            (
                product.id,
                vendor_id,
                name,
                f"{name}: generated product {index + 1} of vendor {number}.",
                rng.choice(CATEGORIES),
                pick(rng, PRODUCT_STATUS),
            ),
        )
        write_items(ctx, product, size, vendor_number=number)
        products.append(product)
    return products


def write_groups(ctx: Context, product: ProductRows, count: int) -> list[int]:
    """A two-level variation tree for some products: the leaf group ids (empty: no tree)."""
    rng, writer = ctx.rng, ctx.writer
    if count < 6 or not ctx.chance(0.4):
        return []
    roots = rng.randint(2, 3)
    first = writer.ids(ItemGroup, roots * 3)
    leaves = []
    for r in range(roots):
        root_id = first + r * 3
        writer.add(ItemGroup, (root_id, product.id, None, EDITIONS[r], r))
        for c, size in enumerate(("Small", "Large")):
            leaf_id = root_id + 1 + c
            writer.add(ItemGroup, (leaf_id, product.id, root_id, f"{size} teams", c))
            leaves.append(leaf_id)
    return leaves


def write_items(ctx: Context, product: ProductRows, count: int, *, vendor_number: int) -> None:
    rng, writer, prefix = ctx.rng, ctx.writer, ctx.prefix.upper()
    leaves = write_groups(ctx, product, count)
    kinds = item_kinds(rng, count)
    first = writer.ids(Item, count)
    first_translation = writer.ids(ItemTranslation, count)
    item_rows, translations = [], []
    for index, kind in enumerate(kinds):
        item_id = first + index
        mpn = f"{prefix}-{vendor_number:05d}-{product.number:05d}-{index + 1:03d}"
        edition = EDITIONS[index % len(EDITIONS)]
        name = f"{product.name} {edition} {index + 1}"
        status = pick(rng, ITEM_STATUS)
        period = K.ONE_TIME if kind == K.ONE_TIME else rng.choice(PERIODS)
        term = rng.choice(TERMS) if kind == K.SUBSCRIPTION else Item.CommitmentTerm.NONE
        group = leaves[index % len(leaves)] if leaves else None
        item_rows.append(
            (
                item_id,
                product.id,
                group,
                mpn,
                name,
                f"{name}, sold per {UNITS[kind][0]}.",
                rng.choice(UNITS[kind]),
                kind,
                period,
                term,
                status,
            )
        )
        locale = LOCALES[index % len(LOCALES)]
        translated = f"{product.name} {WORD[locale]} {edition} {index + 1}"
        translations.append((first_translation + index, item_id, locale, translated, ""))
        product.items.append(ItemRow(item_id, kind, mpn, status))
    writer.extend(Item, item_rows)
    writer.extend(ItemTranslation, translations)
    write_paths(ctx, product)


def write_paths(ctx: Context, product: ProductRows) -> None:
    """Consecutive subscriptions: the first upgrades to the next, which downgrades back."""
    subscriptions = product.of_kind(K.SUBSCRIPTION)[: MAX_PATHS + 1]
    pairs = list(pairwise(subscriptions))
    if pairs:
        first = ctx.writer.ids(ItemPath, 2 * len(pairs))
        rows = []
        for n, (low, high) in enumerate(pairs):
            rows.append((first + 2 * n, low.id, high.id, ItemPath.Kind.UPGRADE))
            rows.append((first + 2 * n + 1, high.id, low.id, ItemPath.Kind.DOWNGRADE))
        ctx.writer.extend(ItemPath, rows)
    # Some one-time items are add-ons: bought alongside the product's first subscription.
    base = product.items[0]
    for item in product.of_kind(K.ONE_TIME):
        if ctx.chance(0.2):
            ctx.writer.add(AddOnRequirement, (ctx.writer.ids(AddOnRequirement), item.id, base.id))
