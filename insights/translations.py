"""Localization completeness: per marketplace language, how much of what a vendor lists
there has a translation, and what is missing.

The rule, in three parts:

- **What is counted** on a marketplace: what its distributors see of the vendor there,
  through the listings that are *listed* (a draft or unlisted listing counts for nothing,
  nor does a listing of a draft product): the listed offers, their plans, feature groups
  and features, and their items as the portal's listing page shows them (the offer's
  product's items and the items in its plans), draft items left out.
- **The marketplace's languages**: the official languages of its countries, national and
  de facto, as CLDR has them (``babel.languages.get_official_languages(country,
  de_facto=True)``: US → en; CA → en, fr; DE, AT → de; FR → fr; CH → de, gsw, fr, it).
  The default language (``settings.LANGUAGE_CODE``) is left out: it is the rows' own text.
- **What is translated** into language L on the marketplace: what the portal shows a
  reader from each of its countries C that speak L, who asks for ``L-C``: the portal looks
  a translation up along ``portal.locales.translation_chain`` ("fr-CA", then "fr"). So an
  "fr" translation counts for every French reader; a regional "fr-CA" one counts when every
  French-speaking country of the marketplace is Canada (North America: yes; Europe, with
  France: no, and the row is listed as missing, with "fr-CA" named as found).

``translation_completeness(vendor)`` reads it all in a fixed number of queries (eleven),
however many marketplaces, listings and rows there are. The vendor is the caller's to
resolve through ``Vendor.objects.visible_to(user)``: nothing here looks at the user.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from django.db.models import Q
from django.urls import reverse

from catalog.models import (
    Feature,
    FeatureGroup,
    FeatureGroupTranslation,
    FeatureTranslation,
    Item,
    ItemTranslation,
    Listing,
    Marketplace,
    Offer,
    OfferTranslation,
    Plan,
    PlanItem,
    PlanTranslation,
    Vendor,
)
from catalog.querysets import DRAFT
from portal.locales import default_language, translation_chain

SEPARATOR = " › "

# The kinds of row counted, in the order they are shown: (label, translation model, its
# key to the row, the admin page where the row's translations are edited, inline).
KINDS = {
    "items": (ItemTranslation, "item_id", "admin:catalog_item_change"),
    "offers": (OfferTranslation, "offer_id", "admin:catalog_offer_change"),
    "plans": (PlanTranslation, "plan_id", "admin:catalog_plan_change"),
    "feature groups": (FeatureGroupTranslation, "group_id", "admin:catalog_featuregroup_change"),
    "features": (FeatureTranslation, "feature_id", "admin:catalog_feature_change"),
}


# --- The marketplace's languages -------------------------------------------------------


def marketplace_languages(marketplace: Marketplace) -> dict[str, tuple[str, ...]]:
    """Each language of the marketplace ("fr", "zh-Hant") → the countries that speak it,
    in the marketplace's order; the default language left out."""
    default = default_language()
    languages: dict[str, list[str]] = defaultdict(list)
    for country in marketplace.country_list:
        for code in get_official_languages(country, de_facto=True):
            language = code.replace("_", "-")
            if language.split("-")[0] != default and country not in languages[language]:
                languages[language].append(country)
    return {language: tuple(countries) for language, countries in languages.items()}


