"""Composed reads of the distributor portal: the listings index and one listing's page.

Every read starts from ``Listing.objects.visible_to(user)``: distributors reach only listed
listings of their marketplaces, vendor staff their own vendor's (any status: a preview),
superusers all. What hangs off a listing (plans, features, items, prices) is read through
it, each kind of row in one query, so a page costs the same number of queries whatever
its size. Items, plan items and prices are read through ``visible_to`` too: it, not the
portal, keeps drafts from distributors, and gives vendors their drafts to preview. Which
prices a listing shows, and their words, come from ``portal.prices``: the listing page and
each price's own page (``listing_price``) show the same ones.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from catalog.models import (
    AddOnRequirement,
    FeatureGroup,
    Item,
    ItemGroup,
    ItemPath,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanFeature,
    PlanItem,
    Product,
    Vendor,
)
from catalog.querysets import distributor_of, vendor_of
from catalog.selectors import offer_feature_matrix
from portal.prices import (
    PriceLine,
    channel_prices,
    item_prices,
    plan_price_lines,
    sentence,
    shown_prices,
)
from portal.texts import Text, Texts
from pricing.models import PriceBookItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from portal.locales import ContentLocale


# --- Who may use the portal -------------------------------------------------------------


def portal_role(user: AbstractBaseUser) -> str | None:
    """ "distributor", "vendor" (previewing their own listings), "superuser", or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return "superuser"
    if distributor_of(user):
        return "distributor"
    if vendor_of(user):
        return "vendor"
    return None


# --- The listings index -----------------------------------------------------------------


@dataclass(frozen=True)
class ListingFilters:
    q: str = ""
    marketplace: int | None = None
    vendor: int | None = None
    product: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.marketplace or self.vendor or self.product)


@dataclass(frozen=True)
class FilterChoices:
    marketplaces: list[Marketplace]
    vendors: list[Vendor]
    products: list[Product]
    more_products: bool = False  # more than PRODUCT_CHOICES: only the chosen one is offered
    more_vendors: bool = False  # more than VENDOR_CHOICES: only the chosen one is offered


PRODUCT_CHOICES = 100  # the most products the filter lists; more: choose a vendor, or search
VENDOR_CHOICES = 100  # the most vendors the filter lists; more: search by the vendor's name


def listing_index(*, user: AbstractBaseUser, filters: ListingFilters) -> QuerySet[Listing]:
    """The user's visible listings, searched by offer, product or vendor name and filtered."""
    listings = Listing.objects.visible_to(user).select_related(
        "offer__product__vendor", "marketplace"
    )
    if filters.q:
        listings = listings.filter(
            Q(offer__name__icontains=filters.q)
            | Q(offer__product__name__icontains=filters.q)
            | Q(offer__product__vendor__name__icontains=filters.q)
        )
    if filters.marketplace:
        listings = listings.filter(marketplace_id=filters.marketplace)
    if filters.vendor:
        listings = listings.filter(offer__product__vendor_id=filters.vendor)
    if filters.product:
        listings = listings.filter(offer__product_id=filters.product)
    return listings.order_by("offer__product__name", "offer__name", "marketplace__name", "pk")


@dataclass
class ListingRow:
    """A listing of the index, with its offer's name and description in the reader's
    language."""

    listing: Listing
    name: Text
    description: Text


def listing_rows(listings, *, locale: ContentLocale) -> list[ListingRow]:
    """One page of the index's listings as rows (their offers' translations: one query)."""
    texts = Texts(locale)
    rows = []
    for listing in listings:
        offer = listing.offer
        rows.append(ListingRow(listing, Text(offer.name), Text(offer.description)))
        texts.name(offer, rows[-1])
        texts.description(offer, rows[-1])
    texts.load()
    return rows


