"""The price page's curves as a vendor sees them: the demo's volume-priced API calls with the
linter's cliff marked and said, and an introductory price stepping down over time."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import admin_login, screenshot
from pricing.models import PriceBookItem


def price_page(page, mpn: str, **which) -> None:
    pbi = PriceBookItem.objects.filter(item__mpn=mpn, rate__currency="USD", **which).first()
    page.goto(f"/admin/pricing/pricebookitem/{pbi.pk}/change/")


def test_the_price_page_draws_the_cliff_and_the_steps_over_time(page):
    admin_login(page, "northwind", "northwind-demo-2026")

    price_page(page, "NW-API-CALLS", charge_model="volume")
    curves = page.locator("#price-curves")
    expect(curves.get_by_role("img")).to_have_count(1)
    expect(curves.locator("figcaption")).to_have_text(
        "Cliff: 101 units cost 40.40 USD a period, less than 100 units at 50.00 USD."
    )
    expect(curves.locator("line.cliff")).to_have_count(1)
    curves.scroll_into_view_if_needed()
    screenshot(page, "admin-price-curve-volume-cliff")

    price_page(page, "O365-BUS-PREMIUM", pricing_type="interval")
    expect(curves.get_by_role("img")).to_have_count(3)  # two intervals, and time
    expect(curves.locator(".time-curve desc")).to_contain_text(
        "Interval 1, months 0 to 3: 16.50 USD; Interval 2, from month 3 on: 22.00 USD"
    )
    curves.scroll_into_view_if_needed()
    screenshot(page, "admin-price-curve-over-time")