def reader_chains(language: str, countries: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The portal's locale chain for a reader from each country asking for ``L-C``
    ("fr-CA" → ("fr-CA", "fr")); ``L`` alone where ``L-C`` is no locale Babel knows."""
    chains = []
    for country in countries:
        chain = translation_chain([f"{language}-{country}"]) or translation_chain([language])
        if chain and chain not in chains:
            chains.append(chain)
    return tuple(chains)


def language_name(language: str) -> str:
    try:
        return Locale.parse(language, sep="-").get_display_name("en") or language
    except (UnknownLocaleError, ValueError):
        return language


# --- The answer ------------------------------------------------------------------------


def percent(part: int, whole: int) -> int | None:
    """The share in whole percent, rounded down (100 only when nothing is missing); None
    when there is nothing to translate."""
    return part * 100 // whole if whole else None


@dataclass(frozen=True)
class MissingRow:
    """A listed row with no translation the marketplace's readers of a language get."""

    kind: str
    id: int
    name: str
    url: str  # its admin page, where its translations are added (inline)
    found: tuple[str, ...] = ()  # the row's translations in the language that do not count


@dataclass(frozen=True)
class KindShare:
    kind: str
    listed: int
    translated: int
    missing: tuple[MissingRow, ...]

    @property
    def percent(self) -> int | None:
        return percent(self.translated, self.listed)


@dataclass(frozen=True)
class LanguageShare:
    """One language of one marketplace: a share per kind of row."""

    marketplace: Marketplace
    language: str  # "fr"
    name: str  # "French"
    countries: tuple[str, ...]  # the marketplace's countries that speak it
    locales: tuple[str, ...]  # the translation locales that count ("fr-CA", "fr")
    kinds: tuple[KindShare, ...]

    @property
    def listed(self) -> int:
        return sum(kind.listed for kind in self.kinds)

    @property
    def translated(self) -> int:
        return sum(kind.translated for kind in self.kinds)

    @property
    def percent(self) -> int | None:
        return percent(self.translated, self.listed)

    @property
    def missing(self) -> tuple[MissingRow, ...]:
        return tuple(row for kind in self.kinds for row in kind.missing)


@dataclass(frozen=True)
class TranslationReport:
    vendor: Vendor
    default_language: str
    languages: tuple[LanguageShare, ...]
    # Marketplaces the vendor lists on whose countries read only the default language.
    default_only: tuple[Marketplace, ...] = field(default=())


# --- Reading it ------------------------------------------------------------------------


@dataclass
class _Row:
    kind: str
    id: int
    name: str


@dataclass
class _Catalog:
    """The vendor's listed rows, read once for every marketplace."""

    listings: list[Listing]
    offers: dict[int, _Row] = field(default_factory=dict)
    under_offer: dict[int, dict[str, list[_Row]]] = field(default_factory=dict)
    locales: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))

    def rows_of(self, offer_ids: list[int]) -> dict[str, list[_Row]]:
        """The rows a marketplace shows through these offers, each once, by kind."""
        rows: dict[str, dict[int, _Row]] = {kind: {} for kind in KINDS}
        for offer_id in offer_ids:
            rows["offers"][offer_id] = self.offers[offer_id]
            for kind, kind_rows in self.under_offer[offer_id].items():
                for row in kind_rows:
                    rows[kind][row.id] = row
        return {
            kind: sorted(found.values(), key=lambda row: (row.name.casefold(), row.id))
            for kind, found in rows.items()
        }