def listing_filter_choices(
    *, user: AbstractBaseUser, vendor: int | None = None, product: int | None = None
) -> FilterChoices:
    """The marketplaces, vendors and products that have a listing the user sees.

    Scoped by the visible listings (distributors may not list vendors as such: a vendor is
    only known to them through what it lists). The products are the chosen vendor's, when
    one is chosen; more than ``PRODUCT_CHOICES`` of them are not listed (a thousand options
    help nobody and cost a page its speed): only the chosen product is, and the reader picks
    a vendor or searches by name. Likewise more than ``VENDOR_CHOICES`` vendors: only the
    chosen one is listed, and the search finds a vendor by its name. Three queries (four or
    five with a product or a vendor chosen among too many).
    """
    visible = Listing.objects.visible_to(user)
    products = Product.objects.filter(Exists(visible.filter(offer__product=OuterRef("pk"))))
    if vendor is not None:
        products = products.filter(vendor_id=vendor)
    products = products.select_related("vendor").order_by("name", "vendor__name", "pk")
    vendors = Vendor.objects.filter(
        Exists(visible.filter(offer__product__vendor=OuterRef("pk")))
    ).order_by("name", "pk")
    listed, more = _bounded(products, PRODUCT_CHOICES, chosen=product)
    listing_vendors, more_vendors = _bounded(vendors, VENDOR_CHOICES, chosen=vendor)
    return FilterChoices(
        marketplaces=list(
            Marketplace.objects.filter(Exists(visible.filter(marketplace=OuterRef("pk"))))
        ),
        vendors=listing_vendors,
        products=listed,
        more_products=more,
        more_vendors=more_vendors,
    )


def _bounded(rows: QuerySet, limit: int, *, chosen: int | None) -> tuple[list, bool]:
    """The filter's choices and whether there were more than ``limit``: then only the chosen
    row (if any) is offered, so that it stays chosen."""
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, False
    return (list(rows.filter(pk=chosen)) if chosen is not None else []), True


# --- One listing ------------------------------------------------------------------------


def listing_for_page(*, user: AbstractBaseUser) -> QuerySet[Listing]:
    """Visible listings with what the page header needs and the offer's plans prefetched."""
    plan_items = PlanItem.objects.visible_to(user).select_related("item").order_by("pk")
    plans = Plan.objects.select_related("offering").prefetch_related(
        Prefetch("plan_items", plan_items)
    )
    return (
        Listing.objects.visible_to(user)
        .select_related("offer__product__vendor", "marketplace")
        .prefetch_related(Prefetch("offer__plans", plans))
    )


@dataclass
class ItemRef:
    """Another item named on the page (an add-on's base, an upgrade's target)."""

    pk: int
    mpn: str
    name: Text
    on_page: bool = False


@dataclass
class PlanRef:
    """A plan an item is in, and how many of the item it holds."""

    name: Text
    quantity: int = 1
    rank: int = 0  # the plan's place on the page


@dataclass
class ItemView:
    item: Item
    name: Text
    description: Text
    variation: str = ""
    in_plans: list[PlanRef] = field(default_factory=list)
    prices: list[PriceLine] = field(default_factory=list)
    requires_one_of: list[ItemRef] = field(default_factory=list)
    addons: list[ItemRef] = field(default_factory=list)
    upgrades: list[ItemRef] = field(default_factory=list)
    downgrades: list[ItemRef] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.item.status == Item.Status.DRAFT


@dataclass
class PlanColumn:
    plan: Plan
    name: Text
    description: Text
    prices: list[PriceLine] = field(default_factory=list)


@dataclass(frozen=True)
class MatrixCell:
    included: bool
    text: str


@dataclass
class FeatureRow:
    name: Text
    cells: list[MatrixCell]


@dataclass
class FeatureSection:
    group: FeatureGroup
    name: Text
    rows: list[FeatureRow]


