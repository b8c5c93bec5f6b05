"""An offering's price sheet: one row per item, one column per rate (currency, frequency,
channel, group), each cell the price in words; linked from the offering page, scoped to the
vendor, and a fixed number of queries whatever the offering's size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Item
from catalog.tests.factories import ItemFactory
from portal.tests.dom import parse
from pricing import rates, services
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db


def sheet_url(offering) -> str:
    return reverse("admin:pricing_offering_prices", args=[offering.pk])


def sheet_cells(response) -> dict[str, list[str]]:
    """Item MPN → the text of each rate's cell, in column order."""
    table = parse(response).find("table", id="price-sheet")
    return {
        row.find("th").children[0].strip(): [td.text for td in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }


def test_the_sheet_has_an_item_per_row_and_a_rate_per_column(vendor_client, sellable):
    offering = sellable["offering"]
    rates.rate_create(
        offering=offering, name="EUR yearly", currency="EUR", billing_frequency="yearly"
    )
    response = vendor_client.get(sheet_url(offering))
    headers = [th.text for th in parse(response).find("table", id="price-sheet").find_all("th")]
    headers = headers[: len(headers) - 3]  # the rows' headers follow the columns' ones
    assert headers == [
        "Item",
        "EUR yearly EUR · yearly · every channel · any customer group · draft",
        "USD monthly USD · monthly · every channel · any customer group · active",
    ]
    assert sheet_cells(response) == {
        "SEATS": ["No price", "$12.00 per unit per month"],
        "FEE": ["No price", "$1,500.00, one-time"],
        "ADDON": ["No price", "$3.00 per unit per month"],
    }
    assert "3 items × rate have no price." in response.content.decode()


def test_the_offering_page_links_to_its_sheet(vendor_client, sellable):
    offering = sellable["offering"]
    html = vendor_client.get(
        reverse("admin:pricing_offering_change", args=[offering.pk])
    ).content.decode()
    assert f'href="{sheet_url(offering)}"' in html


def test_prices_with_custom_attributes_are_told_apart(vendor_client, sellable):
    from decimal import Decimal

    from pricing.pricebook import IntervalSpec

    rates.price_book_item_save(
        rate=sellable["rate"],
        item=sellable["seats"],
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal("10"))],
        custom_attributes={"region": "north"},
    )
    cells = sheet_cells(vendor_client.get(sheet_url(sellable["offering"])))
    assert cells["SEATS"] == [
        '$12.00 per unit per month $10.00 per unit per month {"region": "north"}'
    ]


def test_a_price_left_from_an_item_the_offering_no_longer_holds_is_marked(vendor_client, vendor):
    offering = priced_offering(vendor, items=1, rates=1)
    usage = ItemFactory(product=offering.offering_items.get().item.product, kind=Item.Kind.USAGE)
    services.offering_add_item(offering=offering, item=usage)
    html = vendor_client.get(sheet_url(offering)).content.decode()
    assert "no longer in the offering" not in html
    assert "1 item × rate has no price." in html


def test_another_vendors_sheet_is_a_404(client, other_vendor_user, sellable):
    client.force_login(other_vendor_user)
    assert client.get(sheet_url(sellable["offering"])).status_code == 404


@pytest.mark.parametrize(("items", "rate_count"), [(2, 1), (8, 4)])
def test_the_sheet_runs_a_fixed_number_of_queries(
    items, rate_count, vendor_client, vendor, django_assert_max_num_queries
):
    offering = priced_offering(vendor, items=items, rates=rate_count, intervals=2, tiers=2)
    with django_assert_max_num_queries(11):
        response = vendor_client.get(sheet_url(offering))
    cells = sheet_cells(response)
    assert len(cells) == items
    assert all(len(row) == rate_count and "No price" not in row for row in cells.values())
