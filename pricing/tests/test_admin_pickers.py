"""The pricing pages' item pickers offer what the pricing rules accept: a scope names items of
the kind its offering type applies to, a price's item is one of its rate's offering's items."""

import pytest
from django.urls import reverse

from catalog.models import Item
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory, ProductFactory, VendorFactory
from pricing.tests.factories import (
    OfferingFactory,
    OfferingItemFactory,
    PriceBookItemFactory,
    RateFactory,
)

pytestmark = pytest.mark.django_db

Kind = Item.Kind
AUTOCOMPLETE = "/admin/autocomplete/"


def items_of_every_kind(vendor):
    product = ProductFactory(vendor=vendor)
    return {kind: ItemFactory(product=product, kind=kind, mpn=kind.upper()) for kind in Kind}


def scope_choices_on_page(client, offering):
    response = client.get(reverse("admin:pricing_offering_change", args=[offering.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    return sorted(formset.forms[0].fields["scope"].queryset.values_list("mpn", flat=True))


@pytest.mark.parametrize(
    ("offering_type", "anchor", "expected"),
    [
        ("minimum_commit", Kind.MINIMUM_COMMIT, ["USAGE"]),
        ("percent_of_total", Kind.PERCENT_OF_TOTAL, ["SUBSCRIPTION"]),
    ],
)
def test_scope_list_offers_the_kind_its_offering_type_applies_to(
    vendor_client, vendor, offering_type, anchor, expected
):
    items = items_of_every_kind(vendor)
    offering = OfferingFactory(vendor=vendor, type=offering_type)
    OfferingItemFactory(offering=offering, item=items[anchor])
    assert scope_choices_on_page(vendor_client, offering) == expected


def test_scope_list_of_a_subscription_offering_offers_only_scopable_kinds(vendor_client, vendor):
    items = items_of_every_kind(vendor)
    offering = OfferingFactory(vendor=vendor, type="subscription")
    OfferingItemFactory(offering=offering, item=items[Kind.SUBSCRIPTION])
    assert scope_choices_on_page(vendor_client, offering) == ["SUBSCRIPTION", "USAGE"]


def test_a_scope_item_of_the_wrong_kind_is_refused(vendor_client, vendor):
    items = items_of_every_kind(vendor)
    offering = OfferingFactory(vendor=vendor, type="minimum_commit")
    line = OfferingItemFactory(offering=offering, item=items[Kind.MINIMUM_COMMIT])
    url = reverse("admin:pricing_offering_change", args=[offering.pk])
    data = change_form_data(vendor_client.get(url))
    data["offering_items-0-scope"] = [items[Kind.SUBSCRIPTION].pk]
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not line.scopes.exists()


def price_item_search(client, **params):
    query = {"app_label": "pricing", "model_name": "pricebookitem", "field_name": "item"}
    response = client.get(AUTOCOMPLETE, {"term": "", **query, **params})
    assert response.status_code == 200, response.content
    return sorted(row["text"] for row in response.json()["results"])


def test_price_item_search_offers_its_rates_offering_items(vendor_client, vendor):
    seats = OfferingItemFactory(offering__vendor=vendor).item
    other = OfferingItemFactory(offering__vendor=vendor).item  # another offering's
    ItemFactory(product=ProductFactory(vendor=vendor))  # in no offering
    rate = RateFactory(offering=seats.offering_items.get().offering)
    assert price_item_search(vendor_client, rate=rate.pk) == [str(seats)]
    assert price_item_search(vendor_client) == sorted([str(seats), str(other)])


def test_price_item_search_with_an_unknown_rate_offers_nothing(vendor_client, vendor):
    OfferingItemFactory(offering__vendor=vendor)
    assert price_item_search(vendor_client, rate=999999) == []


def test_price_item_search_with_a_rate_that_is_no_number_ignores_it(vendor_client, vendor):
    line = OfferingItemFactory(offering__vendor=vendor)
    assert price_item_search(vendor_client, rate="abc") == [str(line.item)]


def test_another_vendors_rate_offers_nothing(vendor_client, vendor):
    OfferingItemFactory(offering__vendor=vendor)
    theirs = RateFactory(offering=OfferingFactory(vendor=VendorFactory()))
    assert price_item_search(vendor_client, rate=theirs.pk) == []


def test_price_pages_send_the_rate_with_the_item_search(vendor_client, vendor):
    rate = RateFactory(offering=OfferingFactory(vendor=vendor))
    add = vendor_client.get(reverse("admin:pricing_pricebookitem_add"), {"rate": rate.pk})
    assert f"/admin/autocomplete/?rate={rate.pk}" in add.content.decode()
    pbi = PriceBookItemFactory(rate=rate, item=OfferingItemFactory(offering=rate.offering).item)
    change = vendor_client.get(reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]))
    assert f"/admin/autocomplete/?rate={rate.pk}" in change.content.decode()
