"""Activating a rate locks its offering, so the admin asks first, as Django's delete
confirmation does: the rate page's status change and the "activate" action show what locks,
which items have no price in the rate, and the way back; only the confirmed post activates."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from catalog.tests.admin_forms import change_form_data
from portal.tests.dom import parse
from pricing import rates
from pricing.activation import activation_preview
from pricing.models import Rate
from pricing.tests.factories import priced_offering, subscription_offering
from pricing.tests.rows import pricing_rows

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:pricing_rate_changelist"


def rate_url(rate) -> str:
    return reverse("admin:pricing_rate_change", args=[rate.pk])


@pytest.fixture
def unpriced_draft(draft_rate_offering):
    """The unlocked offering; its draft rate has no price for the add-on."""
    world = draft_rate_offering
    rates.price_book_item_delete(pbi=world["rate"].price_book_items.get(item=world["addon"]))
    return world


def test_the_rate_page_asks_before_it_activates(vendor_client, unpriced_draft):
    rate = unpriced_draft["rate"]
    data = change_form_data(vendor_client.get(rate_url(rate)))
    data["status"] = "active"
    before = pricing_rows()

    response = vendor_client.post(rate_url(rate), data)

    assert response.status_code == 200
    assert pricing_rows() == before  # nothing written before the answer
    page = parse(response)
    what = page.find("p", class_="what-locks").text
    assert "Activating this rate locks offering Seats with fee" in what
    assert "items, type and start date can no longer change" in what
    assert [li.text for li in page.find("ul", class_="unpriced-items").find_all("li")] == [
        f"ADDON — {unpriced_draft['addon'].name}"
    ]
    assert "set the rate back to draft or inactive and the offering unlocks" in (
        page.find("p", class_="way-back").text
    )
    hidden = {i.attrs["name"]: i.attrs["value"] for i in page.find_all("input", type="hidden")}
    assert hidden["_activation_confirmed"] == "yes"
    assert hidden["status"] == "active"


def test_the_confirmed_post_activates_the_rate(vendor_client, vendor_user, unpriced_draft):
    rate = unpriced_draft["rate"]
    data = change_form_data(vendor_client.get(rate_url(rate)))
    data.update(status="active", name="USD monthly 2026")
    page = parse(vendor_client.post(rate_url(rate), data))
    confirmed = {
        i.attrs["name"]: i.attrs["value"]
        for i in page.find("form", id="activation-form").find_all("input", type="hidden")
    }

    response = vendor_client.post(rate_url(rate), confirmed)

    assert response.status_code == 302
    rate.refresh_from_db()
    assert (rate.status, rate.name) == (Rate.Status.ACTIVE, "USD monthly 2026")
    assert rate.history.latest().history_user == vendor_user


def test_a_change_that_does_not_activate_does_not_ask(vendor_client, unpriced_draft):
    rate = unpriced_draft["rate"]
    data = change_form_data(vendor_client.get(rate_url(rate)))
    data["name"] = "Renamed"
    assert vendor_client.post(rate_url(rate), data).status_code == 302
    assert Rate.objects.get(pk=rate.pk).status == Rate.Status.DRAFT


def test_bad_input_with_an_activation_is_a_form_error_first(vendor_client, unpriced_draft):
    rate = unpriced_draft["rate"]
    data = change_form_data(vendor_client.get(rate_url(rate)))
    data.update(status="active", currency="US")
    response = vendor_client.post(rate_url(rate), data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert "_activation_confirmed" not in response.content.decode()
    assert Rate.objects.get(pk=rate.pk).status == Rate.Status.DRAFT


def test_the_activate_action_asks_first_then_activates(vendor_client, unpriced_draft):
    rate = unpriced_draft["rate"]
    action = {"action": "activate_selected", helpers.ACTION_CHECKBOX_NAME: [rate.pk]}
    before = pricing_rows()

    response = vendor_client.post(reverse(CHANGELIST), action)

    assert response.status_code == 200
    assert pricing_rows() == before
    page = parse(response)
    assert "ADDON" in page.find("ul", class_="unpriced-items").text
    hidden = [
        (i.attrs["name"], i.attrs["value"])
        for i in page.find("form", id="activation-form").find_all("input", type="hidden")
    ]
    assert ("post", "yes") in hidden and (helpers.ACTION_CHECKBOX_NAME, str(rate.pk)) in hidden

    confirmed = vendor_client.post(reverse(CHANGELIST), {**action, "post": "yes"}, follow=True)

    assert "1 rate(s) activated." in confirmed.content.decode()
    assert Rate.objects.get(pk=rate.pk).status == Rate.Status.ACTIVE


def test_an_already_locked_offering_says_so(vendor_client, locked):
    second = rates.rate_create(offering=locked["offering"], name="EUR", currency="EUR")
    action = {"action": "activate_selected", helpers.ACTION_CHECKBOX_NAME: [second.pk]}
    page = parse(vendor_client.post(reverse(CHANGELIST), action))
    assert "is already locked" in page.find("p", class_="what-locks").text
    assert "rate 'EUR' is active" in page.find("p", class_="what-locks").text
    assert [li.text for li in page.find("ul", class_="unpriced-items").find_all("li")] == [
        f"{item.mpn} — {item.name}" for item in (locked["seats"], locked["fee"], locked["addon"])
    ]


def test_the_list_cannot_activate_without_asking(vendor_client, unpriced_draft):
    rate = unpriced_draft["rate"]
    response = vendor_client.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            "form-0-id": rate.pk,
            "form-0-currency": "USD",
            "form-0-status": "active",
            "_save": "Save",
        },
        follow=True,
    )
    assert "activating a rate locks its offering" in response.content.decode()
    assert Rate.objects.get(pk=rate.pk).status == Rate.Status.DRAFT


@pytest.mark.parametrize("rate_count", [1, 6])
def test_the_preview_runs_a_fixed_number_of_queries(rate_count, vendor, django_assert_num_queries):
    offering = priced_offering(vendor, items=3, rates=rate_count)
    selected = list(Rate.objects.select_related("offering").filter(offering=offering))
    with django_assert_num_queries(5):  # the lock's three holders, the items, the prices
        previews = activation_preview(selected)
    assert [preview.unpriced for preview in previews] == [[]] * rate_count
    assert all(preview.locks_now for preview in previews)


def test_the_offering_page_does_not_activate_a_rate_it_sends_to_the_rate_page(
    vendor_client, vendor_user
):
    """Activation asks first, on the rate's page: the offering page's rate rows do not offer
    "Active" (a post of it is a form error) and nothing changes."""
    offering = subscription_offering(vendor_user.membership.vendor)
    Rate.objects.create(offering=offering, name="USD", currency="USD")
    url = reverse("admin:pricing_offering_change", args=[offering.pk])
    page = vendor_client.get(url)
    assert "To activate it, open the rate" in page.content.decode()
    data = change_form_data(page)
    data["rates-0-status"] = "active"
    before = pricing_rows()

    response = vendor_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert pricing_rows() == before
