"""Quote terms and price previews are bounded: 1 to 600 billing periods, ending by 9999-12-31,
and a preview of at most 200 lines and 24,000 line-periods. Beyond them: a clear 400 or form
error, never a server error at creation, processing or preview."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import bounds, selling
from pricing.errors import PreviewTooLarge, TermOutOfRange
from pricing.models import Quote, QuoteLine
from pricing.selectors import price_book_item_for_engine, price_preview
from pricing.tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [(date(9999, 12, 1), 120), (date(2026, 1, 1), 100_000), (date(2026, 1, 1), 601)]


@pytest.mark.parametrize(("start", "periods"), OUT_OF_RANGE)
def test_quote_create_refuses_a_term_out_of_range(vendor, start, periods):
    with pytest.raises(TermOutOfRange):
        selling.quote_create(
            vendor=vendor, customer="Contoso", currency="USD", start_date=start, periods=periods
        )
    assert not Quote.objects.exists()


def test_quote_create_takes_the_longest_term_that_fits(vendor):
    longest = selling.quote_create(
        vendor=vendor, customer="Contoso", currency="USD", start_date=date(2026, 1, 1), periods=600
    )
    last_start = selling.quote_create(
        vendor=vendor, customer="Contoso", currency="USD", start_date=date(9998, 12, 1), periods=1
    )
    assert (longest.periods, last_start.start_date) == (600, date(9998, 12, 1))


def test_term_bounds_count_yearly_periods(vendor):
    """Lines are added later, on any rate: a term must fit the longest (yearly) periods."""
    with pytest.raises(TermOutOfRange):
        selling.quote_create(
            vendor=vendor,
            customer="Contoso",
            currency="USD",
            start_date=date(9990, 1, 1),
            periods=12,
        )


@pytest.mark.parametrize(("start", "periods"), OUT_OF_RANGE)
def test_api_quote_with_a_term_out_of_range_is_a_400(vendor_api, sellable, start, periods):
    response = vendor_api.post(
        "/api/v1/quotes/",
        {
            "customer": "Contoso",
            "currency": "USD",
            "start_date": start.isoformat(),
            "periods": periods,
            "lines": [
                {
                    "offering": sellable["offering"].pk,
                    "rate": sellable["rate"].pk,
                    "item": sellable["seats"].pk,
                    "quantity": "1",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] in {"TERM_OUT_OF_RANGE", "VALIDATION_ERROR"}
    assert not Quote.objects.exists()
    assert not QuoteLine.objects.exists()


@pytest.mark.parametrize(("start", "periods"), OUT_OF_RANGE)
def test_admin_quote_with_a_term_out_of_range_is_a_form_error(
    vendor_client, vendor, start, periods
):
    response = vendor_client.post(
        reverse("admin:pricing_quote_add"),
        {
            "vendor": vendor.pk,
            "customer": "Contoso",
            "currency": "USD",
            "status": "draft",
            "start_date": start.isoformat(),
            "periods": periods,
            "lines-TOTAL_FORMS": 0,
            "lines-INITIAL_FORMS": 0,
            "lines-MIN_NUM_FORMS": 0,
            "lines-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Quote.objects.exists()


def test_processing_a_stored_quote_out_of_range_is_refused_and_changes_nothing(sellable):
    """A quote stored before the bounds existed is refused at processing, not a 500."""
    quote = QuoteFactory(vendor=sellable["vendor"], start_date=date(9999, 12, 1), periods=120)
    for item in ("seats", "fee"):
        QuoteLine.objects.create(
            quote=quote,
            offering=sellable["offering"],
            rate=sellable["rate"],
            item=sellable[item],
            quantity=1,
        )
    with pytest.raises(TermOutOfRange):
        selling.quote_process(quote=quote)
    quote.refresh_from_db()
    assert (quote.status, quote.total) == (Quote.Status.DRAFT, None)
    assert not quote.lines.filter(amount__isnull=False).exists()


def preview(vendor_api, sellable, *, start="2026-01-01", periods=12, lines=1):
    return vendor_api.post(
        f"/api/v1/offerings/{sellable['offering'].pk}/price-preview/",
        {
            "rate": sellable["rate"].pk,
            "start_date": start,
            "periods": periods,
            "lines": [{"item": sellable["seats"].pk, "quantity": "1"}] * lines,
        },
        format="json",
    )


@pytest.mark.parametrize(("start", "periods"), OUT_OF_RANGE)
def test_api_preview_of_a_term_out_of_range_is_a_400(vendor_api, sellable, start, periods):
    response = preview(vendor_api, sellable, start=start.isoformat(), periods=periods)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] in {"TERM_OUT_OF_RANGE", "VALIDATION_ERROR"}


def test_api_preview_ending_on_the_last_representable_month_works(vendor_api, sellable):
    response = preview(vendor_api, sellable, start="9999-11-01", periods=1)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["lines"][0]["periods"][0]["end"] == "9999-11-30"  # its last day


@pytest.mark.parametrize(
    ("lines", "periods"),
    [(bounds.MAX_PREVIEW_LINES + 1, 1), (bounds.MAX_PREVIEW_LINES, 121)],
)
def test_api_preview_bigger_than_the_bound_is_a_400(vendor_api, sellable, lines, periods):
    assert lines * periods > bounds.MAX_PREVIEW_LINE_PERIODS or lines > bounds.MAX_PREVIEW_LINES
    response = preview(vendor_api, sellable, periods=periods, lines=lines)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "PREVIEW_TOO_LARGE"


def test_api_preview_at_the_bound_is_answered(vendor_api, sellable):
    lines = bounds.MAX_PREVIEW_LINE_PERIODS // 120
    response = preview(vendor_api, sellable, periods=120, lines=lines)
    assert response.status_code == 200
    assert len(response.json()["lines"]) == lines


def test_preview_selector_refuses_a_term_past_9999(sellable):
    pbi = price_book_item_for_engine(
        sellable["rate"].price_book_items.get(item=sellable["seats"]).pk
    )
    with pytest.raises(TermOutOfRange, match="9999-12-31"):
        price_preview(pbi, quantity=Decimal(1), start_date=date(9999, 12, 1), periods=120)
    with pytest.raises(PreviewTooLarge):
        price_preview(pbi, quantity=Decimal(1), start_date=date(2026, 1, 1), periods=100_000)


def test_admin_preview_of_a_term_past_9999_is_a_message(vendor_client, sellable):
    pbi = sellable["rate"].price_book_items.get(item=sellable["seats"])
    response = vendor_client.get(
        reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]),
        {"quantity": "1", "start_date": "9999-12-01", "periods": "120"},
    )
    assert response.status_code == 200
    assert "schedule" not in response.context
    assert "9999-12-31" in response.context["preview_error"]


def test_a_stored_quote_out_of_range_can_still_be_cancelled(vendor):
    quote = QuoteFactory(vendor=vendor, start_date=date(9999, 12, 1), periods=120)
    selling.quote_cancel(quote=quote)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.CANCELLED
