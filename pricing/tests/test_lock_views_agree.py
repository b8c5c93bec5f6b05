"""Every view of the lock agrees: the selector for one offering, the selector for many, the list
flag, the API's ``locked``/``lock_reasons`` and the admin changelist's badge, for an offering in
every lock state. Only a processed quote, a contract or an active rate locks; a draft or
cancelled quote and a draft or inactive rate do not."""

import pytest
from django.urls import reverse

from catalog.tests.factories import ItemFactory, ProductFactory
from portal.tests.dom import parse
from pricing.lock import (
    lock_reasons,
    lock_reasons_by_offering,
    rate_lock_reasons,
    rate_lock_reasons_by_rate,
    with_lock_flag,
)
from pricing.models import ContractOffering, Offering, Quote, QuoteLine, Rate
from pricing.tests.factories import ContractFactory, OfferingFactory, QuoteFactory, RateFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def sell(offering, status, *, quote=None, rate=None):
    """A line of ``offering`` on a quote in ``status`` (a new one unless given), on a draft rate."""
    quote = quote or QuoteFactory(vendor=offering.vendor, status=status)
    QuoteLine.objects.create(
        quote=quote,
        offering=offering,
        rate=rate or RateFactory(offering=offering),
        item=ItemFactory(product=ProductFactory(vendor=offering.vendor)),
    )
    return quote


def hold(offering):
    """A contract holding ``offering`` (made from another quote's lines)."""
    contract = ContractFactory(quote=QuoteFactory(vendor=offering.vendor))
    ContractOffering.objects.create(contract=contract, offering=offering)
    return contract


def unlocked(offering):
    return []


def draft_and_cancelled_quotes(offering):
    sell(offering, Quote.Status.DRAFT)
    sell(offering, Quote.Status.CANCELLED)
    return []


def draft_and_inactive_rates(offering):
    RateFactory(offering=offering, status=Rate.Status.DRAFT)
    RateFactory(offering=offering, status=Rate.Status.INACTIVE)
    return []


def processed_quote(offering):
    quote = sell(offering, Quote.Status.PROCESSED)
    sell(offering, Quote.Status.PROCESSED, quote=quote)  # two lines: the quote is named once
    return [f"used by processed quote Q-{quote.pk}"]


def contract(offering):
    return [f"held by contract C-{hold(offering).pk}"]


def active_rate(offering):
    rate = RateFactory(offering=offering, status=Rate.Status.ACTIVE, name="USD monthly")
    return [f"rate {rate.name!r} is active"]


def several(offering):
    first = sell(offering, Quote.Status.PROCESSED)
    second = sell(offering, Quote.Status.PROCESSED)
    sell(offering, Quote.Status.DRAFT)
    sell(offering, Quote.Status.CANCELLED)
    held = [hold(offering), hold(offering)]
    rates = [
        RateFactory(offering=offering, status=Rate.Status.ACTIVE, name=name)
        for name in ("Zulu", "Alpha")
    ]
    RateFactory(offering=offering, status=Rate.Status.INACTIVE)
    return [
        f"used by processed quote Q-{first.pk}",
        f"used by processed quote Q-{second.pk}",
        *(f"held by contract C-{c.pk}" for c in held),
        *(f"rate {rate.name!r} is active" for rate in rates),  # in the order they were made
    ]


STATES = (
    unlocked,
    draft_and_cancelled_quotes,
    draft_and_inactive_rates,
    processed_quote,
    contract,
    active_rate,
    several,
)


@pytest.fixture
def expected(vendor) -> dict[int, list[str]]:
    """Offering id → the reasons it is locked for, one offering per state."""
    reasons = {}
    for state in STATES:
        offering = OfferingFactory(vendor=vendor, name=state.__name__)
        reasons[offering.pk] = state(offering)
    return reasons


def test_lock_reasons_names_processed_quotes_contracts_and_active_rates_only(expected):
    got = {pk: lock_reasons(Offering.objects.get(pk=pk)) for pk in expected}
    assert got == expected


def test_lock_reasons_by_offering_agrees_in_a_fixed_number_of_queries(
    expected, django_assert_num_queries
):
    with django_assert_num_queries(3):  # one per kind of holder, whatever the number of ids
        got = lock_reasons_by_offering(list(expected))
    assert got == expected
    with django_assert_num_queries(3):
        assert lock_reasons_by_offering([min(expected)]) == {min(expected): []}


def test_with_lock_flag_agrees(expected):
    offerings = with_lock_flag(Offering.objects.filter(pk__in=expected))
    flags = dict(offerings.values_list("pk", "locked"))
    assert flags == {pk: bool(reasons) for pk, reasons in expected.items()}


def test_the_api_list_and_detail_agree(expected, vendor_api):
    page = vendor_api.get(f"{API}/offerings/?page_size=200").json()["results"]
    listed = {row["id"]: (row["locked"], row["lock_reasons"]) for row in page}
    assert listed == {pk: (bool(reasons), reasons) for pk, reasons in expected.items()}
    for pk, reasons in expected.items():
        detail = vendor_api.get(f"{API}/offerings/{pk}/").json()
        assert (detail["locked"], detail["lock_reasons"]) == (bool(reasons), reasons)


def test_the_admin_changelist_badge_agrees(expected, vendor_client):
    page = parse(vendor_client.get(reverse("admin:pricing_offering_changelist")))
    badges = {}
    for row in page.find("table", id="result_list").find("tbody").find_all("tr"):
        pk = int(row.find("input", class_="action-select").attrs["value"])
        badge = row.find("span", class_="lock-badge")
        badges[pk] = (badge.has("class_", "locked"), badge.text)
    assert badges == {
        pk: (True, "🔒 locked") if reasons else (False, "editable")
        for pk, reasons in expected.items()
    }


def test_the_admin_change_page_names_the_same_reasons(expected, vendor_client):
    for pk, reasons in expected.items():
        page = parse(vendor_client.get(reverse("admin:pricing_offering_change", args=[pk])))
        shown = page.find("div", class_="field-lock_status")
        banner = page.find_all("div", id="lock-banner")  # the reasons, at the top
        assert [li.text for b in banner for li in b.find_all("li")] == reasons
        assert ("OFFERING_LOCKED" in shown.text) == bool(reasons)


def test_rate_lock_reasons_by_rate_agrees_with_rate_lock_reasons(vendor, django_assert_num_queries):
    offering = OfferingFactory(vendor=vendor)
    unused, on_draft, on_cancelled, sold, contracted = (
        RateFactory(offering=offering, status=Rate.Status.ACTIVE) for _ in range(5)
    )
    sell(offering, Quote.Status.DRAFT, rate=on_draft)
    sell(offering, Quote.Status.CANCELLED, rate=on_cancelled)
    quote = sell(offering, Quote.Status.PROCESSED, rate=sold)
    sell(offering, Quote.Status.PROCESSED, rate=sold, quote=quote)
    made_from = sell(offering, Quote.Status.PROCESSED, rate=contracted)
    held = ContractFactory(quote=made_from)
    ContractOffering.objects.create(contract=held, offering=offering)
    expected = {
        unused.pk: [],
        on_draft.pk: [],
        on_cancelled.pk: [],
        sold.pk: [f"priced processed quote Q-{quote.pk}"],
        contracted.pk: [f"priced processed quote Q-{made_from.pk}", f"priced contract C-{held.pk}"],
    }
    assert {pk: rate_lock_reasons(Rate.objects.get(pk=pk)) for pk in expected} == expected
    with django_assert_num_queries(2):
        assert rate_lock_reasons_by_rate(list(expected)) == expected
