"""Processing a quote: every rule with its bad input; a failure names the line, changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import errors, quote_lines, rates, selling, services
from pricing.models import Quote, QuoteLine, Rate
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import OfferingFactory, RateFactory, percent_of_total_offering

pytestmark = pytest.mark.django_db


def quote_with(sellable, *lines, currency="USD"):
    quote = selling.quote_create(
        vendor=sellable["vendor"],
        customer="Contoso Ltd",
        currency=currency,
        start_date=date(2026, 1, 1),
        periods=12,
    )
    for item, quantity in lines:
        quote_lines.quote_add_line(
            quote=quote,
            offering=sellable["offering"],
            rate=sellable["rate"],
            item=sellable[item] if isinstance(item, str) else item,
            quantity=quantity,
        )
    return quote


def assert_unchanged(quote):
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT
    assert quote.total is None
    assert not QuoteLine.objects.filter(quote=quote, amount__isnull=False).exists()


def test_processing_prices_every_line_and_freezes_the_total(sellable, vendor_user):
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    selling.quote_process(quote=quote, by=vendor_user)
    quote.refresh_from_db()
    amounts = dict(quote.lines.values_list("item__mpn", "amount"))
    assert amounts == {"SEATS": Decimal("1440.00"), "FEE": Decimal("1500.00")}  # 10×12×12
    assert quote.total == Decimal("2940.00")
    assert quote.status == Quote.Status.PROCESSED
    line = quote.lines.get(item__mpn="SEATS")
    assert line.price_book_item.item == sellable["seats"]
    assert line.price_version == line.price_book_item.history.latest().history_id
    assert selling.quote_line_recompute(line) == line.amount
    assert quote.history.latest().history_change_reason == f"quote {quote.reference} processed"


def test_a_quote_is_processed_once(sellable):
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    selling.quote_process(quote=quote)
    with pytest.raises(errors.QuoteNotDraft) as excinfo:
        selling.quote_process(quote=quote)
    assert excinfo.value.http_status == 409


def test_missing_required_item_is_refused(sellable):
    quote = quote_with(sellable, ("seats", 10))
    with pytest.raises(errors.RequiredItemMissing) as excinfo:
        selling.quote_process(quote=quote)
    assert "requires item FEE" in str(excinfo.value)
    assert_unchanged(quote)


def test_required_item_with_quantity_zero_is_refused(sellable):
    quote = quote_with(sellable, ("seats", 10), ("fee", 0))
    with pytest.raises(errors.RequiredItemMissing):
        selling.quote_process(quote=quote)
    assert_unchanged(quote)


def test_addon_rule_names_the_line(sellable, vendor):
    rates.rate_update(rate=sellable["rate"], status=Rate.Status.DRAFT)
    offering = sellable["offering"]
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(item=sellable["seats"]),
            services.OfferingLine(item=sellable["fee"]),
            services.OfferingLine(item=sellable["addon"]),
        ],
    )
    rates.rate_activate(rate=sellable["rate"])
    quote = quote_with(sellable, ("fee", 1), ("addon", 2))
    with pytest.raises(errors.AddOnBaseMissing) as excinfo:
        selling.quote_process(quote=quote)
    assert "Line 2 (ADDON) is an add-on" in str(excinfo.value)
    assert_unchanged(quote)


def test_inactive_or_expired_offering_is_refused(sellable):
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    services.offering_update(offering=sellable["offering"], end_date=date(2026, 6, 30))
    with pytest.raises(errors.OfferingUnavailable) as excinfo:
        selling.quote_process(quote=quote, on=date(2026, 7, 1))
    assert "Line 1 (SEATS)" in str(excinfo.value)
    services.offering_inactivate(offering=sellable["offering"])
    with pytest.raises(errors.OfferingUnavailable):
        selling.quote_process(quote=quote, on=date(2026, 3, 1))
    assert_unchanged(quote)


def test_draft_rate_is_refused(draft_rate_offering):
    quote = quote_with(draft_rate_offering, ("seats", 10), ("fee", 1))
    with pytest.raises(errors.RateUnavailable) as excinfo:
        selling.quote_process(quote=quote)
    assert "is draft, not active" in str(excinfo.value)
    assert_unchanged(quote)


def test_rate_in_another_currency_is_refused(sellable):
    quote = quote_with(sellable, ("seats", 10), ("fee", 1), currency="EUR")
    with pytest.raises(errors.RateUnavailable) as excinfo:
        selling.quote_process(quote=quote)
    assert "in USD, the quote in EUR" in str(excinfo.value)
    assert_unchanged(quote)


def test_rate_of_another_offering_is_refused(sellable):
    other_rate = RateFactory(
        offering=OfferingFactory(vendor=sellable["vendor"]), status=Rate.Status.ACTIVE
    )
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    line = quote.lines.first()
    line.rate = other_rate
    line.save()
    with pytest.raises(errors.RateUnavailable) as excinfo:
        selling.quote_process(quote=quote)
    assert "belongs to another offering" in str(excinfo.value)
    assert_unchanged(quote)


def test_item_outside_the_offering_is_refused(sellable):
    stranger = ItemFactory(product=ProductFactory(vendor=sellable["vendor"]))
    quote = quote_with(sellable, ("seats", 10), ("fee", 1), (stranger, 1))
    with pytest.raises(errors.RequiredItemMissing) as excinfo:
        selling.quote_process(quote=quote)
    assert "not part of offering" in str(excinfo.value)
    assert_unchanged(quote)


def test_item_without_a_price_is_refused(sellable):
    rates.rate_update(rate=sellable["rate"], status=Rate.Status.DRAFT)
    pbi = sellable["rate"].price_book_items.get(item=sellable["fee"])
    rates.price_book_item_delete(pbi=pbi)
    rates.rate_activate(rate=sellable["rate"])
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    with pytest.raises(errors.PriceMissing) as excinfo:
        selling.quote_process(quote=quote)
    assert "Line 2 (FEE)" in str(excinfo.value)
    assert_unchanged(quote)


def test_two_minimum_commit_offerings_are_refused(sellable, vendor):
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    for _ in range(2):
        commit_offering = OfferingFactory(vendor=vendor, type="minimum_commit")
        QuoteLine.objects.create(
            quote=quote,
            offering=commit_offering,
            item=sellable["seats"],
            rate=RateFactory(offering=commit_offering),
            quantity=1,
        )
    with pytest.raises(errors.MinCommitConflict) as excinfo:
        selling.quote_process(quote=quote)
    assert excinfo.value.code == "MIN_COMMIT_CONFLICT"
    assert_unchanged(quote)


def test_an_empty_quote_is_refused(sellable):
    quote = quote_with(sellable)
    with pytest.raises(errors.RequiredItemMissing):
        selling.quote_process(quote=quote)


def test_a_percent_of_total_applies_to_seats_sold_in_another_offering(vendor):
    s = percent_of_total_offering(
        vendor, seat_price=10, seats=1, percents=[IntervalSpec(price=Decimal("15"))]
    )
    quote = selling.quote_create(
        vendor=vendor, customer="C", currency="USD", start_date=date(2026, 1, 1), periods=12
    )
    for offering, rate, item, quantity in (
        (s["seats_offering"], s["seats_rate"], s["seats"], 5),
        (s["offering"], s["rate"], s["percent"], 1),
    ):
        quote_lines.quote_add_line(
            quote=quote, offering=offering, rate=rate, item=item, quantity=quantity
        )
    selling.quote_process(quote=quote)
    amounts = dict(quote.lines.values_list("item__mpn", "amount"))
    assert amounts == {"SEATS": Decimal("600.00"), "SUPPORT": Decimal("90.00")}  # 15 % of 600


def test_contract_from_a_processed_quote(sellable):
    quote = quote_with(sellable, ("seats", 10), ("fee", 1))
    with pytest.raises(errors.QuoteNotDraft):
        selling.contract_create(quote=quote)
    selling.quote_process(quote=quote)
    contract = selling.contract_create(quote=quote)
    assert contract.end_date == date(2026, 12, 31)
    assert list(contract.offerings.all()) == [sellable["offering"]]


def test_a_quote_line_cannot_sell_another_vendor_s_offering(sellable, other_vendor):
    quote = selling.quote_create(vendor=other_vendor, customer="Contoso", currency="USD")

    with pytest.raises(ValidationError) as excinfo:
        quote_lines.quote_add_line(
            quote=quote,
            offering=sellable["offering"],
            rate=sellable["rate"],
            item=sellable["seats"],
        )

    assert excinfo.value.message_dict == {
        "offering": ["A quote sells only its own vendor's offerings."]
    }
    assert not QuoteLine.objects.filter(quote=quote).exists()
