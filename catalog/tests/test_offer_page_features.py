"""Features are added from the offer page, and saving a feature group or a feature goes back
to its offer's page rather than to a list."""

import pytest
from django.urls import reverse

from catalog.models import Feature
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
    offer = OfferFactory(product=ProductFactory(vendor=vendor), name="For business")
    PlanFactory(offer=offer, name="Basic")
    group = FeatureGroupFactory(offer=offer, name="Teamwork")
    FeatureFactory(group=group, name="Chat", position=4)
    return offer


def offer_url(offer):
    return reverse("admin:catalog_offer_change", args=[offer.pk])


def test_features_typed_on_the_offer_page_join_the_group_and_the_matrix(vendor_client, offer):
    group = offer.feature_groups.get()
    data = change_form_data(vendor_client.get(offer_url(offer)))
    data.update(add_features_to=group.pk, new_features="Meetings\n\n  Files  \n")
    response = vendor_client.post(offer_url(offer), data)
    assert response.status_code == 302
    assert list(group.features.values_list("name", "position")) == [
        ("Chat", 4),
        ("Meetings", 5),
        ("Files", 6),
    ]
    html = vendor_client.get(offer_url(offer)).content.decode()
    assert "Basic: Files (included)" in html  # a matrix cell for the new feature


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"new_features": "Meetings"}, "add_features_to", "Choose the group"),
        ({"new_features": "Chat"}, "new_features", "already has the feature 'Chat'"),
        ({"new_features": "Files\nFiles"}, "new_features", "already has the feature 'Files'"),
        ({"new_features": "x" * 301}, "new_features", "at most 300 characters"),
        ({"add_features_to": "999999", "new_features": "Files"}, "add_features_to", "valid choice"),
    ],
)
def test_bad_new_features_are_a_form_error_and_change_nothing(
    vendor_client, offer, fields, field, message
):
    group = offer.feature_groups.get()
    data = change_form_data(vendor_client.get(offer_url(offer)))
    data.update({"add_features_to": group.pk, "name": "Renamed", **fields})
    if fields.get("new_features") == "Meetings":
        data["add_features_to"] = ""
    response = vendor_client.post(offer_url(offer), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field]), errors
    offer.refresh_from_db()
    assert offer.name == "For business"
    assert list(Feature.objects.values_list("name", flat=True)) == ["Chat"]


def test_another_offers_group_is_not_a_choice(vendor_client, offer, vendor):
    stranger = FeatureGroupFactory(offer=OfferFactory(product=ProductFactory(vendor=vendor)))
    data = change_form_data(vendor_client.get(offer_url(offer)))
    data.update(add_features_to=stranger.pk, new_features="Files")
    response = vendor_client.post(offer_url(offer), data)
    assert response.status_code == 200
    assert not stranger.features.exists()


def test_saving_a_feature_group_goes_back_to_its_offer(vendor_client, offer):
    group = offer.feature_groups.get()
    url = reverse("admin:catalog_featuregroup_change", args=[group.pk])
    data = change_form_data(vendor_client.get(url))
    data["name"] = "Teamwork and communication"
    response = vendor_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == offer_url(offer) + "#feature-matrix"
    group.refresh_from_db()
    assert group.name == "Teamwork and communication"


def test_save_and_continue_stays_on_the_group(vendor_client, offer):
    group = offer.feature_groups.get()
    url = reverse("admin:catalog_featuregroup_change", args=[group.pk])
    data = {**change_form_data(vendor_client.get(url)), "_continue": "1"}
    response = vendor_client.post(url, data)
    assert response["Location"] == url


def test_a_new_feature_group_goes_back_to_its_offer(vendor_client, offer):
    url = reverse("admin:catalog_featuregroup_add")
    data = {
        **change_form_data(vendor_client.get(url)),  # every inline's management form
        "offer": offer.pk,
        "name": "Security",
        "position": 1,
        "features-TOTAL_FORMS": 1,
        "features-INITIAL_FORMS": 0,
        "features-0-name": "Encryption",
        "features-0-position": 0,
    }
    response = vendor_client.post(url, data)
    assert response["Location"] == offer_url(offer) + "#feature-matrix"
    assert offer.feature_groups.get(name="Security").features.get().name == "Encryption"


def test_saving_a_feature_goes_back_to_its_offer(vendor_client, offer):
    feature = Feature.objects.get()
    url = reverse("admin:catalog_feature_change", args=[feature.pk])
    response = vendor_client.post(url, change_form_data(vendor_client.get(url)))
    assert response["Location"] == offer_url(offer) + "#feature-matrix"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/admin/catalog/offer/", "/admin/catalog/offer/"),
        ("https://evil.example/", None),  # another host: back to the offer instead
    ],
)
def test_a_next_url_is_honoured_when_it_is_safe(vendor_client, offer, next_url, expected):
    group = offer.feature_groups.get()
    url = reverse("admin:catalog_featuregroup_change", args=[group.pk])
    data = change_form_data(vendor_client.get(url))
    response = vendor_client.post(f"{url}?next={next_url}", data)
    assert response["Location"] == (expected or offer_url(offer) + "#feature-matrix")
