"""``GET /api/v1/price-book-items/{id}/curves/`` and ``curves.svg``: a price's curves as JSON
(each amount the engine's, as ``amount_at`` gives it; Decimals as strings) and drawn, scoped
as the price book item endpoint is (another vendor's price, and any price for a distributor,
is a 404), read-only, errors in the API's shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from insights.curves import amount_at
from insights.tests.curves_data import add_price, build_shop
from insights.tests.paths_data import module_rows
from pricing.models import PriceBookItem

pytestmark = pytest.mark.django_db
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def shop(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_shop()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(pbi, suffix="curves/") -> str:
    return f"/api/v1/price-book-items/{pbi.pk}/{suffix}"


def loaded(pbi) -> PriceBookItem:
    return PriceBookItem.objects.select_related("rate", "item").with_rows().get(pk=pbi.pk)


def test_each_point_is_the_engines_amount_at_its_quantity(shop):
    pbi = loaded(shop.prices["volume"])
    body = client_for(shop.vendor_user).get(url(pbi)).json()
    assert (body["price_book_item"], body["currency"], body["charge_model"]) == (
        pbi.pk,
        "USD",
        "volume",
    )
    (interval,) = body["intervals"]
    assert interval["number"] == 1
    book = pbi.to_engine()
    points = interval["points"]
    assert len(points) > 10 and points[0] == {"quantity": "0", "amount": "0.00"}
    for point in points:
        assert Decimal(point["amount"]) == amount_at(book, book.intervals[0], point["quantity"])
    assert {"quantity": "11", "amount": "55.00"} in points
    assert interval["cliff"] == {
        "quantity": "11",
        "amount": "55.00",
        "dearer_quantity": "10",
        "dearer_amount": "100.00",
    }
    assert body["time_steps"] == [] and body["no_curve"] is None


def test_an_interval_price_steps_over_time_at_the_default_quantity(shop):
    pbi = loaded(shop.prices["steps"])
    body = client_for(shop.vendor_user).get(url(pbi)).json()
    assert [interval["cliff"] for interval in body["intervals"]] == [None, None, None]
    book = pbi.to_engine()
    for interval, engine_interval in zip(body["intervals"], book.intervals, strict=True):
        for point in interval["points"]:
            wanted = amount_at(book, engine_interval, point["quantity"])
            assert Decimal(point["amount"]) == wanted
    assert body["time_quantity"] == "2"
    assert body["time_steps"] == [
        {"number": 1, "start_month": "0", "end_month": "3", "open_ended": False, "amount": "40.00"},
        {"number": 2, "start_month": "3", "end_month": "5", "open_ended": False, "amount": "30.00"},
        {"number": 3, "start_month": "5", "end_month": "17", "open_ended": True, "amount": "20.00"},
    ]


def test_a_price_by_delivery_has_no_curve_and_says_why(shop):
    rate = shop.prices["volume"].rate
    pbi = add_price(rate, shop.prices["steps"].item, "delivery", [("infinity", None, [])])
    PriceBookItem.objects.filter(pk=pbi.pk).update(delivery_weekdays=[6])
    body = client_for(shop.vendor_user).get(url(pbi)).json()
    assert (body["intervals"], body["time_steps"], body["no_curve"]) == ([], [], "delivery")
    svg = client_for(shop.vendor_user).get(url(pbi, "curves.svg")).content.decode()
    assert "Priced per delivery: no curve by quantity." in svg


def test_a_price_the_engine_cannot_read_is_a_400_in_the_apis_error_shape(shop):
    pbi = add_price(shop.prices["volume"].rate, shop.prices["steps"].item, "volume", [])
    response = client_for(shop.vendor_user).get(url(pbi))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_PRICE_BOOK_ITEM"
    assert body["detail"] == "No price curve: A price needs at least one interval."


def test_the_svg_is_a_well_formed_picture_of_every_chart(shop):
    response = client_for(shop.vendor_user).get(url(shop.prices["steps"], "curves.svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title.text == f"Price curves of {shop.prices['steps'].item.mpn} (USD)"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    charts = root.findall(f"{SVG_NS}svg")
    assert len(charts) == 4  # three intervals against quantity, and one over time
    assert charts[0].get("y") == "0" and float(charts[1].get("y")) > 230
    assert "Interval 3, from month 5 on: 20.00 USD" in desc.text


def test_the_svg_marks_the_cliff_and_says_it(shop):
    response = client_for(shop.vendor_user).get(url(shop.prices["volume"], "curves.svg"))
    root = ET.fromstring(response.content)
    assert len(root.findall(f".//{SVG_NS}line[@class='cliff']")) == 1
    texts = {"".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")}
    assert "Cliff: 11 units cost 55.00 USD a period, less than 10 units at 100.00 USD." in texts


@pytest.mark.parametrize("suffix", ["curves/", "curves.svg"])
def test_another_vendors_price_is_not_found_in_the_apis_error_shape(shop, suffix):
    response = client_for(shop.vendor_user).get(url(shop.prices["other_vendor"], suffix))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize("suffix", ["curves/", "curves.svg"])
def test_a_distributor_reads_no_price_through_the_api(shop, suffix):
    response = client_for(shop.distributor_user).get(url(shop.prices["volume"], suffix))
    assert response.status_code == 404


def test_a_platform_admin_reads_any_price(shop):
    response = client_for(shop.superuser).get(url(shop.prices["other_vendor"]))
    assert response.status_code == 200


@pytest.mark.parametrize("suffix", ["curves/", "curves.svg"])
def test_an_anonymous_caller_is_asked_to_authenticate(shop, suffix):
    response = client_for(None).get(url(shop.prices["volume"], suffix))
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("who", ["vendor_user", "superuser"])
@pytest.mark.parametrize("suffix", ["curves/", "curves.svg"])
def test_the_curves_are_read_only(shop, method, who, suffix):
    client = client_for(getattr(shop, who))
    response = getattr(client, method)(url(shop.prices["volume"], suffix), {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"
