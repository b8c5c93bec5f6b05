"""The demo loads seed 002's and 003's prices through the pricing services."""

from datetime import date
from decimal import Decimal

import pytest

from pricing.models import Contract, Offering, PriceBookItem, Quote, Rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo, db):
    """The demo data, loaded once for the module; each test's changes are rolled back."""


def price(offering, rate, mpn):
    return PriceBookItem.objects.get(rate__offering__name=offering, rate__name=rate, item__mpn=mpn)


def test_seats_with_implementation_fee(demo):
    offering = Offering.objects.get(name="Seats with implementation fee")
    lines = {
        line.item.mpn: (line.default_quantity, line.required, line.item.kind)
        for line in offering.offering_items.select_related("item")
    }
    assert lines == {"NW-IMPL-FEE": (1, True, "one_time"), "NW-SEATS": (10, True, "subscription")}
    currencies = set(offering.rates.values_list("currency", "sales_channel__code"))
    assert currencies == {("USD", None), ("EUR", "eu")}


def test_seed_003_deliveries(demo):
    sunday = price("Daily Service", "USD monthly (North America)", "ND-SUNDAY")
    weekday = price("Daily Service", "USD monthly (North America)", "ND-WEEKDAY")
    assert sunday.charge_model == weekday.charge_model == "delivery"
    assert sunday.delivery_weekdays == [6]
    assert weekday.delivery_weekdays == [0, 1, 2, 3, 4]
    assert list(sunday.intervals.values_list("duration_unit", "duration", "price")) == [
        ("day", 365, Decimal("4.75")),
        ("infinity", None, Decimal("9.50")),
    ]
    assert list(weekday.intervals.values_list("price", flat=True)) == [
        Decimal("0.875"),
        Decimal("1.75"),
    ]


def test_volume_and_tiered_usage(demo):
    calls = price("Platform pay as you go", "USD monthly", "NW-API-CALLS")
    storage = price("Platform pay as you go", "USD monthly", "NW-STORAGE")
    assert (calls.charge_model, calls.item.kind) == ("volume", "usage")
    assert (storage.charge_model, storage.item.kind) == ("tiered", "usage")
    assert storage.intervals.get().tiers.count() == 3


def test_commit_and_percent_offerings_hold_their_one_item_scoped_to_items_sold_elsewhere(demo):
    commit = Offering.objects.get(type="minimum_commit").offering_items.get()
    assert commit.item.mpn == "NW-COMMIT"
    assert set(commit.applies_to.values_list("mpn", flat=True)) == {"NW-API-CALLS", "NW-STORAGE"}
    support = Offering.objects.get(type="percent_of_total").offering_items.get()
    assert support.item.mpn == "NW-SUPPORT"
    assert list(support.applies_to.values_list("mpn", flat=True)) == ["NW-SEATS"]


def test_usage_sold_in_the_pay_as_you_go_offering_consumes_fabrikams_commitment(demo):
    """Seed 002: 1,500 API calls (volume: 0.30 each, 450.00) and 300 GB of storage (tiered:
    10.00 + 16.00) consume 476.00 of the 1,000.00 a month; the true-up is 524.00; the seat the
    pay-as-you-go offering requires adds 12.00: 1,012.00 a month for 12 months."""
    quote = Quote.objects.get(customer="Fabrikam Inc")
    amounts = dict(quote.lines.values_list("item__mpn", "amount"))
    assert amounts == {
        "NW-COMMIT": 12 * Decimal("524.00"),
        "NW-SEATS": 12 * Decimal("12.00"),
        "NW-API-CALLS": 12 * Decimal("450.00"),
        "NW-STORAGE": 12 * Decimal("26.00"),
    }
    assert quote.total == 12 * Decimal("1012.00")
    commit = quote.lines.get(item__mpn="NW-COMMIT")
    assert len(commit.breakdown) == 12
    assert commit.breakdown[0] == {
        **commit.breakdown[0],
        "kind": "true_up",
        "committed": "1000.00",
        "consumed": "476.00",
        "amount": "524.00",
    }


def test_woodgroves_support_is_15_percent_of_seats_sold_in_another_offering(demo):
    quote = Quote.objects.get(customer="Woodgrove Bank")
    amounts = dict(quote.lines.values_list("item__mpn", "amount"))
    assert amounts == {"NW-SEATS": 12 * Decimal("480.00"), "NW-SUPPORT": 12 * Decimal("72.00")}


def test_rates_in_two_currencies_one_on_a_channel(demo):
    assert set(Rate.objects.values_list("currency", flat=True)) == {"USD", "EUR"}
    assert Rate.objects.filter(sales_channel__isnull=False).count() >= 1


def test_a_processed_quote_with_its_contract_and_a_draft_quote(demo):
    processed = Quote.objects.get(customer="Contoso Ltd")
    assert processed.status == Quote.Status.PROCESSED
    # A one-time fee of 1,500.00 and 25 seats at 12.00 for 12 monthly periods.
    assert processed.total == Decimal("1500.00") + 25 * 12 * Decimal("12.00")
    contract = Contract.objects.get(quote=processed)
    assert list(contract.contract_offerings.values_list("offering__name", flat=True)) == [
        "Seats with implementation fee"
    ]
    assert (contract.start_date, contract.end_date) == (date(2026, 12, 1), date(2027, 11, 30))

    draft = Quote.objects.get(customer="Tailspin Toys")
    assert draft.status == Quote.Status.DRAFT
    assert draft.total is None
    assert list(draft.lines.values_list("item__mpn", "quantity")) == [("ND-SUNDAY", 1)]
