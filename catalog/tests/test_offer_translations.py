"""Vendors translate offer, plan, feature-group and feature names in the admin, like items."""

import pytest
from django.urls import reverse

from catalog.models import FeatureGroupTranslation, FeatureTranslation, OfferTranslation
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    OfferFactory,
    PlanFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(vendor):
    return OfferFactory(product=ProductFactory(vendor=vendor), name="For business")


def post_translation(client, url: str, **row) -> object:
    data = change_form_data(client.get(url))
    data["translations-TOTAL_FORMS"] = 1
    data.update({f"translations-0-{name}": value for name, value in row.items()})
    return client.post(url, data)


def test_an_offer_is_translated_on_its_page_with_the_locale_normalized(vendor_client, offer):
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    response = post_translation(
        vendor_client, url, locale="DE_at", name="Für Unternehmen", description="Büro"
    )
    assert response.status_code == 302
    row = offer.translations.get()
    assert (row.locale, row.name, row.description) == ("de-AT", "Für Unternehmen", "Büro")
    assert row.history.count() == 1


def test_a_plan_is_translated_on_its_page(vendor_client, offer):
    plan = PlanFactory(offer=offer, name="Basic")
    url = reverse("admin:catalog_plan_change", args=[plan.pk])
    assert post_translation(vendor_client, url, locale="fr", name="Essentiel").status_code == 302
    assert plan.translations.get().name == "Essentiel"


def test_feature_groups_and_features_are_translated_on_their_pages(vendor_client, offer):
    group = FeatureGroupFactory(offer=offer, name="Security")
    feature = FeatureFactory(group=group, name="Email")
    group_url = reverse("admin:catalog_featuregroup_change", args=[group.pk])
    feature_url = reverse("admin:catalog_feature_change", args=[feature.pk])
    assert (
        post_translation(vendor_client, group_url, locale="de", name="Sicherheit").status_code
        == 302
    )
    assert (
        post_translation(vendor_client, feature_url, locale="de", name="E-Mail").status_code == 302
    )
    assert FeatureGroupTranslation.objects.get(group=group).name == "Sicherheit"
    assert FeatureTranslation.objects.get(feature=feature).name == "E-Mail"


def test_an_unknown_locale_is_a_form_error_and_saves_nothing(vendor_client, offer):
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    response = post_translation(vendor_client, url, locale="klingon", name="Qapla")
    assert response.status_code == 200
    assert "not a known locale code" in response.content.decode()
    assert not OfferTranslation.objects.exists()


def test_a_second_translation_for_the_same_locale_is_a_form_error(vendor_client, offer):
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    data = change_form_data(vendor_client.get(url))
    data["translations-TOTAL_FORMS"] = 2
    for index, name in enumerate(("Für Firmen", "Für Unternehmen")):
        data.update({f"translations-{index}-locale": "de", f"translations-{index}-name": name})
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not OfferTranslation.objects.exists()


def test_vendor_staff_see_only_their_own_vendors_translations(vendor_user, offer, other_vendor):
    own = OfferTranslation.objects.create(offer=offer, locale="de", name="Eigen")
    foreign = OfferFactory(product=ProductFactory(vendor=other_vendor))
    OfferTranslation.objects.create(offer=foreign, locale="de", name="Fremd")
    assert list(OfferTranslation.objects.visible_to(vendor_user)) == [own]
