"""Actions that read no body (processing a quote, inactivating an offering) refuse one that
carries fields, naming them, and do nothing: like every other write of the API."""

from datetime import date

import pytest

from pricing import quote_lines, selling
from pricing.models import Offering, Quote

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_processing_with_a_body_is_refused_and_the_quote_stays_a_draft(vendor_api, sellable):
    quote = selling.quote_create(
        vendor=sellable["vendor"],
        customer="C",
        currency="USD",
        start_date=date(2026, 1, 1),
        lines=[
            quote_lines.QuoteLineSpec(sellable["offering"], sellable["rate"], sellable[item])
            for item in ("seats", "fee")  # the offering requires both
        ],
    )
    response = vendor_api.post(
        f"{API}/quotes/{quote.pk}/process/", {"status": "processed"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == {"status": ["Unknown field."]}
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.DRAFT
    assert vendor_api.post(f"{API}/quotes/{quote.pk}/process/").status_code == 200


def test_inactivating_with_a_body_is_refused_and_the_offering_stays_active(vendor_api, sellable):
    offering = sellable["offering"]
    url = f"{API}/offerings/{offering.pk}/inactivate/"
    response = vendor_api.post(url, {"reason": "old"}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "reason" in response.json()["errors"]
    assert Offering.objects.get(pk=offering.pk).status == Offering.Status.ACTIVE
    assert vendor_api.post(url, format="json").status_code == 200