@dataclass
class ListingPage:
    listing: Listing
    name: Text  # the offer's
    description: Text
    plans: list[PlanColumn]
    sections: list[FeatureSection]
    items: list[ItemView]

    @property
    def offer(self) -> Offer:
        return self.listing.offer

    @property
    def is_preview(self) -> bool:
        """Not listed: only its vendor's staff and superusers see it."""
        return self.listing.status != Listing.Status.LISTED

    @property
    def has_features(self) -> bool:
        return any(section.rows for section in self.sections)


def listing_page(*, listing: Listing, user: AbstractBaseUser, locale: ContentLocale) -> ListingPage:
    """Everything one listing's page shows, in a fixed number of queries."""
    offer = listing.offer
    texts = Texts(locale)
    matrix = offer_feature_matrix(offer)  # plans come from listing_for_page's prefetch
    sections = []
    for group in matrix.groups:
        rows = []
        for feature in group.features.all():
            cells = [_cell(matrix.value(plan.pk, feature.pk)) for plan in matrix.plans]
            rows.append(FeatureRow(name=Text(feature.name), cells=cells))
            texts.name(feature, rows[-1])
        sections.append(FeatureSection(group=group, name=Text(group.name), rows=rows))
        texts.name(group, sections[-1])
    items = _item_views(offer=offer, plans=matrix.plans, user=user, texts=texts)
    prices_of = channel_prices(plans=matrix.plans, marketplace=listing.marketplace, user=user)
    plans = []
    for plan in matrix.plans:
        column = PlanColumn(plan=plan, name=Text(plan.name), description=Text(plan.description))
        texts.name(plan, column)
        texts.description(plan, column)
        column.prices = [
            line
            for prices in prices_of.get(plan.offering_id, {}).values()
            for line in plan_price_lines(plan, prices, locale, texts)
        ]
        plans.append(column)
    _add_item_prices(items, prices_of, locale)
    page = ListingPage(
        listing=listing,
        name=Text(offer.name),
        description=Text(offer.description),
        plans=plans,
        sections=sections,
        items=items,
    )
    texts.name(offer, page)
    texts.description(offer, page)
    texts.load()
    return page


def _cell(value: PlanFeature | None) -> MatrixCell:
    if value is None or not value.included:
        return MatrixCell(included=False, text="")
    return MatrixCell(included=True, text=value.text)


def page_items(*, offer: Offer, user: AbstractBaseUser) -> QuerySet[Item]:
    """The items with a card on the listing's page: the product's and the plans' items the
    user may see (a vendor's preview includes its draft items)."""
    in_plans = PlanItem.objects.filter(plan__offer_id=offer.pk).values("item_id")
    shown = Item.objects.visible_to(user)
    return shown.filter(Q(product_id=offer.product_id) | Q(pk__in=in_plans))


def _item_views(
    *, offer: Offer, plans: list[Plan], user: AbstractBaseUser, texts: Texts
) -> list[ItemView]:
    """The product's items and the plans' items, with add-ons and upgrade paths (5 queries)."""
    shown = Item.objects.visible_to(user)  # a vendor's preview includes its draft items
    items = list(page_items(offer=offer, user=user))
    ids = [item.pk for item in items]

    groups = {
        group.pk: group
        for group in ItemGroup.objects.filter(product_id__in={item.product_id for item in items})
    }
    requirements = list(
        AddOnRequirement.objects.filter(Q(addon_id__in=ids) | Q(base_id__in=ids))
        .filter(addon__in=shown, base__in=shown)
        .select_related("addon", "base")
        .order_by("base__mpn", "addon__mpn")
    )
    paths = list(
        ItemPath.objects.filter(source_id__in=ids, target__in=shown)
        .select_related("target")
        .order_by("target__mpn")
    )

    plans_of: dict[int, list[PlanRef]] = defaultdict(list)
    for rank, plan in enumerate(plans):
        for plan_item in plan.plan_items.all():
            reference = PlanRef(name=Text(plan.name), quantity=plan_item.quantity, rank=rank)
            texts.name(plan, reference)
            plans_of[plan_item.item_id].append(reference)

    views: dict[int, ItemView] = {}
    for item in items:
        view = ItemView(
            item=item,
            name=Text(item.name),
            description=Text(item.description),
            variation=_group_path(item.group_id, groups),
            in_plans=plans_of.get(item.pk, []),
        )
        texts.name(item, view, "name")
        texts.description(item, view, "description")
        views[item.pk] = view

    def ref(item: Item) -> ItemRef:
        reference = ItemRef(
            pk=item.pk, mpn=item.mpn, name=Text(item.name), on_page=item.pk in views
        )
        texts.name(item, reference, "name")
        return reference

    for requirement in requirements:
        if requirement.addon_id in views:
            views[requirement.addon_id].requires_one_of.append(ref(requirement.base))
        if requirement.base_id in views:
            views[requirement.base_id].addons.append(ref(requirement.addon))
    for path in paths:
        source = views[path.source_id]
        moves = source.upgrades if path.kind == ItemPath.Kind.UPGRADE else source.downgrades
        moves.append(ref(path.target))

    return sorted(views.values(), key=lambda view: _item_order(view, len(plans), groups))


