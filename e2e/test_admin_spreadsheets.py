"""Vendor staff export their catalog workbook, change a cell in it, and import it back in the
admin: the dry run's report names the change, axe-core finds nothing serious on it, and the
confirm writes it. Page loads and clicks are counted and printed."""

from __future__ import annotations

import io

from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from playwright.sync_api import expect

from catalog.models import Product
from catalog.tests.generated import report
from e2e.conftest import admin_login, screenshot
from e2e.test_portal_accessibility import blocking_violations

PRODUCT = "Northwind Cloud Platform"


def with_category(data: bytes, category: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["products"]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("name")].value == PRODUCT:
            row[headers.index("category")].value = category
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_edit_and_import_back_in_the_admin(page):
    errors, loads, clicks = [], [], []
    page.on("pageerror", lambda error: errors.append(error))
    admin_login(page, "northwind", "northwind-demo-2026")
    page.on("load", lambda _page: loads.append(page.url))

    page.goto("/admin/")
    clicks.append("Spreadsheets")
    page.get_by_role(
        "link", name="Export and import the catalog and prices as spreadsheets"
    ).click()
    with page.expect_download() as download:
        clicks.append("Download catalog")
        page.get_by_role("link", name="Download northwind-catalog.xlsx").click()
    exported = download.value.path().read_bytes()
    edited = with_category(exported, "Cloud, edited in a spreadsheet")

    clicks.append("Import")
    page.get_by_role("link", name="Import spreadsheets into Northwind Software").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "northwind-catalog.xlsx", "mimeType": "application/octet-stream", "buffer": edited}
    )
    clicks.append("Upload and dry run")
    page.get_by_role("button", name="Upload and dry run").click()
    expect(page.locator("#exchange-verdict")).to_contain_text("Dry run: nothing is written yet")
    changed = page.locator("tr.result-changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(PRODUCT)
    expect(changed).to_contain_text("category")
    assert Product.objects.get(name=PRODUCT).category != "Cloud, edited in a spreadsheet"
    violations = blocking_violations(page, Axe())
    screenshot(page, "admin-import-dry-run")

    clicks.append("Confirm")
    page.get_by_role("button", name="Confirm: import it").click()
    expect(page.locator("#exchange-verdict")).to_contain_text("Imported")
    assert Product.objects.get(name=PRODUCT).category == "Cloud, edited in a spreadsheet"
    page.wait_for_load_state("load")  # the verdict shows before the page's load event

    report("spreadsheet round trip in the admin: page loads", len(loads))
    report("spreadsheet round trip in the admin: clicks", len(clicks))
    print(f"\nSpreadsheet round trip: {len(loads)} page loads, {len(clicks)} clicks")
    assert violations == []
    assert errors == []
