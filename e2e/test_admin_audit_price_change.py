"""A tier price changed on a draft rate, read in the browser: on the offering's audit page
and on the price's own history page, before and after, who and when; captured at desktop and
phone widths (test-output/screenshots/)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from catalog.models import Item
from e2e.conftest import WIDTHS, screenshot, session_context
from pricing import rates
from pricing.models import Offering
from pricing.pricebook import IntervalSpec
from pricing.pricebook.validation import TierSpec

OFFERING = "Platform pay as you go"  # demo offering; its USD rate is locked, a new one is not
CHANGE = "Interval 1, tier 2 price: 0.40 → 0.35"


def volume(second: str) -> list[IntervalSpec]:
    bands = ((0, 100, "0.50"), (100, 1000, second), (1000, None, "0.30"))
    return [
        IntervalSpec(
            tiers=tuple(
                TierSpec(
                    start_unit=Decimal(start),
                    end_unit=None if end is None else Decimal(end),
                    price=Decimal(price),
                )
                for start, end, price in bands
            )
        )
    ]


def tier_price_changed_on_a_draft_rate():
    """API calls priced on a new draft rate (tier 2 at 0.40), then tier 2 set to 0.35."""
    staff = get_user_model().objects.get(username="northwind")
    offering = Offering.objects.get(name=OFFERING)
    rate = rates.rate_create(
        offering=offering, name="USD partners", currency="USD", customer_group="Partners", by=staff
    )
    item = Item.objects.get(mpn="NW-API-CALLS")
    price = None
    for second in ("0.40", "0.35"):
        price = rates.price_book_item_save(
            rate=rate,
            item=item,
            charge_model="volume",
            intervals=volume(second),
            instance=price,
            by=staff,
        )
    return offering, price


def test_the_audit_and_the_price_history_show_the_tier_change(browser, demo):
    offering, price = tier_price_changed_on_a_draft_rate()
    pages = {
        "admin-audit-price-change": f"/admin/pricing/offering/{offering.pk}/audit/",
        "admin-price-history": f"/admin/pricing/pricebookitem/{price.pk}/history/",
    }
    context = session_context(browser, demo, "northwind", WIDTHS["desktop"])
    page = context.new_page()
    for name, url in pages.items():
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(url).status == 200, url
            row = page.locator("tr.version", has_text=CHANGE)
            expect(row).to_have_count(1)
            expect(row.locator(".what")).to_have_text(
                "Price NW-API-CALLS in rate 'USD partners' changed"
            )
            expect(row.locator(".who")).to_have_text("northwind")
            expect(row.locator(".when")).to_have_text(
                re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
            )
            expect(page.locator("#content-main")).not_to_contain_text("None")
            path = screenshot(page, f"{name}-{width}")
            assert path.stat().st_size > 5_000, path
    context.close()
