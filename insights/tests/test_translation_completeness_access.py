"""Who sees a vendor's translation completeness: its own staff and superusers, in the API
and the admin; another vendor's staff and distributors are told the vendor does not exist
(404), an anonymous caller to authenticate (API 401, admin sign-in page)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from catalog.tests.factories import ListingFactory, OfferTranslationFactory

API = "/api/v1/vendors/{}/translations/"
PAGE = "/admin/insights/translations/{}/"


@pytest.fixture
def listed(vendor, marketplace):
    """Northwind's offer listed on a marketplace that reads French, translated into it."""
    marketplace.countries = "CA"
    marketplace.save()
    listing = ListingFactory(offer__product__vendor=vendor, marketplace=marketplace)
    OfferTranslationFactory(offer=listing.offer, locale="fr")
    return listing


def token_client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("vendor_user", 200),
        ("superuser", 200),
        ("other_vendor_user", 404),
        ("distributor_member", 404),
    ],
)
def test_the_api_answers_the_vendors_own_staff_and_superusers_only(
    request, api_client, listed, who, status
):
    client = token_client(api_client, request.getfixturevalue(who))
    response = client.get(API.format("northwind"))
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"]  # the API's error shape


def test_the_api_tells_an_anonymous_caller_to_authenticate(api_client, listed):
    response = api_client.get(API.format("northwind"))
    assert response.status_code == 401
    assert set(response.json()) >= {"code", "detail", "errors"}


def test_the_api_answers_the_share_per_language_and_the_missing_rows(
    api_client, vendor_user, listed
):
    body = token_client(api_client, vendor_user).get(API.format("northwind")).json()
    assert body["vendor"] == "northwind"
    assert body["default_language"] == "en"
    [french] = body["languages"]
    assert (french["language"], french["countries"], french["locales"]) == (
        "fr",
        ["CA"],
        ["fr-CA", "fr"],
    )
    assert french["marketplace"]["code"] == "us"
    offers = next(kind for kind in french["kinds"] if kind["kind"] == "offers")
    assert (offers["translated"], offers["listed"], offers["percent"]) == (1, 1, 100)
    assert french["missing"] == []


def test_an_unknown_vendor_is_a_404(api_client, superuser):
    assert token_client(api_client, superuser).get(API.format("nobody")).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("vendor_user", 200),
        ("superuser", 200),
        ("other_vendor_user", 404),
        ("distributor_member", 403),  # signed in, no admin access
    ],
)
def test_the_admin_page_shows_the_vendors_own_staff_and_superusers_only(
    request, client, listed, who, status
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(PAGE.format("northwind"))
    assert response.status_code == status
    if status == 200:
        assert b"French on North America: 100% translated" in response.content


def test_the_admin_page_sends_an_anonymous_visitor_to_sign_in(client, listed):
    response = client.get(PAGE.format("northwind"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_dashboard_links_vendor_staff_to_their_own_page(client, vendor_user):
    client.force_login(vendor_user)
    response = client.get("/admin/")
    assert PAGE.format("northwind").encode() in response.content


def test_the_index_sends_vendor_staff_to_their_page_and_lists_vendors_to_a_superuser(
    client, vendor_user, superuser, other_vendor
):
    client.force_login(vendor_user)
    assert client.get("/admin/insights/translations/")["Location"] == PAGE.format("northwind")
    client.force_login(superuser)
    response = client.get("/admin/insights/translations/")
    assert PAGE.format("contoso").encode() in response.content
    assert PAGE.format("northwind").encode() in response.content
