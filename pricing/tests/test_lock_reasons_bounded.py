"""An offering sold ten thousand times is locked for ten thousand reasons, but it says so in a
few: each kind of holder names its first ``REASONS_LISTED`` (in the order they came) and, if
there are more, one reason that says so. Every view of the lock (the services' refusals, the
API, the admin) reads the same bounded list, and a page of offerings still reads it in one
query per kind of holder."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pricing.lock import (
    REASONS_LISTED,
    lock_reasons,
    lock_reasons_by_offering,
    rate_lock_reasons_by_rate,
)
from pricing.models import ContractOffering, Quote
from pricing.tests.factories import ContractFactory, OfferingFactory, QuoteFactory
from pricing.tests.test_lock_views_agree import sell

pytestmark = pytest.mark.django_db


def sold_times(offering, count: int, *, rate=None) -> list:
    """``count`` processed quotes of ``offering``, each of two lines."""
    quotes = []
    for _ in range(count):
        quote = sell(offering, Quote.Status.PROCESSED, rate=rate)
        sell(offering, Quote.Status.PROCESSED, quote=quote, rate=rate)
        quotes.append(quote)
    return quotes


def test_an_offering_sold_more_often_than_listed_names_the_first_and_says_there_are_more():
    offering = OfferingFactory()
    quotes = sold_times(offering, REASONS_LISTED + 3)

    assert lock_reasons(offering) == [
        *(f"used by processed quote Q-{quote.pk}" for quote in quotes[:REASONS_LISTED]),
        "used by more processed quotes",
    ]


def test_exactly_as_many_as_listed_are_all_named():
    offering = OfferingFactory()
    quotes = sold_times(offering, REASONS_LISTED)

    assert lock_reasons(offering) == [f"used by processed quote Q-{q.pk}" for q in quotes]


def test_each_kind_of_holder_is_bounded_on_its_own():
    offering = OfferingFactory()
    quotes = sold_times(offering, REASONS_LISTED + 1)
    contracts = []
    for _ in range(REASONS_LISTED + 2):
        contracts.append(ContractFactory(quote=QuoteFactory(vendor=offering.vendor)))
        ContractOffering.objects.create(contract=contracts[-1], offering=offering)

    reasons = lock_reasons(offering)

    assert reasons == [
        *(f"used by processed quote Q-{quote.pk}" for quote in quotes[:REASONS_LISTED]),
        "used by more processed quotes",
        *(f"held by contract C-{contract.pk}" for contract in contracts[:REASONS_LISTED]),
        "held by more contracts",
    ]


def test_a_page_of_offerings_is_bounded_per_offering_in_one_query_per_kind_of_holder():
    busy, quiet = OfferingFactory(), OfferingFactory()
    sold_times(busy, REASONS_LISTED + 4)
    (only,) = sold_times(quiet, 1)

    with CaptureQueriesContext(connection) as captured:
        reasons = lock_reasons_by_offering([busy.pk, quiet.pk])

    assert len(captured.captured_queries) == 3  # quotes, contracts, active rates
    assert len(reasons[busy.pk]) == REASONS_LISTED + 1
    assert reasons[busy.pk][-1] == "used by more processed quotes"
    assert reasons[quiet.pk] == [f"used by processed quote Q-{only.pk}"]


def test_a_rate_that_priced_many_quotes_is_bounded_too():
    offering = OfferingFactory()
    quotes = sold_times(offering, REASONS_LISTED + 2)
    rate = quotes[0].lines.first().rate
    for quote in quotes:
        quote.lines.update(rate=rate)

    (reasons,) = rate_lock_reasons_by_rate([rate.pk]).values()

    assert reasons == [
        *(f"priced processed quote Q-{quote.pk}" for quote in quotes[:REASONS_LISTED]),
        "priced more processed quotes",
    ]


def test_the_api_and_a_refusal_carry_the_bounded_list(client, vendor, vendor_user):
    from catalog.tests.factories import ItemFactory, ProductFactory
    from pricing import errors, services

    offering = OfferingFactory(vendor=vendor)
    sold_times(offering, REASONS_LISTED + 5)
    expected = lock_reasons(offering)
    client.force_login(vendor_user)

    body = client.get(f"/api/v1/offerings/{offering.pk}/").json()
    with pytest.raises(errors.OfferingLocked) as refused:
        services.offering_add_item(
            offering=offering, item=ItemFactory(product=ProductFactory(vendor=vendor))
        )

    assert body["lock_reasons"] == expected and len(expected) == REASONS_LISTED + 1
    assert refused.value.details["reasons"] == expected
