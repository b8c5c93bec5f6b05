"""Translation completeness: per marketplace language, the share of a vendor's listed rows
whose readers get a translation, checked against a catalog built here.

Northwind lists one offer on North America (US, CA: French from Canada), Europe (DE, AT,
FR: German and French) and the United Kingdom (English only). None of these count: a
second offer's draft listing, a third offer listed while its product is a draft, a draft
item of the listed product, and Contoso's untranslated offer listed on North America.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from catalog.models import Item, Listing, Marketplace
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    FeatureGroupTranslationFactory,
    FeatureTranslationFactory,
    ItemFactory,
    ItemTranslationFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    OfferTranslationFactory,
    PlanFactory,
    PlanItemFactory,
    PlanTranslationFactory,
    ProductFactory,
    VendorFactory,
)
from insights.translations import (
    marketplace_languages,
    reader_chains,
    translation_completeness,
)

PUBLISHED = Item.Status.PUBLISHED


def build() -> dict:
    vendor = VendorFactory(name="Northwind", slug="northwind")
    america = MarketplaceFactory(name="North America", code="na", countries="US,CA")
    europe = MarketplaceFactory(name="Europe", code="eu", countries="DE,AT,FR", currency="EUR")
    britain = MarketplaceFactory(name="United Kingdom", code="uk", countries="GB", currency="GBP")

    product = ProductFactory(vendor=vendor, name="Office")
    one = ItemFactory(product=product, mpn="I-1", name="Item one", status=PUBLISHED)
    two = ItemFactory(product=product, mpn="I-2", name="Item two", status=PUBLISHED)
    draft = ItemFactory(product=product, mpn="I-3", name="Draft item")
    offer = OfferFactory(product=product, name="For business")
    basic = PlanFactory(offer=offer, name="Basic")
    premium = PlanFactory(offer=offer, name="Premium")
    PlanItemFactory(plan=basic, item=one)
    group = FeatureGroupFactory(offer=offer, name="Teamwork")
    chat = FeatureFactory(group=group, name="Chat")
    FeatureFactory(group=group, name="Video")
    for market in (america, europe, britain):
        ListingFactory(offer=offer, marketplace=market)

    for locale in ("fr-CA", "de"):
        ItemTranslationFactory(item=one, locale=locale)
    for locale in ("fr", "de-AT"):
        ItemTranslationFactory(item=two, locale=locale)
    ItemTranslationFactory(item=draft, locale="fr")
    OfferTranslationFactory(offer=offer, locale="fr")
    PlanTranslationFactory(plan=basic, locale="de")
    FeatureGroupTranslationFactory(group=group, locale="fr-CA")
    for locale in ("fr", "de"):
        FeatureTranslationFactory(feature=chat, locale=locale)

    # A draft listing of another product: nothing of it counts.
    other_product = ProductFactory(vendor=vendor, name="Paint")
    ItemFactory(product=other_product, mpn="P-1", status=PUBLISHED)
    ListingFactory(
        offer=OfferFactory(product=other_product, name="Home"),
        marketplace=america,
        status=Listing.Status.DRAFT,
    )
    # A listed listing of a draft product: distributors do not see it, nothing counts.
    unfinished = ProductFactory(vendor=vendor, name="Unfinished", status="draft")
    ItemFactory(product=unfinished, mpn="U-1", status=PUBLISHED)
    ListingFactory(offer=OfferFactory(product=unfinished, name="Soon"), marketplace=america)
    # Another vendor's listed offer on the same marketplace: not Northwind's.
    contoso = ProductFactory(vendor=VendorFactory(name="Contoso", slug="contoso"))
    ItemFactory(product=contoso, status=PUBLISHED)
    PlanFactory(offer=OfferFactory(product=contoso))
    ListingFactory(offer=contoso.offers.get(), marketplace=america)
    return {"vendor": vendor, "premium": premium, "group": group}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    shared = transaction.atomic()
    shared._from_testcase = True
    with django_db_blocker.unblock(), shared:
        yield build()
        transaction.set_rollback(True)


@pytest.fixture
def report(built, db):
    return translation_completeness(built["vendor"])


def shares(report) -> dict[tuple[str, str], dict[str, tuple[int, int]]]:
    return {
        (share.marketplace.code, share.language): {
            kind.kind: (kind.translated, kind.listed) for kind in share.kinds
        }
        for share in report.languages
    }


def test_a_marketplace_reads_the_official_languages_of_its_countries_but_the_default():
    europe = Marketplace(countries="DE,AT,FR,CH")
    assert marketplace_languages(europe) == {
        "de": ("DE", "AT", "CH"),
        "fr": ("FR", "CH"),
        "gsw": ("CH",),
        "it": ("CH",),
    }
    assert marketplace_languages(Marketplace(countries="US,GB")) == {}


def test_a_reader_from_each_country_asks_for_the_regional_locale_then_the_language():
    assert reader_chains("fr", ("CA",)) == (("fr-CA", "fr"),)
    assert reader_chains("de", ("DE", "AT")) == (("de-DE", "de"), ("de-AT", "de"))


def test_languages_come_per_marketplace_by_name_and_english_only_ones_apart(report):
    assert [(s.marketplace.code, s.language, s.name) for s in report.languages] == [
        ("eu", "fr", "French"),
        ("eu", "de", "German"),
        ("na", "fr", "French"),
    ]
    assert [marketplace.code for marketplace in report.default_only] == ["uk"]
    assert report.default_language == "en"


def test_shares_count_listed_rows_with_a_translation_every_reader_of_the_language_gets(report):
    assert shares(report) == {
        # fr-CA serves Canada's French readers: the item and the group count.
        ("na", "fr"): {
            "items": (2, 2),
            "offers": (1, 1),
            "plans": (0, 2),
            "feature groups": (1, 1),
            "features": (1, 2),
        },
        # France's readers ask fr-FR, then fr: fr-CA does not count.
        ("eu", "fr"): {
            "items": (1, 2),
            "offers": (1, 1),
            "plans": (0, 2),
            "feature groups": (0, 1),
            "features": (1, 2),
        },
        # de-AT serves Austria, not Germany: the item is missing.
        ("eu", "de"): {
            "items": (1, 2),
            "offers": (0, 1),
            "plans": (1, 2),
            "feature groups": (0, 1),
            "features": (1, 2),
        },
    }


def test_percentages_are_rounded_down_so_only_a_complete_language_shows_100(report):
    by_key = {(s.marketplace.code, s.language): s for s in report.languages}
    america = by_key[("na", "fr")]
    assert (america.translated, america.listed, america.percent) == (5, 8, 62)
    assert [kind.percent for kind in america.kinds] == [100, 100, 0, 100, 50]
    assert by_key[("eu", "fr")].percent == 37


def test_missing_rows_are_named_naturally_with_the_page_to_add_them_and_what_was_found(
    report, built
):
    europe_french = next(
        s for s in report.languages if (s.marketplace.code, s.language) == ("eu", "fr")
    )
    missing = [(row.kind, row.name, row.found) for row in europe_french.missing]
    assert missing == [
        ("items", "Item one [I-1]", ("fr-CA",)),
        ("plans", "Office: For business › Basic", ()),
        ("plans", "Office: For business › Premium", ()),
        ("feature groups", "Office: For business › Teamwork", ("fr-CA",)),
        ("features", "Office: For business › Teamwork › Video", ()),
    ]
    premium = europe_french.missing[2]
    assert premium.url == f"/admin/catalog/plan/{built['premium'].pk}/change/"
    assert europe_french.missing[3].url == (
        f"/admin/catalog/featuregroup/{built['group'].pk}/change/"
    )


def test_a_vendor_with_nothing_listed_has_no_languages(db):
    vendor = VendorFactory()
    ListingFactory(
        offer__product__vendor=vendor,
        marketplace__countries="FR",
        status=Listing.Status.UNLISTED,
    )
    report = translation_completeness(vendor)
    assert report.languages == ()
    assert report.default_only == ()