def _group_chain(group_id: int | None, groups: dict[int, ItemGroup]) -> list[ItemGroup]:
    chain, seen = [], set()
    while group_id is not None and group_id in groups and group_id not in seen:
        seen.add(group_id)
        chain.append(groups[group_id])
        group_id = groups[group_id].parent_id
    return list(reversed(chain))


def _group_path(group_id: int | None, groups: dict[int, ItemGroup]) -> str:
    return " / ".join(group.name for group in _group_chain(group_id, groups))


def _item_order(view: ItemView, plans: int, groups: dict[int, ItemGroup]):
    """Items of the first plan first, then the next plan's, then the others (add-ons);
    within that by place in the variation tree, then MPN."""
    item = view.item
    first_plan = min((ref.rank for ref in view.in_plans), default=plans)
    tree_place = [(group.position, group.name) for group in _group_chain(item.group_id, groups)]
    return (first_plan, tree_place, item.mpn)


def _add_item_prices(views: list[ItemView], prices_of, locale: ContentLocale) -> None:
    """Each item's own prices in the prices the page's plans use, each text once (no query:
    already loaded)."""
    by_pk = {view.item.pk: view for view in views}
    for pbi in item_prices(prices_of, by_pk):
        view = by_pk[pbi.item_id]
        text = sentence(pbi, locale)
        if text is not None and text not in {line.text for line in view.prices}:
            view.prices.append(PriceLine(text=text, item=view.item, pbi=pbi))


# --- One price of a listing -------------------------------------------------------------


@dataclass
class ListingPrice:
    """A price the listing's page shows, for its own page: the item's and the offer's names
    in the reader's language, and the price in words."""

    listing: Listing
    pbi: PriceBookItem
    text: str
    name: Text = field(default_factory=lambda: Text(""))  # the item's
    offer_name: Text = field(default_factory=lambda: Text(""))


def listing_price(
    *, listing: Listing, price_id: int, user: AbstractBaseUser, locale: ContentLocale
) -> ListingPrice | None:
    """The price ``price_id`` if the listing's page shows it to ``user`` (the same prices, by
    the same selector), else None. The listing from ``listing_for_page``; six queries more
    (items, prices; the translations of the item and offer in another language)."""
    offer = listing.offer
    plans = list(offer.plans.all())
    prices_of = channel_prices(plans=plans, marketplace=listing.marketplace, user=user)
    item_ids = set(page_items(offer=offer, user=user).values_list("pk", flat=True))
    pbi = shown_prices(plans, prices_of, item_ids).get(price_id)
    text = sentence(pbi, locale) if pbi is not None else None
    if text is None:
        return None
    found = ListingPrice(listing=listing, pbi=pbi, text=text)
    texts = Texts(locale)
    texts.name(pbi.item, found, "name")
    texts.name(offer, found, "offer_name")
    texts.load()
    return found
