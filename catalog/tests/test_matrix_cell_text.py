"""A matrix cell's text shows only when the cell is ticked: text in an unticked cell is
refused next to the cell, never dropped silently; the text boxes are wide enough to read."""

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
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(vendor):
    offer = OfferFactory(product=ProductFactory(vendor=vendor))
    plan = PlanFactory(offer=offer, name="Basic")
    feature = FeatureFactory(group=FeatureGroupFactory(offer=offer), name="Storage")
    return offer, plan, feature


def names(plan, feature):
    return (f"matrix-{plan.pk}-{feature.pk}-included", f"matrix-{plan.pk}-{feature.pk}-text")


def test_text_in_an_unticked_cell_is_an_error_next_to_the_cell(vendor_client, cell):
    offer, plan, feature = cell
    included, text = names(plan, feature)
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    data = change_form_data(vendor_client.get(url))
    data.update({text: "1 TB", "name": "Renamed"})
    data.pop(included, None)
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Tick the cell to show this text" in " ".join(form.errors[text])
    assert response.content.decode().count("Tick the cell to show this text") == 1
    offer.refresh_from_db()
    assert offer.name != "Renamed"
    assert not PlanFeature.objects.exists()


def test_ticked_text_is_kept(vendor_client, cell):
    offer, plan, feature = cell
    included, text = names(plan, feature)
    url = reverse("admin:catalog_offer_change", args=[offer.pk])
    data = {**change_form_data(vendor_client.get(url)), included: "on", text: "1 TB"}
    assert vendor_client.post(url, data).status_code == 302
    value = PlanFeature.objects.get()
    assert (value.included, value.text) == (True, "1 TB")


def test_blank_text_in_an_unticked_cell_is_no_error(cell):
    offer, plan, feature = cell
    assert (
        offer_matrix_save(offer=offer, cells={(plan.pk, feature.pk): MatrixCell(False, "  ")}) == 0
    )


def test_the_service_refuses_unticked_text_and_writes_nothing(cell):
    offer, plan, feature = cell
    with pytest.raises(ValidationError, match="Tick the cell"):
        offer_matrix_save(offer=offer, cells={(plan.pk, feature.pk): MatrixCell(False, "1 TB")})
    assert not PlanFeature.objects.exists()


def test_matrix_text_boxes_are_wide(vendor_client, cell):
    offer = cell[0]
    html = vendor_client.get(reverse("admin:catalog_offer_change", args=[offer.pk])).content
    assert b'size="24"' in html
    assert b'size="12"' not in html
