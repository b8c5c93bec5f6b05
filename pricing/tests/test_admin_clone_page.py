"""The clone page says what a clone copies (items, scopes, rates, prices, intervals, tiers)
and takes the copy's start date; a bad date is a form error next to the field and copies
nothing. ``offering_clone`` takes the start date as a keyword."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.tests.dom import parse
from pricing.clone import clone_summary, offering_clone
from pricing.models import Offering
from pricing.tests.factories import priced_offering
from pricing.tests.rows import pricing_rows

pytestmark = pytest.mark.django_db


def clone_url(offering) -> str:
    return reverse("admin:pricing_offering_clone", args=[offering.pk])


def summary_rows(response) -> dict[str, str]:
    table = parse(response).find("div", id="clone-summary").find("table")
    return {row.find("th").text: row.find("td").text for row in table.find_all("tr")}


def test_the_page_counts_what_is_copied(vendor_client, vendor):
    offering = priced_offering(vendor, items=3, rates=2, intervals=2, tiers=2)
    assert summary_rows(vendor_client.get(clone_url(offering))) == {
        "Items": "3",
        "Application lists (scopes)": "0",
        "Rates (as drafts)": "2",
        "Prices": "6",
        "Intervals": "12",
        "Tiers": "24",
    }


def test_the_summary_counts_what_the_clone_then_copies(vendor):
    offering = priced_offering(vendor, items=2, rates=2, intervals=2, tiers=3)
    summary = clone_summary(offering)
    copy = offering_clone(offering=offering)
    prices = copy.rates.all()
    assert (summary.items, summary.rates) == (copy.offering_items.count(), prices.count())
    from pricing.models import PriceBookItem, PriceInterval, PriceTier

    assert summary.prices == PriceBookItem.objects.filter(rate__offering=copy).count()
    assert (
        summary.intervals
        == PriceInterval.objects.filter(price_book_item__rate__offering=copy).count()
    )
    assert (
        summary.tiers
        == PriceTier.objects.filter(interval__price_book_item__rate__offering=copy).count()
    )


@pytest.mark.parametrize("items", [1, 6])
def test_the_summary_runs_a_fixed_number_of_queries(items, vendor, django_assert_num_queries):
    offering = priced_offering(vendor, items=items, rates=2, intervals=2, tiers=2)
    with django_assert_num_queries(6):
        clone_summary(offering)


def test_the_copy_starts_on_the_date_given(vendor_client, locked):
    response = vendor_client.post(
        clone_url(locked["offering"]), {"name": "Seats 2027", "start_date": "2027-01-01"}
    )
    copy = Offering.objects.get(name="Seats 2027")
    assert response["Location"] == reverse("admin:pricing_offering_change", args=[copy.pk])
    assert copy.start_date == date(2027, 1, 1)
    assert Offering.objects.get(pk=locked["offering"].pk).start_date == date(2026, 1, 1)


def test_the_page_offers_the_originals_start_date(vendor_client, locked):
    page = parse(vendor_client.get(clone_url(locked["offering"])))
    assert page.find("input", name="start_date").attrs["value"] == "2026-01-01"


def test_an_empty_start_date_keeps_the_originals(vendor_client, locked):
    vendor_client.post(clone_url(locked["offering"]), {"name": "Same start"})
    assert Offering.objects.get(name="Same start").start_date == date(2026, 1, 1)


@pytest.mark.parametrize("bad", ["2027-13-01", "next year", "2027-02-30"])
def test_a_bad_start_date_is_a_form_error_and_copies_nothing(vendor_client, locked, bad):
    before = pricing_rows()
    response = vendor_client.post(clone_url(locked["offering"]), {"start_date": bad})
    assert response.status_code == 200
    row = parse(response).find("div", class_="field-start_date")
    assert "Enter a valid date." in row.find("ul", class_="errorlist").text
    assert pricing_rows() == before


def test_a_start_after_the_end_date_is_the_start_dates_error(vendor_client, vendor):
    offering = priced_offering(vendor)
    offering.end_date = date(2026, 12, 31)
    offering.save()
    before = pricing_rows()
    response = vendor_client.post(clone_url(offering), {"start_date": "2027-06-01"})
    assert response.status_code == 200
    row = parse(response).find("div", class_="field-start_date")
    assert "The end date cannot be before the start date." in row.text
    assert pricing_rows() == before


def test_offering_clone_takes_a_start_date(vendor):
    offering = priced_offering(vendor)
    copy = offering_clone(offering=offering, start_date=date(2027, 3, 1))
    assert copy.start_date == date(2027, 3, 1)
    assert offering_clone(offering=offering).start_date == offering.start_date


def test_offering_clone_refuses_a_start_after_the_end(vendor):
    offering = priced_offering(vendor)
    offering.end_date = date(2026, 6, 30)
    offering.save()
    with pytest.raises(ValidationError):
        offering_clone(offering=offering, start_date=date(2026, 7, 1))
    assert Offering.objects.count() == 1
