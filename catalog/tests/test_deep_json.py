"""JSON nested beyond what we parse is a 400 (API) or a form error (admin), never a 500."""

import pytest
from django.urls import reverse

from catalog.tests.admin_forms import price_add_data
from pricing.models import PriceBookItem
from pricing.tests.factories import RateFactory, subscription_offering

pytestmark = pytest.mark.django_db

DEPTH = 100_000


def deep_list(depth: int = DEPTH) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int = DEPTH) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("body", [deep_list(), deep_object(), '{"name": ' + deep_list() + "}"])
@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/price-book-items/"])
def test_an_api_body_nested_too_deep_is_a_400_in_our_shape(vendor_api, url, body):
    response = vendor_api.post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    answer = response.json()
    assert answer["code"] == "VALIDATION_ERROR"
    assert "nest" in answer["detail"]


def test_an_api_body_nested_a_little_too_deep_is_refused_before_any_field_sees_it(vendor_api):
    response = vendor_api.post(
        "/api/v1/products/", '{"name": ' + deep_list(64) + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "nest" in response.json()["detail"]


def test_a_form_encoded_json_field_nested_too_deep_is_a_400(vendor_api):
    response = vendor_api.post(
        "/api/v1/price-book-items/",
        {"custom_attributes": deep_list()},
        format="multipart",
    )
    assert response.status_code == 400, response.content[:300]
    assert "custom_attributes" in response.json()["errors"]


def test_admin_custom_attributes_nested_too_deep_are_a_form_error(vendor_client, vendor):
    rate = RateFactory(offering=subscription_offering(vendor))
    item = rate.offering.offering_items.get().item
    data = price_add_data(rate=rate.pk, item=item.pk, custom_attributes=deep_object())
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "custom_attributes" in errors
    assert "nest" in str(errors["custom_attributes"])
    assert not PriceBookItem.objects.exists()
