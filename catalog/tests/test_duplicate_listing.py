"""Listing an offer twice on one marketplace is refused with the marketplace's name, next to
the field, on the offer page, the listing page and through the service."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Listing
from catalog.services import listing_publish
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ListingFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db

MESSAGE = "This offer is already on North America (USD)."


@pytest.fixture
def listing(vendor, marketplace):
    offer = OfferFactory(product=ProductFactory(vendor=vendor))
    return ListingFactory(offer=offer, marketplace=marketplace)


def test_two_rows_for_one_marketplace_on_the_offer_page(vendor_client, listing, marketplace):
    url = reverse("admin:catalog_offer_change", args=[listing.offer_id])
    data = change_form_data(vendor_client.get(url))
    data.update(
        {
            "listings-TOTAL_FORMS": 2,
            "listings-1-marketplace": marketplace.pk,
            "listings-1-status": "draft",
            "name": "Renamed",
        }
    )
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert "Please correct the duplicate data" not in html
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "listings"
    )
    assert formset.forms[1].errors["marketplace"] == [MESSAGE]
    assert Listing.objects.count() == 1
    listing.offer.refresh_from_db()
    assert listing.offer.name != "Renamed"


def test_the_listing_page_names_the_marketplace(vendor_client, listing, marketplace):
    data = {"offer": listing.offer_id, "marketplace": marketplace.pk, "status": "draft"}
    response = vendor_client.post(reverse("admin:catalog_listing_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["marketplace"] == [MESSAGE]
    assert Listing.objects.count() == 1


def test_the_service_names_the_marketplace(listing, marketplace):
    with pytest.raises(ValidationError) as excinfo:
        listing_publish(offer=listing.offer, marketplace=marketplace)
    assert excinfo.value.message_dict == {"marketplace": [MESSAGE]}
    assert Listing.objects.count() == 1


def test_changing_a_listings_status_is_no_duplicate(vendor_client, listing):
    url = reverse("admin:catalog_listing_change", args=[listing.pk])
    data = {**change_form_data(vendor_client.get(url)), "status": "listed"}
    assert vendor_client.post(url, data).status_code == 302
    listing.refresh_from_db()
    assert listing.status == "listed"
