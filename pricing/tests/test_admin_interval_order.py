"""The intervals are saved in the order of their sequence numbers, renumbered 1..n: a row
left blank gets the next number, a shared number is no error (the page order breaks the
tie), and editing the numbers reorders stored intervals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.admin_forms import change_form_data
from pricing import rates
from pricing.models import PriceBookItem
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import RateFactory, subscription_offering
from pricing.tests.price_page import ADD, change_url, price_page

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def rate(vendor):
    return RateFactory(offering=subscription_offering(vendor))


def saved(pbi=None):
    pbi = pbi or PriceBookItem.objects.get()
    return list(pbi.intervals.values_list("sequence", "duration_unit", "duration", "price"))


def post_add(client, rate, intervals):
    item = rate.offering.offering_items.get().item
    data = price_page(rate, item, "per_unit", intervals)
    return client.post(reverse(ADD), data)


def test_a_row_left_without_a_sequence_gets_the_next_number(vendor_client, rate):
    response = post_add(
        vendor_client,
        rate,
        [
            {"sequence": "", "duration_unit": "infinity", "price": "9.50"},
            {"sequence": "1", "duration_unit": "day", "duration": "365", "price": "4.75"},
        ],
    )
    assert response.status_code == 302, response.context["errors"]
    assert saved() == [(1, "day", 365, D("4.75")), (2, "infinity", None, D("9.50"))]


def test_rows_sharing_a_sequence_are_saved_in_page_order(vendor_client, rate):
    # What "Add another" used to do: the new row came with sequence 1 like the first.
    response = post_add(
        vendor_client,
        rate,
        [
            {"sequence": "1", "duration_unit": "day", "duration": "365", "price": "4.75"},
            {"sequence": "1", "duration_unit": "infinity", "price": "9.50"},
        ],
    )
    assert response.status_code == 302, response.context["errors"]
    assert saved() == [(1, "day", 365, D("4.75")), (2, "infinity", None, D("9.50"))]


def test_the_new_row_of_the_page_shows_no_sequence_to_duplicate(vendor_client, rate):
    response = vendor_client.get(reverse(ADD) + f"?rate={rate.pk}")
    html = response.content.decode()
    # The extra row and nested_admin's template row: blank, numbered by the page's script.
    assert 'name="intervals-0-sequence"' in html
    assert 'name="intervals-0-sequence" value=' not in html
    assert 'name="intervals-__prefix__-sequence" value=' not in html


def test_editing_the_sequences_reorders_stored_intervals_renumbered(vendor_client, rate):
    item = rate.offering.offering_items.get().item
    pbi = rates.price_book_item_save(
        rate=rate,
        item=item,
        charge_model="per_unit",
        pricing_type="interval",
        intervals=[
            IntervalSpec("month", 3, D(5)),
            IntervalSpec("month", 6, D(6)),
            IntervalSpec(price=D(7)),
        ],
    )
    page = vendor_client.get(change_url(pbi))
    data = change_form_data(page)
    data.update(
        {"intervals-0-sequence": "20", "intervals-1-sequence": "10", "intervals-2-sequence": "30"}
    )
    response = vendor_client.post(change_url(pbi), data)
    assert response.status_code == 302, response.context["errors"]
    assert saved(pbi) == [
        (1, "month", 6, D(6)),
        (2, "month", 3, D(5)),
        (3, "infinity", None, D(7)),
    ]


def test_a_sequence_that_is_not_a_positive_number_is_an_error_at_its_field(vendor_client, rate):
    response = post_add(
        vendor_client, rate, [{"sequence": "0", "duration_unit": "infinity", "price": "1"}]
    )
    assert response.status_code == 200
    (form,) = response.context["inline_admin_formsets"][0].formset.forms
    assert "sequence" in form.errors
    assert not PriceBookItem.objects.exists()
