"""Composed reads of the distributor portal: the listings index and one listing's page.

Every read starts from ``Listing.objects.visible_to(user)``: distributors reach only listed
listings of their marketplaces, vendor staff their own vendor's (any status: a preview),
superusers all. What hangs off a listing (plans, features, items, prices) is read through
it, each kind of row in one query, so a page costs the same number of queries whatever
its size. Items, plan items and prices are read through ``visible_to`` too: it, not the
portal, keeps drafts from distributors, and gives vendors their drafts to preview. Prices
are worded in Python from the engine's view of each price book item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import translation

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
from portal.texts import Text, Texts
from pricing.models import PriceBookItem, Rate
from pricing.price_selector import Sale, select_prices
from pricing.pricebook.messages import CONTEXT as PRICE_CONTEXT
from pricing.pricebook.wording import Wording, price_sentence

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


def listing_index(*, user: AbstractBaseUser, filters: ListingFilters) -> QuerySet[Listing]:
    """The user's visible listings, searched by offer or product name and filtered."""
    listings = Listing.objects.visible_to(user).select_related(
        "offer__product__vendor", "marketplace"
    )
    if filters.q:
        listings = listings.filter(
            Q(offer__name__icontains=filters.q) | Q(offer__product__name__icontains=filters.q)
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


def listing_filter_choices(*, user: AbstractBaseUser) -> FilterChoices:
    """The marketplaces, vendors and products that have a listing the user sees.

    Scoped by the visible listings (distributors may not list vendors as such: a vendor is
    only known to them through what it lists). Three queries.
    """
    visible = Listing.objects.visible_to(user)
    return FilterChoices(
        marketplaces=list(
            Marketplace.objects.filter(Exists(visible.filter(marketplace=OuterRef("pk"))))
        ),
        vendors=list(
            Vendor.objects.filter(Exists(visible.filter(offer__product__vendor=OuterRef("pk"))))
        ),
        products=list(
            Product.objects.filter(Exists(visible.filter(offer__product=OuterRef("pk"))))
            .select_related("vendor")
            .order_by("name", "vendor__name", "pk")
        ),
    )


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
    prices: list[str] = field(default_factory=list)
    requires_one_of: list[ItemRef] = field(default_factory=list)
    addons: list[ItemRef] = field(default_factory=list)
    upgrades: list[ItemRef] = field(default_factory=list)
    downgrades: list[ItemRef] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.item.status == Item.Status.DRAFT


@dataclass
class PriceLine:
    text: str
    item: Item
    quantity: int = 1
    label: Text | None = None  # the item's name, when a plan has several lines or units


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
    prices_of = _channel_prices(plans=matrix.plans, marketplace=listing.marketplace, user=user)
    plans = []
    for plan in matrix.plans:
        column = PlanColumn(plan=plan, name=Text(plan.name), description=Text(plan.description))
        texts.name(plan, column)
        texts.description(plan, column)
        column.prices = [
            line
            for prices in prices_of.get(plan.offering_id, {}).values()
            for line in _plan_price_lines(plan, prices, locale, texts)
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


def _item_views(
    *, offer: Offer, plans: list[Plan], user: AbstractBaseUser, texts: Texts
) -> list[ItemView]:
    """The product's items and the plans' items, with add-ons and upgrade paths (5 queries)."""
    shown = Item.objects.visible_to(user)  # a vendor's preview includes its draft items
    in_plans = PlanItem.objects.filter(plan__offer_id=offer.pk).values("item_id")
    items = list(shown.filter(Q(product_id=offer.product_id) | Q(pk__in=in_plans)))
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


# --- Prices -----------------------------------------------------------------------------


def _channel_prices(
    *, plans: list[Plan], marketplace: Marketplace, user: AbstractBaseUser
) -> dict[int, dict[str, list[PriceBookItem]]]:
    """The prices a distributor on this marketplace would be sold, per offering and billing
    frequency, of the items the user may see: the price selector's, for the marketplace's
    channel and currency, with no customer group and no custom attributes."""
    offerings = {plan.offering_id: plan.offering for plan in plans if plan.offering_id}
    return select_prices(
        offerings=offerings.values(),
        sale=Sale(currency=marketplace.currency, channel_id=marketplace.pk),
        items=Item.objects.visible_to(user),
    )


def _plan_price_lines(
    plan: Plan, prices: list[PriceBookItem], locale: ContentLocale, texts: Texts
) -> list[PriceLine]:
    """One line per item of the plan that has a price (all priced items if the plan has
    none), from the prices of one billing frequency."""
    by_item: dict[int, PriceBookItem] = {}
    for pbi in prices:
        by_item.setdefault(pbi.item_id, pbi)
    plan_items = list(plan.plan_items.all())
    wanted = (
        [(plan_item.item, plan_item.quantity) for plan_item in plan_items]
        if plan_items
        else [(pbi.item, 1) for pbi in by_item.values()]
    )
    lines = []
    for item, quantity in wanted:
        pbi = by_item.get(item.pk)
        text = _sentence(pbi, item, pbi.rate, locale) if pbi else None
        if text is not None:
            lines.append(PriceLine(text=text, item=item, quantity=quantity))
    if len(lines) > 1 or any(line.quantity != 1 for line in lines):
        for line in lines:  # several lines or units: say which item each line prices
            texts.name(line.item, line, "label")
    return lines


def _add_item_prices(
    views: list[ItemView], prices_of: dict[int, dict[str, list[PriceBookItem]]], locale
) -> None:
    """Each item's own price in the prices the page's plans use (no query: already loaded)."""
    by_pk = {view.item.pk: view for view in views}
    for per_frequency in prices_of.values():
        for prices in per_frequency.values():
            for pbi in prices:
                view = by_pk.get(pbi.item_id)
                if view is None:
                    continue
                text = _sentence(pbi, view.item, pbi.rate, locale)
                if text is not None and text not in view.prices:
                    view.prices.append(text)


def _sentence(
    pbi: PriceBookItem | None, item: Item, rate: Rate, locale: ContentLocale
) -> str | None:
    """One price in words, or None when there is none (or the engine refuses it)."""
    if pbi is None:
        return None
    wording = Wording(
        currency=rate.currency,
        locale=locale.babel,
        unit=item.unit,
        item_kind=item.kind,
        billing_frequency=rate.billing_frequency,
        # The sentence's words in the page's language, from the "price" messages.
        gettext=partial(translation.pgettext, PRICE_CONTEXT),
        ngettext=partial(translation.npgettext, PRICE_CONTEXT),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    try:
        return price_sentence(pbi.to_engine(), wording)
    except ValueError:
        return None  # a price the engine refuses is not shown: "price on request"
