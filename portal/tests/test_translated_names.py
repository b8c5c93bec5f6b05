"""Offer, plan, feature-group and feature names follow the reader's language, like items,
falling back field by field along the locale chain to the default text."""

import pytest

from catalog.tests.factories import (
    FeatureGroupTranslationFactory,
    FeatureTranslationFactory,
    OfferTranslationFactory,
    PlanTranslationFactory,
)
from portal.tests.conftest import listed_offer
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(vendor, marketplace):
    listing = listed_offer(vendor, marketplace, name="For business", plans=1, features=1)
    offer = listing.offer
    offer.description = "Office for teams."
    offer.save()
    plan = offer.plans.get()
    plan.name, plan.description = "Basic", "Web apps only."
    plan.save()
    group = offer.feature_groups.get()
    group.name = "Security"
    group.save()
    feature = group.features.get()
    feature.name = "Email"
    feature.save()
    return listing


@pytest.fixture
def german(listing):
    offer = listing.offer
    OfferTranslationFactory(offer=offer, locale="de", name="Für Unternehmen", description="")
    PlanTranslationFactory(
        plan=offer.plans.get(), locale="de", name="Basis", description="Nur Web-Apps."
    )
    FeatureGroupTranslationFactory(group=offer.feature_groups.get(), locale="de", name="Sicherheit")
    FeatureTranslationFactory(
        feature=offer.feature_groups.get().features.get(), locale="de", name="E-Mail"
    )


def listing_page(client, listing, **params):
    return parse(client.get(f"/portal/listings/{listing.pk}/", params))


def names(page):
    """(text, lang) of the offer, its description, the plan, its description, group, feature."""
    matrix = page.find("table", class_="feature-matrix")
    plan = matrix.find("th", class_="plan-name")
    found = [
        page.find("h1"),
        page.find("p", class_="lead"),
        plan.find("span"),
        plan.find("span", class_="plan-description"),
        matrix.find("tr", class_="group-row").find("span"),
        matrix.find("tbody", class_="feature-group").find_all("th", scope="row")[0],
    ]
    return [(node.text, node.attrs.get("lang")) for node in found]


def test_german_names_with_the_default_where_a_field_is_not_translated(
    distributor_client, listing, german
):
    assert names(listing_page(distributor_client, listing, lang="de")) == [
        ("Für Unternehmen", "de"),
        ("Office for teams.", "en"),  # no German description: the default, marked English
        ("Basis", "de"),
        ("Nur Web-Apps.", "de"),
        ("Sicherheit", "de"),
        ("E-Mail", "de"),
    ]


def test_english_readers_see_the_default_names_unmarked(distributor_client, listing, german):
    assert names(listing_page(distributor_client, listing)) == [
        ("For business", None),
        ("Office for teams.", None),
        ("Basic", None),
        ("Web apps only.", None),
        ("Security", None),
        ("Email", None),
    ]


def test_fr_ca_prefers_its_own_then_french_then_the_default(distributor_client, listing):
    offer = listing.offer
    OfferTranslationFactory(offer=offer, locale="fr", name="Pour les entreprises")
    OfferTranslationFactory(offer=offer, locale="fr-CA", name="Pour les entreprises (Canada)")
    PlanTranslationFactory(plan=offer.plans.get(), locale="fr", name="Essentiel")
    page = listing_page(distributor_client, listing, lang="fr-CA")
    assert names(page)[0] == ("Pour les entreprises (Canada)", "fr-CA")
    assert names(page)[2] == ("Essentiel", "fr")
    assert names(page)[4] == ("Security", "en")
    assert page.find("html").attrs["lang"] == "fr"


def test_the_breadcrumb_title_and_in_plans_use_the_translated_names(
    distributor_client, listing, german
):
    response = distributor_client.get(f"/portal/listings/{listing.pk}/", {"lang": "de"})
    page = parse(response)
    assert page.find("nav", class_="breadcrumb").find("span", aria_current="page").text == (
        "Für Unternehmen"
    )
    assert "<title>Für Unternehmen" in response.content.decode()
    in_plans = page.find("dl", class_="item-facts").find_all("div")[-1]
    assert (in_plans.find("dt").text, in_plans.find("dd").text) == ("In Plänen", "Basis")


def test_the_index_names_offers_in_the_readers_language(distributor_client, listing, german):
    link = parse(distributor_client.get("/portal/", {"lang": "de"})).find(
        "a", class_="listing-link"
    )
    assert (link.text, link.attrs.get("lang")) == ("Für Unternehmen", "de")
    link = parse(distributor_client.get("/portal/", {"lang": "fr"})).find(
        "a", class_="listing-link"
    )
    assert (link.text, link.attrs.get("lang")) == ("For business", "en")
