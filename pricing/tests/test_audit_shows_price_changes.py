"""A price's changes (its fields, intervals and tiers) are on the offering's audit page and on
the price's own history page, with before and after values, who, when and why; the audit
runs a fixed number of queries however long the history is."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from catalog.history import row_versions
from catalog.wording import when
from pricing import rates
from pricing.audit import offering_audit
from pricing.models import PriceBookItem
from pricing.pricebook import IntervalSpec
from pricing.pricebook.validation import TierSpec

pytestmark = pytest.mark.django_db


def tiers(second: str) -> list[IntervalSpec]:
    return [
        IntervalSpec(
            tiers=(
                TierSpec(start_unit=Decimal(0), end_unit=Decimal(10), price=Decimal("0.50")),
                TierSpec(start_unit=Decimal(10), end_unit=None, price=Decimal(second)),
            )
        )
    ]


def save_seats(world, intervals, *, by=None, reason="") -> PriceBookItem:
    price = PriceBookItem.objects.get(rate=world["rate"], item=world["seats"])
    return rates.price_book_item_save(
        rate=world["rate"],
        item=world["seats"],
        charge_model="tiered",
        pricing_type="interval" if len(intervals) > 1 else "regular",
        intervals=intervals,
        instance=price,
        by=by,
        reason=reason,
    )


@pytest.fixture
def tier_change(draft_rate_offering, vendor_user):
    """SEATS on the draft rate made tiered (tier 2 at 0.40), then tier 2 changed to 0.35."""
    save_seats(draft_rate_offering, tiers("0.40"), by=vendor_user)
    price = save_seats(draft_rate_offering, tiers("0.35"), by=vendor_user, reason="volume deal")
    return {**draft_rate_offering, "price": price}


def page_text(response) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_a_tier_price_change_is_a_version_of_the_price_with_before_and_after(tier_change):
    versions = offering_audit(tier_change["offering"])["versions"]

    latest = versions[0]
    assert latest.what == "Price SEATS in rate 'USD monthly'"
    assert latest.kind == "changed"
    assert latest.reason == "volume deal"
    assert [(c.label, c.old_text, c.new_text) for c in latest.changes] == [
        ("Interval 1, tier 2 price", "0.40", "0.35")
    ]
    assert latest.changes[0].field == "intervals[1].tiers[2].price"
    assert latest.changes[0].old == Decimal("0.40")


def test_the_audit_page_shows_the_tier_change_who_when_and_why(
    vendor_client, vendor_user, tier_change
):
    url = reverse("admin:pricing_offering_audit", args=[tier_change["offering"].pk])
    saved = tier_change["price"].history.order_by("-history_date").first().history_date

    text = page_text(vendor_client.get(url))

    row = f"{when(saved)} {vendor_user.username} Price SEATS in rate 'USD monthly' changed"
    assert f"{row} volume deal Interval 1, tier 2 price: 0.40 → 0.35" in text


def test_the_prices_history_page_shows_the_same_change(vendor_client, tier_change):
    url = reverse("admin:pricing_pricebookitem_history", args=[tier_change["price"].pk])

    text = page_text(vendor_client.get(url))

    assert "Interval 1, tier 2 price: 0.40 → 0.35" in text
    assert "Charge model: Per unit → Tiered" in text


def test_an_interval_added_and_a_tier_dropped_are_said_whole(draft_rate_offering):
    save_seats(draft_rate_offering, tiers("0.40"))
    longer = [
        IntervalSpec(duration_unit="month", duration=12, tiers=tiers("0.40")[0].tiers[:1]),
        IntervalSpec(price=Decimal(9), tiers=tiers("0.40")[0].tiers),
    ]
    price = save_seats(draft_rate_offering, longer)

    changes = {c.label: (c.old_text, c.new_text) for c in row_versions(price)[0].changes}

    assert changes["Pricing type"] == ("Regular (one price)", "Interval pricing")
    assert changes["Interval 1 duration unit"] == ("Infinity", "Month(s)")
    assert changes["Interval 1 duration"] == ("—", "12")
    assert changes["Interval 1, tier 2"][1] == "—"
    assert "price 0.40" in changes["Interval 1, tier 2"][0]
    assert changes["Interval 2"][0] == "—"
    assert "duration unit Infinity" in changes["Interval 2"][1]


def test_a_deleted_price_leaves_its_last_change_as_it_was(draft_rate_offering):
    save_seats(draft_rate_offering, tiers("0.40"))
    price = save_seats(draft_rate_offering, tiers("0.35"))
    rates.price_book_item_delete(pbi=price)

    audit = offering_audit(draft_rate_offering["offering"])["versions"]
    seats = [v for v in audit if v.what.startswith("Price SEATS")]

    assert [v.kind for v in seats[:2]] == ["deleted", "changed"]
    assert [c.label for c in seats[1].changes] == ["Interval 1, tier 2 price"]


def test_the_audit_runs_the_same_queries_for_a_short_or_a_long_history(
    draft_rate_offering, django_assert_max_num_queries
):
    offering = draft_rate_offering["offering"]
    save_seats(draft_rate_offering, tiers("0.40"))
    offering_audit(offering)
    with CaptureQueriesContext(connection) as short:
        few = len(offering_audit(offering)["versions"])
    for step in range(6):
        save_seats(draft_rate_offering, tiers(f"0.3{step}"))
        rates.rate_update(rate=draft_rate_offering["rate"], name=f"USD monthly {step}")

    with django_assert_max_num_queries(len(short.captured_queries)):
        many = offering_audit(offering)["versions"]

    assert len(many) == few + 12
