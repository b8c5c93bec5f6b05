"""The API reads and writes offer, plan, feature-group and feature translations, each list
replaced as a whole when given, through the services, like an item's."""

import pytest

from catalog.models import FeatureTranslation, OfferTranslation, PlanTranslation
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    FeatureGroupTranslationFactory,
    FeatureTranslationFactory,
    ListingFactory,
    OfferFactory,
    OfferTranslationFactory,
    PlanFactory,
    PlanTranslationFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def offer(vendor):
    return OfferFactory(product=ProductFactory(vendor=vendor), name="For business")


def rows(queryset) -> list[tuple]:
    return list(queryset.order_by("locale").values_list("locale", "name"))


def test_an_offer_is_created_with_its_translations(vendor_api, vendor, vendor_user):
    product = ProductFactory(vendor=vendor)
    body = {
        "product": product.pk,
        "name": "For home",
        "translations": [
            {"locale": "DE", "name": "Für Zuhause", "description": "Für die Familie."},
            {"locale": "fr_ca", "name": "Pour la maison"},
        ],
    }
    response = vendor_api.post(f"{API}/offers/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["translations"] == [
        {"locale": "de", "name": "Für Zuhause", "description": "Für die Familie."},
        {"locale": "fr-CA", "name": "Pour la maison", "description": ""},
    ]
    translation = OfferTranslation.objects.get(locale="de")
    assert translation.history.get().history_user == vendor_user


def test_patching_replaces_the_list_and_leaving_it_out_keeps_it(vendor_api, offer):
    OfferTranslationFactory(offer=offer, locale="de", name="Für Unternehmen")
    OfferTranslationFactory(offer=offer, locale="fr", name="Pour les entreprises")
    url = f"{API}/offers/{offer.pk}/"
    assert vendor_api.patch(url, {"name": "Business"}, format="json").status_code == 200
    assert rows(offer.translations) == [("de", "Für Unternehmen"), ("fr", "Pour les entreprises")]
    body = {"translations": [{"locale": "de", "name": "Für Firmen"}]}
    assert vendor_api.patch(url, body, format="json").status_code == 200
    assert rows(offer.translations) == [("de", "Für Firmen")]


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ([{"locale": "klingon", "name": "Qapla"}], "translations"),
        ([{"locale": "de", "name": "A"}, {"locale": "DE", "name": "B"}], "translations"),
        ([{"locale": "de"}], "translations"),
        ([{"name": "Ohne Sprache"}], "translations"),
        ([{"locale": "de", "name": "A", "colour": "red"}], "translations"),
    ],
)
def test_bad_translations_are_refused_and_change_nothing(vendor_api, offer, translations, field):
    OfferTranslationFactory(offer=offer, locale="fr", name="Pour les entreprises")
    response = vendor_api.patch(
        f"{API}/offers/{offer.pk}/",
        {"name": "Renamed", "translations": translations},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    offer.refresh_from_db()
    assert offer.name == "For business"
    assert rows(offer.translations) == [("fr", "Pour les entreprises")]


def test_plans_feature_groups_and_features_take_translations(vendor_api, offer):
    plan = PlanFactory(offer=offer)
    group = FeatureGroupFactory(offer=offer)
    feature = FeatureFactory(group=group)
    german = [{"locale": "de", "name": "Basis", "description": "Nur Web."}]
    assert (
        vendor_api.patch(
            f"{API}/plans/{plan.pk}/", {"translations": german}, format="json"
        ).status_code
        == 200
    )
    assert rows(PlanTranslation.objects.filter(plan=plan)) == [("de", "Basis")]
    name_only = {"translations": [{"locale": "de", "name": "Sicherheit"}]}
    assert (
        vendor_api.patch(f"{API}/feature-groups/{group.pk}/", name_only, format="json").status_code
        == 200
    )
    assert rows(group.translations) == [("de", "Sicherheit")]
    response = vendor_api.post(
        f"{API}/features/",
        {
            "group": group.pk,
            "name": "Email",
            "translations": [{"locale": "fr", "name": "Courriel"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert rows(FeatureTranslation.objects.filter(feature_id=response.json()["id"])) == [
        ("fr", "Courriel")
    ]
    # A feature's translation has no description.
    response = vendor_api.patch(
        f"{API}/features/{feature.pk}/",
        {"translations": [{"locale": "de", "name": "E-Mail", "description": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not feature.translations.exists()


def test_a_distributor_reads_the_offer_with_every_translation(distributor_api, offer, marketplace):
    ListingFactory(offer=offer, marketplace=marketplace)
    plan = PlanFactory(offer=offer)
    group = FeatureGroupFactory(offer=offer)
    feature = FeatureFactory(group=group)
    OfferTranslationFactory(offer=offer, locale="de", name="Für Unternehmen")
    PlanTranslationFactory(plan=plan, locale="de", name="Basis")
    FeatureGroupTranslationFactory(group=group, locale="de", name="Sicherheit")
    FeatureTranslationFactory(feature=feature, locale="de", name="E-Mail")
    body = distributor_api.get(f"{API}/offers/{offer.pk}/").json()
    assert body["translations"][0]["name"] == "Für Unternehmen"
    assert body["plans"][0]["translations"][0]["name"] == "Basis"
    assert body["feature_groups"][0]["translations"] == [{"locale": "de", "name": "Sicherheit"}]
    assert body["feature_groups"][0]["features"][0]["translations"] == [
        {"locale": "de", "name": "E-Mail"}
    ]
