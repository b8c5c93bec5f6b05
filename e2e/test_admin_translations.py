"""Browser test: Northwind's staff open the translations page from the admin home, read a
table per marketplace language, follow a missing row's link to the page where its
translation is added; axe-core finds nothing serious or critical on the page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from e2e.conftest import admin_login, screenshot
from e2e.test_portal_accessibility import blocking_violations


def test_the_translations_page_from_the_dashboard_to_a_missing_row(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    admin_login(page, "northwind", "northwind-demo-2026")

    page.get_by_role("link", name="Translations per marketplace language").click()
    expect(page.locator("h1")).to_contain_text("Northwind Software: translations")
    tables = page.locator(".translations-language table")
    expect(tables.first).to_be_visible()
    captions = tables.locator("caption").all_inner_texts()
    assert any(caption.lower().startswith("german on europe") for caption in captions), captions
    violations = blocking_violations(page, Axe())
    screenshot(page, "admin-translations")

    missing = page.locator(".translations-missing a").first
    name = missing.inner_text()
    missing.click()
    expect(page.locator("#content")).to_contain_text(name.split(" [")[0].split(" › ")[-1])
    assert violations == []
    assert errors == []
