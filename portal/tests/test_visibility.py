"""Who sees which listings: distributors their marketplaces' listed ones, vendors a preview."""

import pytest

from catalog.models import Item, Listing
from catalog.tests.factories import (
    AddOnRequirementFactory,
    ItemFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    ProductFactory,
)
from portal.tests.conftest import PUBLISHED, listed_offer
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db

DRAFT, UNLISTED = Listing.Status.DRAFT, Listing.Status.UNLISTED


def listing_url(listing) -> str:
    return f"/portal/listings/{listing.pk}/"


def linked_listing_ids(response) -> set[int]:
    return {
        int(link.attrs["href"].split("/")[3])
        for link in parse(response).find_all("a", class_="listing-link")
    }


@pytest.fixture
def listings(vendor, other_vendor, marketplace):
    """Listed, draft and unlisted listings on the distributor's marketplace, one elsewhere."""
    elsewhere = MarketplaceFactory(name="Elsewhere", code="elsewhere", currency="EUR")
    return {
        "listed": listed_offer(vendor, marketplace, name="Listed"),
        "other_vendor_listed": listed_offer(other_vendor, marketplace, name="Contoso listed"),
        "draft": listed_offer(vendor, marketplace, name="Draft", status=DRAFT),
        "unlisted": listed_offer(vendor, marketplace, name="Unlisted", status=UNLISTED),
        "elsewhere": listed_offer(vendor, elsewhere, name="Elsewhere"),
        "other_vendor_draft": listed_offer(
            other_vendor, marketplace, name="Contoso draft", status=DRAFT
        ),
    }


def test_distributor_index_lists_only_listed_listings_of_its_marketplaces(
    distributor_client, listings
):
    response = distributor_client.get("/portal/")
    assert response.status_code == 200
    assert linked_listing_ids(response) == {
        listings["listed"].pk,
        listings["other_vendor_listed"].pk,
    }
    assert "Preview" not in response.content.decode()


@pytest.mark.parametrize("key", ["listed", "other_vendor_listed"])
def test_distributor_opens_a_listed_listing(distributor_client, listings, key):
    response = distributor_client.get(listing_url(listings[key]))
    assert response.status_code == 200
    assert parse(response).find("h1").text == listings[key].offer.name


@pytest.mark.parametrize("key", ["draft", "unlisted", "elsewhere", "other_vendor_draft"])
def test_draft_unlisted_and_other_marketplaces_are_404_for_distributors(
    distributor_client, listings, key
):
    assert distributor_client.get(listing_url(listings[key])).status_code == 404


def test_unknown_listing_is_404(distributor_client, listings):
    assert distributor_client.get("/portal/listings/999999/").status_code == 404


def test_vendor_staff_preview_their_own_listings_in_every_status(vendor_client, listings):
    response = vendor_client.get("/portal/")
    own = {"listed", "draft", "unlisted", "elsewhere"}
    assert linked_listing_ids(response) == {listings[key].pk for key in own}
    badges = [badge.text for badge in parse(response).find_all(class_="badge-preview")]
    assert sorted(badges) == ["Preview · Draft", "Preview · Unlisted"]
    for key in own:
        assert vendor_client.get(listing_url(listings[key])).status_code == 200


def test_a_draft_listing_page_is_marked_preview(vendor_client, listings):
    page = parse(vendor_client.get(listing_url(listings["draft"])))
    assert "Preview · Draft" in page.find(class_="alert-preview").text
    assert "distributors cannot see it" in page.find(class_="alert-preview").text


@pytest.mark.parametrize("key", ["other_vendor_listed", "other_vendor_draft"])
def test_vendor_staff_get_404_for_another_vendors_listing(vendor_client, listings, key):
    assert vendor_client.get(listing_url(listings[key])).status_code == 404


def test_superuser_sees_every_listing(superuser_client, listings):
    response = superuser_client.get("/portal/")
    assert linked_listing_ids(response) == {listing.pk for listing in listings.values()}
    for listing in listings.values():
        assert superuser_client.get(listing_url(listing)).status_code == 200


@pytest.mark.parametrize("path", ["/portal/", "/portal/listings/1/"])
def test_anonymous_users_are_sent_to_the_portal_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/login/?next={path}"


def test_a_user_without_organization_gets_403(nobody_client, listings):
    assert nobody_client.get("/portal/").status_code == 403
    response = nobody_client.get(listing_url(listings["listed"]))
    assert response.status_code == 403
    assert "No access to the portal" in response.content.decode()


def test_an_inactive_distributor_user_is_signed_out(client, distributor_member, listings):
    client.force_login(distributor_member)
    distributor_member.is_active = False
    distributor_member.save()
    response = client.get(listing_url(listings["listed"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_draft_items_are_left_out_for_distributors_and_marked_in_previews(
    distributor_client, vendor_user, client, listings
):
    listing = listings["listed"]
    ItemFactory(product=listing.offer.product, name="Coming soon", status=Item.Status.DRAFT)
    page = distributor_client.get(listing_url(listing)).content.decode()
    assert "Coming soon" not in page

    client.force_login(vendor_user)
    preview = parse(client.get(listing_url(listing)))
    card = next(
        card for card in preview.find_all("li", class_="item-card") if "Coming soon" in card.text
    )
    assert "Preview · Draft" in card.text


def test_a_base_item_the_distributor_cannot_see_is_not_named(
    distributor_client, vendor, marketplace
):
    listing = listed_offer(vendor, marketplace)
    addon = ItemFactory(product=listing.offer.product, name="The add-on", status=PUBLISHED)
    # The base sits in a product whose only offer is listed on no marketplace of theirs.
    hidden_product = ProductFactory(vendor=vendor)
    ListingFactory(offer=OfferFactory(product=hidden_product), marketplace=MarketplaceFactory())
    secret = ItemFactory(product=hidden_product, name="Secret", status=PUBLISHED)
    base = ItemFactory(product=listing.offer.product, name="Visible base", status=PUBLISHED)
    AddOnRequirementFactory(addon=addon, base=secret)
    AddOnRequirementFactory(addon=addon, base=base)
    page = parse(distributor_client.get(listing_url(listing)))
    cards = page.find_all("li", class_="item-card")
    card = next(card for card in cards if "The add-on" in card.text)
    assert "requires one of Visible base" in card.text
    assert "Secret" not in page.text