def _read_catalog(vendor: Vendor) -> _Catalog:
    listings = list(
        Listing.objects.for_vendor(vendor)
        .listed()
        .exclude(offer__product__status=DRAFT)
        .select_related("marketplace", "offer__product")
        .order_by("marketplace__name", "marketplace__pk", "pk")
    )
    catalog = _Catalog(listings=listings)
    offers: dict[int, Offer] = {listing.offer_id: listing.offer for listing in listings}
    for offer in offers.values():
        catalog.offers[offer.pk] = _Row("offers", offer.pk, f"{offer.product.name}: {offer.name}")
        catalog.under_offer[offer.pk] = {kind: [] for kind in KINDS if kind != "offers"}
    prefix = {pk: row.name for pk, row in catalog.offers.items()}

    for pk, name, offer_id in Plan.objects.filter(offer_id__in=offers).values_list(
        "pk", "name", "offer_id"
    ):
        catalog.under_offer[offer_id]["plans"].append(
            _Row("plans", pk, f"{prefix[offer_id]}{SEPARATOR}{name}")
        )
    group_names = {}
    for pk, name, offer_id in FeatureGroup.objects.filter(offer_id__in=offers).values_list(
        "pk", "name", "offer_id"
    ):
        group_names[pk] = f"{prefix[offer_id]}{SEPARATOR}{name}"
        catalog.under_offer[offer_id]["feature groups"].append(
            _Row("feature groups", pk, group_names[pk])
        )
    for pk, name, group_id, offer_id in Feature.objects.filter(
        group__offer_id__in=offers
    ).values_list("pk", "name", "group_id", "group__offer_id"):
        catalog.under_offer[offer_id]["features"].append(
            _Row("features", pk, f"{group_names[group_id]}{SEPARATOR}{name}")
        )

    # Items: the offer's product's and the items in its plans, as the listing page shows.
    in_plans = list(
        PlanItem.objects.filter(plan__offer_id__in=offers).values_list("plan__offer_id", "item_id")
    )
    products: dict[int, list[int]] = defaultdict(list)
    for offer in offers.values():
        products[offer.product_id].append(offer.pk)
    items = {
        pk: (name, mpn, product_id)
        for pk, name, mpn, product_id in Item.objects.for_vendor(vendor)
        .filter(Q(product_id__in=products) | Q(pk__in=[item_id for _, item_id in in_plans]))
        .exclude(status=DRAFT)
        .exclude(product__status=DRAFT)
        .values_list("pk", "name", "mpn", "product_id")
    }
    offers_of_item: dict[int, set[int]] = defaultdict(set)
    for offer_id, item_id in in_plans:
        offers_of_item[item_id].add(offer_id)
    for pk, (name, mpn, product_id) in items.items():
        for offer_id in offers_of_item[pk] | set(products.get(product_id, ())):
            catalog.under_offer[offer_id]["items"].append(_Row("items", pk, f"{name} [{mpn}]"))

    ids = {kind: set() for kind in KINDS}
    ids["offers"] = set(offers)
    for kinds in catalog.under_offer.values():
        for kind, rows in kinds.items():
            ids[kind].update(row.id for row in rows)
    for kind, (model, key, _) in KINDS.items():
        for owner, locale in model.objects.filter(**{f"{key}__in": ids[kind]}).values_list(
            key, "locale"
        ):
            catalog.locales[(kind, owner)].add(locale)
    return catalog


def _share(
    catalog: _Catalog, kind: str, rows: list[_Row], language: str, chains: tuple
) -> KindShare:
    base = language.split("-")[0]
    missing = []
    for row in rows:
        locales = catalog.locales.get((kind, row.id), set())
        if all(any(locale in locales for locale in chain) for chain in chains):
            continue
        found = tuple(sorted(locale for locale in locales if locale.split("-")[0] == base))
        url = reverse(KINDS[kind][2], args=[row.id])
        missing.append(MissingRow(kind, row.id, row.name, url, found))
    return KindShare(kind, len(rows), len(rows) - len(missing), tuple(missing))


def translation_completeness(vendor: Vendor) -> TranslationReport:
    """Per marketplace the vendor lists on, per language of its countries, the share of the
    listed rows of each kind that its readers get translated, and the missing rows."""
    catalog = _read_catalog(vendor)
    marketplaces: dict[int, Marketplace] = {}
    offers_on: dict[int, list[int]] = defaultdict(list)
    for listing in catalog.listings:
        marketplaces[listing.marketplace_id] = listing.marketplace
        offers_on[listing.marketplace_id].append(listing.offer_id)

    languages, default_only = [], []
    for marketplace_id, marketplace in marketplaces.items():
        spoken = marketplace_languages(marketplace)
        if not spoken:
            default_only.append(marketplace)
            continue
        rows = catalog.rows_of(offers_on[marketplace_id])
        for language in sorted(spoken, key=lambda code: (language_name(code), code)):
            chains = reader_chains(language, spoken[language])
            kinds = tuple(_share(catalog, kind, rows[kind], language, chains) for kind in KINDS)
            locales = tuple(
                sorted(
                    {locale for chain in chains for locale in chain},
                    key=lambda locale: ("-" not in locale, locale),  # regional ones first
                )
            )
            languages.append(
                LanguageShare(
                    marketplace=marketplace,
                    language=language,
                    name=language_name(language),
                    countries=spoken[language],
                    locales=locales,
                    kinds=kinds,
                )
            )
    return TranslationReport(
        vendor=vendor,
        default_language=default_language(),
        languages=tuple(languages),
        default_only=tuple(default_only),
    )
