"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) is answered in the API's error
shape with 413 REQUEST_TOO_LARGE, and saves nothing; outside the API Django's 400 page stays."""

import json

import pytest
from django.conf import settings

from catalog.models import Product

pytestmark = pytest.mark.django_db

FIVE_MB = 5 * 1024 * 1024


def big_json() -> str:
    return json.dumps({"name": "Seats", "description": "x" * FIVE_MB})


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (big_json(), "application/json"),
        ("name=Seats&description=" + "x" * FIVE_MB, "application/x-www-form-urlencoded"),
    ],
    ids=["json", "form"],
)
@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/quotes/"])
def test_an_api_body_over_the_limit_is_a_413_in_our_shape(vendor_api, url, body, content_type):
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = vendor_api.post(url, body, content_type=content_type)
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["code"] == "REQUEST_TOO_LARGE"
    assert answer["errors"] == {}
    assert not Product.objects.exists()


def test_an_unauthenticated_api_body_over_the_limit_is_a_413_too(api_client):
    response = api_client.post("/api/v1/products/", big_json(), content_type="application/json")
    assert response.status_code in {401, 413}
    assert response.json()["code"] in {"NOT_AUTHENTICATED", "REQUEST_TOO_LARGE"}


def test_an_admin_body_over_the_limit_stays_a_400_page(vendor_client):
    response = vendor_client.post(
        "/admin/catalog/product/add/",
        "name=Seats&description=" + "x" * FIVE_MB,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not Product.objects.exists()
