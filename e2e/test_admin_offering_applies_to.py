"""The offering page shows an item row's "applies to" list only once a minimum-commit or
percent-of-total item is picked on it (static/pricing/offering_scope.js)."""

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, session_context


def pick_item(page, row, search: str, option: str) -> None:
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).click()
    expect(row.locator(".select2-selection__rendered")).to_contain_text(option)


def test_applies_to_shows_only_for_a_commitment(browser, demo):
    context = session_context(browser, demo, "northwind", DESKTOP)
    page = context.new_page()
    page.goto("/admin/pricing/offering/add/")
    group = page.locator("#offering_items-group")
    group.get_by_role("button", name="Add another Offering item").click()
    row = group.locator("tr.form-row.dynamic-offering_items:not(.has_original)")
    expect(row).to_have_count(1)
    scope = row.locator("select[name$='-scope']")
    expect(scope).to_be_hidden()
    pick_item(page, row, "NW-COMMIT", "[NW-COMMIT]")
    expect(scope).to_be_visible()
    pick_item(page, row, "NW-SEATS", "[NW-SEATS]")
    expect(scope).to_be_hidden()
    context.close()
