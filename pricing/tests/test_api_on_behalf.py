"""Which vendor a row created through the API belongs to.

Vendor staff create for their own vendor only (a ``vendor`` they send is a 400: read-only for
them); a platform admin (superuser) belongs to no vendor and names it, on create only; nobody
else creates vendor rows.
"""

import pytest

from catalog.models import Product
from pricing.models import Offering, Quote

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def admin_api(api_client, superuser):
    api_client.force_authenticate(superuser)
    return api_client


def quote_body(sellable, **extra):
    line = {
        "offering": sellable["offering"].pk,
        "rate": sellable["rate"].pk,
        "item": sellable["seats"].pk,
        "quantity": 1,
    }
    return {"customer": "Contoso", "currency": "USD", "lines": [line], **extra}


@pytest.mark.parametrize(
    "prefix, body, model",
    [
        ("products", {"name": "Made by the platform"}, Product),
        ("offerings", {"name": "Made by the platform", "start_date": "2026-01-01"}, Offering),
    ],
)
def test_a_platform_admin_creates_for_the_vendor_it_names(
    admin_api, superuser, vendor, prefix, body, model
):
    response = admin_api.post(f"{API}/{prefix}/", {**body, "vendor": vendor.pk}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["vendor"] == vendor.pk
    row = model.objects.get(pk=response.json()["id"])
    assert row.vendor == vendor
    assert row.history.get().history_user == superuser


@pytest.mark.parametrize("vendor_value", [None, "", "abc", 10**9, True, [1], {"id": 1}])
@pytest.mark.parametrize(
    "prefix, body, model",
    [
        ("products", {"name": "Whose?"}, Product),
        ("offerings", {"name": "Whose?", "start_date": "2026-01-01"}, Offering),
    ],
)
def test_a_platform_admin_must_name_an_existing_vendor(
    admin_api, vendor_value, prefix, body, model
):
    body = dict(body)
    if vendor_value is not None:
        body["vendor"] = vendor_value

    response = admin_api.post(f"{API}/{prefix}/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["vendor"]
    assert not model.objects.exists()


@pytest.mark.parametrize(
    "prefix, body, model",
    [
        ("products", {"name": "Ours"}, Product),
        ("offerings", {"name": "Ours", "start_date": "2026-01-01"}, Offering),
    ],
)
def test_vendor_staff_create_for_their_own_vendor_and_may_not_name_one(
    vendor_api, vendor, other_vendor, prefix, body, model
):
    for named in (other_vendor.pk, vendor.pk):
        refused = vendor_api.post(f"{API}/{prefix}/", {**body, "vendor": named}, format="json")
        assert refused.status_code == 400, refused.content
        assert list(refused.json()["errors"]) == ["vendor"]  # read-only for them
    assert not model.objects.exists()

    response = vendor_api.post(f"{API}/{prefix}/", body, format="json")

    assert response.status_code == 201, response.content
    assert model.objects.get(pk=response.json()["id"]).vendor == vendor
    assert not model.objects.filter(vendor=other_vendor).exists()


def test_a_platform_admin_quotes_for_the_vendor_whose_offering_it_is(
    admin_api, sellable, other_vendor
):
    response = admin_api.post(
        f"{API}/quotes/", quote_body(sellable, vendor=sellable["vendor"].pk), format="json"
    )
    assert response.status_code == 201, response.content
    assert Quote.objects.get(pk=response.json()["id"]).vendor == sellable["vendor"]

    refused = admin_api.post(
        f"{API}/quotes/", quote_body(sellable, vendor=other_vendor.pk), format="json"
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["errors"] == {"lines": ["A quote sells only its own vendor's offerings."]}
    assert Quote.objects.count() == 1  # the refused line left no quote behind
