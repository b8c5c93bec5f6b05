"""The offering diff in the admin: "Compare with…" picks any other offering of the vendor
(another vendor's is not offered, an unseen one is a 404); the clone page shows a clone
against its source, or an original against its newest clone; the "inactivate" action shows
each original's diff with its clones and writes only once confirmed. Each page takes a
fixed number of queries at any size."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from insights.diff import CLONED_AS
from portal.tests.dom import parse
from pricing.clone import offering_clone
from pricing.models import Offering, PriceInterval, Rate
from pricing.tests.factories import OfferingFactory, priced_offering

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:pricing_offering_changelist"


def compare_url(offering, other=None) -> str:
    url = reverse("admin:insights_offering_diff", args=[offering.pk])
    return url if other is None else f"{url}?other={other.pk}"


@pytest.fixture
def pair(vendor):
    original = priced_offering(vendor, items=2, rates=1)
    copy = offering_clone(offering=original, name="Next year")
    Rate.objects.filter(offering=original).update(status=Rate.Status.DRAFT)
    return original, copy


def change_price(offering, price="12.50") -> str:
    """Changes one price of ``offering``; the price's row key."""
    pbi = offering.rates.get().price_book_items.select_related("item", "rate").order_by("pk")[0]
    PriceInterval.objects.filter(price_book_item=pbi).update(price=price)
    return f"{pbi.item.mpn} in {pbi.rate.name}"


def test_compare_offers_the_vendors_other_offerings_only(vendor_client, pair, other_vendor):
    original = pair[0]
    OfferingFactory(vendor=other_vendor, name="Theirs")
    page = parse(vendor_client.get(compare_url(original)))
    options = [option.text for option in page.find("select").find_all("option") if option.text]
    assert "Next year" in options
    assert original.name not in options and "Theirs" not in options
    assert page.find_all("div", class_="offering-diff") == []


def test_compare_shows_the_changed_price_marked_old_and_new(vendor_client, pair):
    original, copy = pair
    key = change_price(copy)
    response = vendor_client.get(compare_url(original, copy))
    assert response.status_code == 200
    page = parse(response)
    row = next(tr for tr in page.find_all("tr", class_="diff-row") if tr.find("th").text == key)
    assert "diff-row-changed" in row.attrs["class"]
    assert "10" in row.find("del").text and "12.50" in row.find("ins").text


def test_an_unseen_or_other_vendors_offering_is_refused(vendor_client, pair, other_vendor):
    theirs = OfferingFactory(vendor=other_vendor)
    assert vendor_client.get(compare_url(theirs)).status_code == 404
    page = parse(vendor_client.get(compare_url(pair[0], theirs)))
    assert page.find("p", class_="errornote").text == "Please pick an offering from the list."


def test_the_clone_page_of_a_clone_shows_it_against_its_source(vendor_client, pair):
    original, copy = pair
    change_price(copy)
    page = parse(vendor_client.get(reverse("admin:pricing_offering_clone", args=[copy.pk])))
    panel = page.find("div", id=f"offering-diff-{original.pk}-{copy.pk}")
    assert "2 rows differ" in panel.text
    assert f"This offering is a clone of {original.name}" in page.find("div", id="clone-diff").text


def test_the_clone_page_of_an_original_shows_its_newest_clone(vendor_client, pair):
    original, _ = pair
    newest = offering_clone(offering=original, name="Newest")
    page = parse(vendor_client.get(reverse("admin:pricing_offering_clone", args=[original.pk])))
    assert page.find("div", id=f"offering-diff-{original.pk}-{newest.pk}")


def test_the_clone_page_of_an_offering_without_clones_links_compare(vendor_client, vendor):
    alone = priced_offering(vendor)
    page = parse(vendor_client.get(reverse("admin:pricing_offering_clone", args=[alone.pk])))
    link = page.find("div", id="clone-diff").find("a")
    assert link.attrs["href"] == compare_url(alone)


def test_inactivating_asks_first_with_the_diff_of_each_clone(vendor_client, pair):
    original, copy = pair
    change_price(copy)
    action = {"action": "inactivate_selected", helpers.ACTION_CHECKBOX_NAME: [original.pk]}
    page = parse(vendor_client.post(reverse(CHANGELIST), action))
    assert page.find("div", id=f"offering-diff-{original.pk}-{copy.pk}")
    assert Offering.objects.get(pk=original.pk).status == Offering.Status.ACTIVE
    confirmed = vendor_client.post(reverse(CHANGELIST), {**action, "post": "yes"}, follow=True)
    assert confirmed.status_code == 200
    assert Offering.objects.get(pk=original.pk).status == Offering.Status.INACTIVE


def test_inactivating_an_offering_without_clones_says_nothing_replaces_it(vendor_client, vendor):
    alone = priced_offering(vendor)
    action = {"action": "inactivate_selected", helpers.ACTION_CHECKBOX_NAME: [alone.pk]}
    page = parse(vendor_client.post(reverse(CHANGELIST), action))
    assert "has no clone" in page.find("p", class_="no-clones").text


def test_a_history_reason_that_only_looks_like_a_clone_is_ignored(vendor_client, pair):
    original = pair[0]
    Offering.history.filter(id=original.pk).update(history_change_reason=f"{CLONED_AS}x")
    page = parse(vendor_client.get(reverse("admin:pricing_offering_clone", args=[original.pk])))
    assert "is not a clone and has none" in page.find("div", id="clone-diff").text


@pytest.mark.parametrize("size", [1, 5])
def test_the_pages_take_a_fixed_number_of_queries(
    vendor_client, vendor, size, django_assert_max_num_queries
):
    original = priced_offering(vendor, items=size, rates=size, intervals=2, tiers=2)
    copy = offering_clone(offering=original)
    pages = {  # url: queries (session, user, vendor, the page's own and the diff's seven)
        compare_url(original, copy): 15,
        reverse("admin:pricing_offering_clone", args=[copy.pk]): 20,
    }
    for url, queries in pages.items():
        with django_assert_max_num_queries(queries):
            assert vendor_client.get(url).status_code == 200
    action = {"action": "inactivate_selected", helpers.ACTION_CHECKBOX_NAME: [original.pk]}
    with django_assert_max_num_queries(19):
        assert vendor_client.post(reverse(CHANGELIST), action).status_code == 200
