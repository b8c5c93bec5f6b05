"""The plan × feature matrix is edited on the offer page and saved in one submit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import PlanFeature
from catalog.services import MatrixCell, offer_matrix_save
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(vendor):
    offer = OfferFactory(product=ProductFactory(vendor=vendor), name="For business")
    for name in ("Basic", "Standard", "Premium", "Apps"):
        PlanFactory(offer=offer, name=name)
    teamwork = FeatureGroupFactory(offer=offer, name="Teamwork and communication")
    apps = FeatureGroupFactory(offer=offer, name="Web and mobile versions of Office apps")
    FeatureFactory(group=teamwork, name="Chat with your team")
    FeatureFactory(group=apps, name="Plan a work week with Outlook")
    FeatureFactory(group=apps, name="Plan a work week with Outlook")  # the seed repeats it
    return offer


def cell_key(plan, feature, part):
    return f"matrix-{plan.pk}-{feature.pk}-{part}"


def grid(offer):
    return {
        (value.plan.name, value.feature_id): (value.included, value.text)
        for value in PlanFeature.objects.filter(plan__offer=offer).select_related("plan")
    }


def test_offer_page_shows_the_matrix_under_group_headings(vendor_client, offer):
    response = vendor_client.get(reverse("admin:catalog_offer_change", args=[offer.pk]))
    html = response.content.decode()
    assert "Plan × feature matrix" in html
    for text in ("Basic", "Apps", "Teamwork and communication", "Chat with your team"):
        assert text in html
    assert html.count('type="checkbox" name="matrix-') == 4 * 3
    assert html.index("Teamwork and communication") < html.index("Chat with your team")


def test_matrix_round_trip_in_one_submit(vendor_client, vendor_user, offer):
    plans = list(offer.plans.all())
    chat, outlook_1, outlook_2 = (f for g in offer.feature_groups.all() for f in g.features.all())
    basic, standard, premium, apps = plans
    PlanFeatureFactory(plan=apps, feature=chat, included=True)  # to be unticked
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    data = change_form_data(vendor_client.get(url))
    for plan in (basic, standard, premium):
        data[cell_key(plan, chat, "included")] = "on"
    data.pop(cell_key(apps, chat, "included"))
    for plan in plans:
        data[cell_key(plan, outlook_1, "included")] = "on"
    data[cell_key(premium, outlook_2, "included")] = "on"
    data[cell_key(premium, outlook_2, "text")] = "  1 TB "
    data["name"] = "For business (renamed)"

    response = vendor_client.post(url, data)

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.name == "For business (renamed)"
    assert grid(offer) == {
        ("Basic", chat.pk): (True, ""),
        ("Standard", chat.pk): (True, ""),
        ("Premium", chat.pk): (True, ""),
        ("Apps", chat.pk): (False, ""),
        **{(plan.name, outlook_1.pk): (True, "") for plan in plans},
        ("Premium", outlook_2.pk): (True, "1 TB"),
    }
    history = PlanFeature.history.filter(history_user=vendor_user)
    assert history.filter(history_type="+").count() == 8
    assert history.filter(history_type="~").count() == 1

    # The page shows what was saved.
    form = vendor_client.get(url).context["adminform"].form
    assert form[cell_key(basic, chat, "included")].value() is True
    assert form[cell_key(apps, chat, "included")].value() is False
    assert form[cell_key(premium, outlook_2, "text")].value() == "1 TB"


def test_resubmitting_an_unchanged_matrix_writes_nothing(vendor_client, offer):
    plan = offer.plans.first()
    feature = FeatureFactory(group=offer.feature_groups.first())
    PlanFeatureFactory(plan=plan, feature=feature, included=True, text="up to 300 users")
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    before = PlanFeature.history.count()
    response = vendor_client.post(url, change_form_data(vendor_client.get(url)))
    assert response.status_code == 302
    assert PlanFeature.history.count() == before


def test_too_long_cell_text_is_a_form_error_and_saves_nothing(vendor_client, offer):
    plan = offer.plans.first()
    feature = offer.feature_groups.first().features.first()
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    data = change_form_data(vendor_client.get(url))
    data[cell_key(plan, feature, "included")] = "on"
    data[cell_key(plan, feature, "text")] = "x" * 101
    data["name"] = "Renamed"
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    offer.refresh_from_db()
    assert offer.name == "For business"
    assert not PlanFeature.objects.exists()


def test_service_refuses_cells_of_another_offer(offer):
    stranger = PlanFactory()  # another offer's plan
    feature = offer.feature_groups.first().features.first()
    with pytest.raises(ValidationError) as excinfo:
        offer_matrix_save(offer=offer, cells={(stranger.pk, feature.pk): MatrixCell(True)})
    assert "not both part of this offer" in " ".join(excinfo.value.messages)
    assert not PlanFeature.objects.exists()


def test_service_refuses_too_long_text(offer):
    plan = offer.plans.first()
    feature = offer.feature_groups.first().features.first()
    with pytest.raises(ValidationError):
        offer_matrix_save(offer=offer, cells={(plan.pk, feature.pk): MatrixCell(True, "x" * 101)})
    assert not PlanFeature.objects.exists()


def test_matrix_queries_do_not_grow_with_its_size(
    vendor_client, offer, django_assert_max_num_queries
):
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    with django_assert_max_num_queries(30) as small:
        vendor_client.get(url)
    for group in offer.feature_groups.all():
        FeatureFactory.create_batch(10, group=group)
    PlanFactory.create_batch(4, offer=offer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = vendor_client.get(url)
    assert response.content.decode().count('type="checkbox" name="matrix-') == 8 * 23
