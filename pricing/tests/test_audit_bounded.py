"""An offering's audit grows with what it changed, not with what it sold: of its sales and of
the contracts that hold it, the audit lists the first (when it locked) and the newest
``EVENTS_LISTED``, and says how many there are, in the same queries however many."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pricing.audit import EVENTS_LISTED, offering_audit
from pricing.models import ContractOffering, Quote
from pricing.tests.factories import ContractFactory, OfferingFactory, QuoteFactory
from pricing.tests.test_lock_views_agree import sell

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def sold(offering, count: int, *, after: int = 0) -> list[Quote]:
    """``count`` processed quotes of ``offering``, an hour apart, in the order they sold."""
    quotes = []
    for n in range(after, after + count):
        quote = QuoteFactory(
            vendor=offering.vendor,
            status=Quote.Status.PROCESSED,
            processed_at=START + timedelta(hours=n),
        )
        quotes.append(sell(offering, Quote.Status.PROCESSED, quote=quote))
    return quotes


def held(offering, count: int) -> list:
    contracts = []
    for _ in range(count):
        contracts.append(ContractFactory(quote=QuoteFactory(vendor=offering.vendor)))
        ContractOffering.objects.create(contract=contracts[-1], offering=offering)
    return contracts


def sales_listed(audit) -> list[str]:
    return [event.why for event in audit["lock_events"] if event.why.startswith("quote ")]


def test_a_busy_offering_lists_its_first_sale_and_the_newest():
    offering = OfferingFactory()
    quotes = sold(offering, EVENTS_LISTED + 7)

    audit = offering_audit(offering)

    newest = [f"quote {q.reference} processed" for q in reversed(quotes[-EVENTS_LISTED:])]
    assert sales_listed(audit) == [*newest, f"quote {quotes[0].reference} processed"]
    assert audit["sales"] == EVENTS_LISTED + 7


def test_a_quiet_offering_lists_every_sale():
    offering = OfferingFactory()
    quotes = sold(offering, 3)

    audit = offering_audit(offering)

    assert sales_listed(audit) == [f"quote {q.reference} processed" for q in reversed(quotes)]
    assert audit["sales"] == 3


def test_contracts_are_bounded_the_same_way():
    offering = OfferingFactory()
    contracts = held(offering, EVENTS_LISTED + 2)

    audit = offering_audit(offering)

    made = [event.why for event in audit["lock_events"] if event.why.startswith("contract ")]
    assert len(made) == EVENTS_LISTED + 1
    assert made[-1] == f"contract C-{contracts[0].pk} made"
    assert set(made[:-1]) == {f"contract C-{c.pk} made" for c in contracts[-EVENTS_LISTED:]}
    assert audit["contracts"] == EVENTS_LISTED + 2


def test_the_audit_runs_the_same_queries_for_few_or_many_sales():
    offering = OfferingFactory()
    sold(offering, 2)
    held(offering, 1)
    offering_audit(offering)
    with CaptureQueriesContext(connection) as few:
        offering_audit(offering)
    sold(offering, EVENTS_LISTED * 2, after=2)
    held(offering, EVENTS_LISTED + 1)

    with CaptureQueriesContext(connection) as many:
        audit = offering_audit(offering)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(audit["lock_events"]) == 2 * (EVENTS_LISTED + 1)


def test_the_admin_page_and_the_api_say_how_many_were_sold(vendor, vendor_client):
    offering = OfferingFactory(vendor=vendor)
    sold(offering, EVENTS_LISTED + 4)
    held(offering, 2)

    html = vendor_client.get(
        reverse("admin:pricing_offering_audit", args=[offering.pk])
    ).content.decode()
    body = vendor_client.get(f"/api/v1/offerings/{offering.pk}/history/").json()

    assert f"Sold {EVENTS_LISTED + 4} times" in html
    assert f"the first sale and the newest {EVENTS_LISTED} are listed" in html
    assert "Held by 2 contracts" in html
    assert (body["sales"], body["contracts"]) == (EVENTS_LISTED + 4, 2)
    assert len([e for e in body["lock_events"] if e["why"].startswith("quote ")]) == (
        EVENTS_LISTED + 1
    )
