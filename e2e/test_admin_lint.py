"""The price-book linter as a vendor reaches it: the dashboard's count, its link to the
vendor's page (the demo's one volume cliff, with its fix), and the offering's panel."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import admin_login, screenshot


def test_the_dashboard_leads_to_the_linter_and_the_offering_shows_its_findings(page):
    admin_login(page, "northwind", "northwind-demo-2026")
    count = page.locator("#lint-count")
    expect(count).to_contain_text("0 errors, 1 warning")
    count.get_by_role("link").click()

    page.wait_for_url("**/admin/insights/lint/northwind/")
    expect(page.locator("#lint-summary")).to_contain_text("0 errors, 1 warning.")
    group = page.locator(".lint-group")
    expect(group).to_have_count(1)
    expect(group).to_contain_text("Offering Platform pay as you go")
    expect(group.locator("tbody tr")).to_contain_text(
        "101 units cost 40.40 USD a period, less than 100 units at 50.00 USD"
    )
    expect(group.locator("tbody tr")).to_contain_text("Give the tier above 100 a flat amount")
    screenshot(page, "admin-lint-vendor")

    group.get_by_role("link", name="Offering Platform pay as you go").click()
    panel = page.locator("#lint-panel")
    expect(panel).to_contain_text("Price-book linter: 0 errors, 1 warning")
    expect(panel).to_contain_text("volume_cliff")
    panel.scroll_into_view_if_needed()
    screenshot(page, "admin-lint-offering-panel")
