"""A quote holds at most ``MAX_QUOTE_LINES`` lines (the price preview's 200).

More is refused with QUOTE_TOO_LARGE before anything is written: by the services, as a 400
from the API and as a form error in the admin.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import bounds, quote_lines, selling
from pricing.errors import QuoteTooLarge
from pricing.models import Quote, QuoteLine

pytestmark = pytest.mark.django_db
TOO_MANY = bounds.MAX_QUOTE_LINES + 1


def specs(world, count: int) -> list[quote_lines.QuoteLineSpec]:
    return [
        quote_lines.QuoteLineSpec(
            offering=world["offering"], rate=world["rate"], item=world["seats"], quantity=1
        )
    ] * count


def stored_lines(quote, world, count: int) -> None:
    """``count`` lines written directly: test data, not the write under test."""
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            offering=world["offering"],
            rate=world["rate"],
            item=world["seats"],
            quantity=Decimal(1),
        )
        for _ in range(count)
    )


def test_the_bound_is_the_price_previews(sellable):
    assert bounds.MAX_QUOTE_LINES == bounds.MAX_PREVIEW_LINES == 200


def test_quote_create_refuses_more_lines_than_the_bound(sellable):
    with pytest.raises(QuoteTooLarge, match="at most 200 lines"):
        selling.quote_create(
            vendor=sellable["vendor"],
            customer="Contoso",
            currency="USD",
            lines=specs(sellable, TOO_MANY),
        )
    assert not Quote.objects.exists()
    assert not QuoteLine.objects.exists()


def test_quote_create_takes_as_many_lines_as_the_bound(sellable):
    quote = selling.quote_create(
        vendor=sellable["vendor"],
        customer="Contoso",
        currency="USD",
        lines=specs(sellable, bounds.MAX_QUOTE_LINES),
    )
    assert quote.lines.count() == bounds.MAX_QUOTE_LINES


def test_quote_update_refuses_more_lines_and_changes_nothing(sellable):
    quote = selling.quote_create(vendor=sellable["vendor"], customer="Contoso", currency="USD")
    with pytest.raises(QuoteTooLarge):
        selling.quote_update(quote=quote, customer="Fabrikam", lines=specs(sellable, TOO_MANY))
    quote.refresh_from_db()
    assert quote.customer == "Contoso"
    assert not quote.lines.exists()


def test_quote_add_line_refuses_a_line_past_the_bound(sellable):
    quote = selling.quote_create(vendor=sellable["vendor"], customer="Contoso", currency="USD")
    stored_lines(quote, sellable, bounds.MAX_QUOTE_LINES)
    with pytest.raises(QuoteTooLarge):
        quote_lines.quote_add_line(
            quote=quote,
            offering=sellable["offering"],
            rate=sellable["rate"],
            item=sellable["fee"],
            quantity=1,
        )
    assert quote.lines.count() == bounds.MAX_QUOTE_LINES


def test_a_quote_over_the_bound_keeps_its_lines_when_only_its_fields_change(sellable):
    """A quote stored before the bound still has its customer changed (lines untouched)."""
    quote = selling.quote_create(vendor=sellable["vendor"], customer="Contoso", currency="USD")
    stored_lines(quote, sellable, TOO_MANY)
    selling.quote_update(quote=quote, customer="Fabrikam")
    quote.refresh_from_db()
    assert (quote.customer, quote.lines.count()) == ("Fabrikam", TOO_MANY)


def test_api_quote_with_more_lines_than_the_bound_is_a_400(vendor_api, sellable):
    line = {
        "offering": sellable["offering"].pk,
        "rate": sellable["rate"].pk,
        "item": sellable["seats"].pk,
        "quantity": "1",
    }
    response = vendor_api.post(
        "/api/v1/quotes/",
        {"customer": "Contoso", "currency": "USD", "lines": [line] * TOO_MANY},
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "QUOTE_TOO_LARGE"
    assert "at most 200 lines" in body["detail"]
    assert not Quote.objects.exists()
    assert not QuoteLine.objects.exists()


def test_admin_quote_with_more_lines_than_the_bound_is_a_form_error(vendor_client, sellable):
    data = {
        "vendor": sellable["vendor"].pk,
        "customer": "Contoso",
        "currency": "USD",
        "start_date": "2026-01-01",
        "periods": 12,
        "lines-TOTAL_FORMS": TOO_MANY,
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
    }
    for index in range(TOO_MANY):
        data[f"lines-{index}-offering"] = sellable["offering"].pk
        data[f"lines-{index}-rate"] = sellable["rate"].pk
        data[f"lines-{index}-item"] = sellable["seats"].pk
        data[f"lines-{index}-quantity"] = "1"

    response = vendor_client.post(reverse("admin:pricing_quote_add"), data)

    assert response.status_code == 200
    assert "at most 200 lines" in response.content.decode()
    assert not Quote.objects.exists()
    assert not QuoteLine.objects.exists()
