"""A NUL character (\\x00) is refused wherever text comes in, so SQLite and PostgreSQL (which
cannot store it) hold the same rows: API fields and JSON contents, admin forms, services."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import services as catalog_services
from catalog.models import Product
from catalog.services import MatrixCell, offer_matrix_save
from catalog.tests.admin_forms import price_add_data
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    ItemFactory,
    OfferFactory,
    PlanFactory,
    ProductFactory,
)
from pricing import rates
from pricing.errors import InvalidPriceBookItem
from pricing.models import PriceBookItem
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import RateFactory, subscription_offering

pytestmark = pytest.mark.django_db

NUL_ATTRIBUTES = [{"region\x00": "north"}, {"region": "no\x00rth"}, {"\x00": 1}]


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor))


def price_body(rate, attributes):
    return {
        "rate": rate.pk,
        "item": rate.offering.offering_items.get().item_id,
        "charge_model": "per_unit",
        "custom_attributes": attributes,
        "intervals": [{"duration_unit": "infinity", "price": "1"}],
    }


@pytest.mark.parametrize("attributes", NUL_ATTRIBUTES)
def test_api_custom_attributes_with_a_nul_are_a_400(vendor_api, rate, attributes):
    response = vendor_api.post("/api/v1/price-book-items/", price_body(rate, attributes), "json")
    assert response.status_code == 400, response.content[:300]
    assert "NUL" in response.json()["detail"]
    assert not PriceBookItem.objects.exists()


def test_api_text_fields_with_a_nul_are_a_400(vendor_api, vendor):
    response = vendor_api.post("/api/v1/products/", {"name": "Sea\x00ts"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not Product.objects.exists()


@pytest.mark.parametrize("attributes", NUL_ATTRIBUTES)
def test_admin_custom_attributes_with_a_nul_are_a_form_error(vendor_client, rate, attributes):
    data = price_add_data(
        rate=rate.pk,
        item=rate.offering.offering_items.get().item_id,
        custom_attributes=json.dumps(attributes),  # "\u0000" in the JSON text
    )
    response = vendor_client.post(reverse("admin:pricing_pricebookitem_add"), data)
    assert response.status_code == 200
    assert "NUL" in str(response.context["adminform"].form.errors["custom_attributes"])
    assert not PriceBookItem.objects.exists()


@pytest.mark.parametrize("attributes", NUL_ATTRIBUTES)
def test_price_book_item_save_refuses_custom_attributes_with_a_nul(rate, attributes):
    with pytest.raises(InvalidPriceBookItem, match="NUL"):
        rates.price_book_item_save(
            rate=rate,
            item=rate.offering.offering_items.get().item,
            charge_model="per_unit",
            intervals=[IntervalSpec(price=Decimal(1))],
            custom_attributes=attributes,
        )
    assert not PriceBookItem.objects.exists()


def test_validated_save_refuses_text_with_a_nul(vendor):
    with pytest.raises(ValidationError) as refused:
        catalog_services.product_create(vendor=vendor, name="Seats", description="a\x00b")
    assert "description" in refused.value.message_dict
    assert not Product.objects.exists()


def test_validated_save_refuses_json_with_a_nul_anywhere(rate):
    pbi = PriceBookItem(
        rate=rate,
        item=rate.offering.offering_items.get().item,
        custom_attributes={"a": ["b", {"c\x00": 1}]},
    )
    with pytest.raises(ValidationError) as refused:
        catalog_services.validated_save(pbi)
    assert "custom_attributes" in refused.value.message_dict
    assert not PriceBookItem.objects.exists()


def test_item_translation_with_a_nul_is_refused(vendor):
    item = ItemFactory(product=ProductFactory(vendor=vendor))
    with pytest.raises(ValidationError):
        catalog_services.item_translate(item=item, locale="de", name="Si\x00tze")
    assert not item.translations.exists()


def test_matrix_cell_text_with_a_nul_is_refused(vendor):
    offer = OfferFactory(product=ProductFactory(vendor=vendor))
    plan = PlanFactory(offer=offer)
    feature = FeatureFactory(group=FeatureGroupFactory(offer=offer))
    with pytest.raises(ValidationError, match="NUL"):
        offer_matrix_save(offer=offer, cells={(plan.pk, feature.pk): MatrixCell(True, "1\x00TB")})
    assert not plan.feature_values.exists()
