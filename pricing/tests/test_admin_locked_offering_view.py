"""A locked offering's page shows its items, type and start date read-only, with a banner
that gives the lock's reasons and a "Clone to change" button; an inactive offering that is
still held reads as retired, not as in use. The words come from ``pricing.lock``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.tests.dom import parse
from pricing import rates, services
from pricing.lock import LockState, lock_badge, lock_state
from pricing.models import Offering

pytestmark = pytest.mark.django_db


def page_of(client, offering):
    return parse(client.get(reverse("admin:pricing_offering_change", args=[offering.pk])))


def test_a_locked_offering_shows_its_items_type_and_start_date_read_only(vendor_client, locked):
    page = page_of(vendor_client, locked["offering"])
    assert not page.find_all("select", name="type")
    assert not page.find_all("input", name="start_date")
    assert (
        page.find("div", class_="field-type").find("div", class_="readonly").text == "Subscription"
    )
    assert not page.find_all("input", name="offering_items-TOTAL_FORMS")
    items = page.find("div", id="locked-items")
    assert [row.find("td").text for row in items.find("tbody").find_all("tr")] == [
        str(line.item) for line in locked["offering"].offering_items.order_by("pk")
    ]
    assert page.find_all("input", name="name")  # the name and description stay editable


def test_the_banner_gives_the_reasons_and_the_way_to_change(vendor_client, locked):
    offering = locked["offering"]
    banner = page_of(vendor_client, offering).find("div", id="lock-banner")
    assert [li.text for li in banner.find_all("li")] == [
        f"used by processed quote Q-{locked['quote'].pk}",
        "rate 'USD monthly' is active",
    ]
    assert "Locked: this offering is in use" in banner.text
    button = banner.find("a", class_="lock-clone")
    assert button.text == "Clone to change"
    assert button.attrs["href"] == reverse("admin:pricing_offering_clone", args=[offering.pk])


def test_an_editable_offering_has_no_banner_and_editable_fields(vendor_client, draft_rate_offering):
    page = page_of(vendor_client, draft_rate_offering["offering"])
    assert not page.find_all("div", id="lock-banner")
    assert page.find_all("select", name="type")
    assert page.find_all("input", name="offering_items-TOTAL_FORMS")
    assert "Editable: not in use." in page.find("div", class_="field-lock_status").text


def test_saving_the_read_only_page_keeps_items_type_and_start_date(vendor_client, locked):
    offering = locked["offering"]
    url = reverse("admin:pricing_offering_change", args=[offering.pk])
    from catalog.tests.admin_forms import change_form_data

    data = change_form_data(vendor_client.get(url))
    data["description"] = "Now with support"
    assert vendor_client.post(url, data).status_code == 302
    after = Offering.objects.get(pk=offering.pk)
    assert (after.description, after.type, after.start_date) == (
        "Now with support",
        offering.type,
        offering.start_date,
    )
    assert after.offering_items.count() == offering.offering_items.count()


def test_an_inactivated_original_reads_as_retired_not_in_use(vendor_client, locked):
    offering = services.offering_inactivate(offering=locked["offering"])
    page = page_of(vendor_client, offering)
    banner = page.find("div", id="lock-banner")
    assert banner.has("class_", "retired")
    assert banner.text.startswith("Retired: this offering is inactive and sells nothing new.")
    assert "in use" not in banner.text
    assert f"used by processed quote Q-{locked['quote'].pk}" in banner.text
    status = page.find("div", class_="field-lock_status").text
    assert "Retired: this offering is inactive" in status and "in use" not in status
    html = vendor_client.get(reverse("admin:pricing_offering_changelist")).content.decode()
    assert "retired, still held" in html and "🔒 locked" not in html


def test_an_inactive_offering_nothing_holds_is_editable(vendor_client, draft_rate_offering):
    offering = services.offering_inactivate(offering=draft_rate_offering["offering"])
    rates.rate_inactivate(rate=draft_rate_offering["rate"])
    page = page_of(vendor_client, offering)
    assert not page.find_all("div", id="lock-banner")
    assert page.find_all("select", name="type")
    assert "nothing holds it" in page.find("div", class_="field-lock_status").text


@pytest.mark.parametrize(
    ("reasons", "retired", "locked", "starts"),
    [
        ((), False, False, "Editable: not in use."),
        (("x",), False, True, "Locked: this offering is in use"),
        (("x",), True, True, "Retired: this offering is inactive and sells nothing new."),
        ((), True, False, "Inactive: this offering sells nothing new, and nothing holds it"),
    ],
)
def test_the_lock_states_words(reasons, retired, locked, starts):
    state = LockState(reasons=reasons, retired=retired)
    assert state.locked is locked
    assert state.headline.startswith(starts)


def test_the_badge_words_follow_the_status():
    assert lock_badge(True, "active") == ("🔒 locked", "lock-badge locked")
    assert lock_badge(False, "active") == ("editable", "lock-badge")
    assert lock_badge(True, "inactive") == ("retired, still held", "lock-badge retired")
    assert lock_badge(False, "inactive") == ("inactive, editable", "lock-badge")


def test_lock_state_reads_the_lock(locked):
    state = lock_state(locked["offering"])
    assert state.locked and not state.retired
    assert "rate 'USD monthly' is active" in state.reasons
