"""A quote line may leave its rate to the price selector: processing sells the price the rules
pick for the quote's currency, channel and customer group at the line's billing frequency and
custom attributes, and records the rate it sold at. The selector's whole table is sold this
way; a line with no applicable price is refused (PRICE_MISSING, naming what was asked) and
changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.tests.generated import report
from pricing import errors, quote_lines, selling
from pricing.models import Quote, QuoteLine
from pricing.price_selector import OFFERING_UNAVAILABLE
from pricing.tests.rows import pricing_rows
from pricing.tests.test_price_selector import CASES, shop  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def quote_of(shop, *, currency="USD", channel=None, group="", on=date(2026, 6, 1), lines=()):  # noqa: F811
    return selling.quote_create(
        vendor=shop["offering"].vendor,
        customer="Contoso",
        currency=currency,
        sales_channel=shop[channel] if channel else None,
        customer_group=group,
        start_date=on,
        periods=1,
        lines=lines,
    )


def test_every_case_of_the_selectors_table_sells_through_a_quote(shop):  # noqa: F811
    tried = 0
    for item, currency, frequency, channel, group, attributes, on, expected in CASES:
        case = (item, currency, frequency, channel, group, attributes, on)
        on = on or date(2026, 6, 1)
        spec = quote_lines.QuoteLineSpec(
            shop["offering"],
            None,
            shop[item],
            Decimal(1),
            custom_attributes=attributes,
            billing_frequency=frequency,
        )
        try:
            quote = quote_of(
                shop, currency=currency, channel=channel, group=group, on=on, lines=[spec]
            )
        except ValidationError:  # a quote on a channel in another currency: refused first
            continue
        if expected[0].isdigit():
            processed = selling.quote_process(quote=quote, on=on)
            (line,) = processed.lines.select_related("rate", "price_book_item")
            assert line.price_book_item.intervals.get().price == Decimal(expected), case
            assert line.rate == line.price_book_item.rate, case
            assert line.price_reason.startswith(f"rate {line.rate.name!r}"), case
        elif expected == OFFERING_UNAVAILABLE:  # processing's own check, before the selector
            with pytest.raises(errors.OfferingUnavailable):
                selling.quote_process(quote=quote, on=on)
        else:
            with pytest.raises(errors.PriceMissing) as refused:
                selling.quote_process(quote=quote, on=on)
            assert refused.value.details["reason"] == expected, case
            assert Quote.objects.get(pk=quote.pk).status == Quote.Status.DRAFT
            assert QuoteLine.objects.get(quote=quote).rate is None
        tried += 1
    report("quote lines priced by the selector", tried)
    assert tried >= len(CASES) - 3


def test_a_refused_line_names_what_was_asked_for_and_changes_nothing(shop):  # noqa: F811
    spec = quote_lines.QuoteLineSpec(
        shop["offering"], None, shop["seats"], billing_frequency="quarterly"
    )
    quote = quote_of(shop, lines=[spec])
    before = pricing_rows()
    with pytest.raises(errors.PriceMissing) as refused:
        selling.quote_process(quote=quote, on=date(2026, 6, 1))
    assert "Line 1 (SEATS): No price for SEATS" in str(refused.value)
    assert "USD, billed quarterly" in str(refused.value)
    assert pricing_rows() == before


def test_a_named_rate_bills_at_its_own_frequency(shop):  # noqa: F811
    yearly = shop["offering"].rates.get(name="yearly")
    quote = quote_of(shop)
    with pytest.raises(ValidationError) as refused:
        quote_lines.quote_add_line(
            quote=quote,
            offering=shop["offering"],
            rate=yearly,
            item=shop["seats"],
            billing_frequency="monthly",
        )
    assert "bills yearly, not monthly" in str(refused.value)
    line = quote_lines.quote_add_line(
        quote=quote, offering=shop["offering"], rate=yearly, item=shop["seats"]
    )
    assert line.billing_frequency == "yearly"
    changed = quote_lines.quote_change_line(quote=quote, line_id=line.pk, rate=None)
    assert (changed.rate, changed.billing_frequency) == (None, "monthly")


def test_the_api_adds_a_line_without_a_rate_and_processing_records_it(vendor_api, shop):  # noqa: F811
    quote = quote_of(shop, channel="us")
    response = vendor_api.post(
        f"{API}/quotes/{quote.pk}/lines/",
        {"offering": shop["offering"].pk, "item": shop["seats"].pk, "quantity": "3"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    (line,) = response.json()["lines"]
    assert (line["rate"], line["billing_frequency"]) == (None, "monthly")

    processed = vendor_api.post(f"{API}/quotes/{quote.pk}/process/")
    assert processed.status_code == 200, processed.json()
    (line,) = processed.json()["lines"]
    assert line["rate"] == shop["offering"].rates.get(name="us").pk  # the channel's rate
    assert line["amount"] == "27.000000"


def test_the_api_refuses_a_rate_with_another_frequency(vendor_api, shop):  # noqa: F811
    quote = quote_of(shop)
    before = pricing_rows()
    response = vendor_api.post(
        f"{API}/quotes/{quote.pk}/lines/",
        {
            "offering": shop["offering"].pk,
            "rate": shop["offering"].rates.get(name="yearly").pk,
            "billing_frequency": "monthly",
            "item": shop["seats"].pk,
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert "Rate 'yearly' bills yearly, not monthly" in str(response.json()["errors"])
    assert pricing_rows() == before


def test_the_admin_sells_a_line_without_a_rate(vendor_client, shop):  # noqa: F811
    data = {
        "vendor": shop["offering"].vendor_id,
        "customer": "Woodgrove",
        "currency": "USD",
        "start_date": "2026-06-01",
        "periods": "1",
        "customer_group": "promo",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-offering": shop["offering"].pk,
        "lines-0-rate": "",
        "lines-0-billing_frequency": "monthly",
        "lines-0-item": shop["seats"].pk,
        "lines-0-quantity": "2",
        "lines-0-custom_attributes": "{}",
    }
    response = vendor_client.post(reverse("admin:pricing_quote_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote = Quote.objects.get()
    vendor_client.post(reverse("admin:pricing_quote_process", args=[quote.pk]), follow=True)
    line = quote.lines.select_related("rate").get()
    assert (line.rate.name, line.amount) == ("promo", Decimal("16.00"))
