"""Quote processing, the price preview and the portal take their prices from the price
selector: each is watched asking it."""

from datetime import date
from decimal import Decimal

import pytest

from pricing import price_selector, quote_lines, selling
from pricing.models import PriceBookItem

pytestmark = pytest.mark.django_db


def spy(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def watched(*args, **kwargs):
        calls.append(kwargs or args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return calls


def test_quote_processing_asks_the_selector_for_every_line(monkeypatch, sellable):
    calls = spy(monkeypatch, selling, "line_prices")
    quote = selling.quote_create(
        vendor=sellable["vendor"],
        customer="C",
        currency="USD",
        start_date=date(2026, 1, 1),
        lines=[
            quote_lines.QuoteLineSpec(sellable["offering"], sellable["rate"], sellable[item], qty)
            for item, qty in (("seats", Decimal(3)), ("fee", Decimal(1)))
        ],
    )
    selling.quote_process(quote=quote, on=date(2026, 1, 1))
    (asked,) = calls
    assert len(asked["lines"]) == 2


def test_the_price_preview_asks_the_selector(monkeypatch, vendor_api, sellable):
    from pricing import selectors

    calls = spy(monkeypatch, selectors, "price_in_rate")
    response = vendor_api.post(
        f"/api/v1/offerings/{sellable['offering'].pk}/price-preview/",
        {
            "rate": sellable["rate"].pk,
            "start_date": "2026-01-01",
            "periods": 1,
            "lines": [{"item": sellable["seats"].pk, "quantity": "2"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert len(calls) == 1


def test_the_portal_asks_the_selector(monkeypatch, shared_demo, client):
    """The listing page and a price's page (portal.prices, for both)."""
    from catalog.models import Listing
    from portal import prices

    calls = spy(monkeypatch, prices, "select_prices")
    client.post("/portal/login/", {"username": "distributor", "password": "distributor-demo-2026"})
    listing = Listing.objects.get(offer__name="Pay as you grow", marketplace__code="us")
    assert client.get(f"/portal/listings/{listing.pk}/").status_code == 200
    (asked,) = calls
    assert asked["sale"].channel_id == listing.marketplace_id
    assert (asked["sale"].currency, asked["sale"].customer_group) == ("USD", "")
    assert price_selector.Sale is type(asked["sale"])
    seats = PriceBookItem.objects.get(
        item__mpn="NW-SEATS", rate__offering__name="Platform in packages"
    )
    page = f"/portal/listings/{listing.pk}/prices/{seats.pk}/"
    assert client.get(page).status_code == 200
    assert len(calls) == 2 and calls[1]["sale"] == asked["sale"]
