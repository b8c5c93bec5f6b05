"""The price book item page shows only the fields of the chosen charge model, as it changes;
hidden fields keep their values; without JavaScript every field shows."""

from playwright.sync_api import expect

from e2e.conftest import DESKTOP, TIMEOUT_MS, admin_login, screenshot
from pricing.models import PriceBookItem

ADD = "/admin/pricing/pricebookitem/add/"
NOTE = "Not used by the chosen charge model"


def choose(page, model: str) -> None:
    page.locator("#id_charge_model").select_option(model)


def test_the_add_page_shows_the_fields_of_the_chosen_model(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    admin_login(page, "northwind", "northwind-demo-2026")
    page.goto(ADD)
    package_size = page.locator("#id_intervals-0-package_size")
    overage_price = page.locator("#id_intervals-0-overage_price")
    tiers = page.locator("#intervals-0-tiers-group")
    weekdays = page.locator(".form-row.field-delivery_weekdays")
    minimum = page.locator(".form-row.field-minimum_amount")
    flat_at_zero = page.locator(".form-row.field-flat_at_zero")
    flat_amount_heading = tiers.locator("thead th", has_text="Flat amount")

    # Per unit, as the page opens: its price and the per-period limits, nothing else.
    expect(page.locator("#id_intervals-0-price")).to_be_visible()
    expect(minimum).to_be_visible()
    for hidden in (package_size, overage_price, tiers, weekdays, flat_at_zero):
        expect(hidden).to_be_hidden()

    choose(page, "package")
    expect(package_size).to_be_visible()
    expect(page.locator("#id_intervals-0-included_units")).to_be_visible()
    expect(tiers).to_be_hidden()
    expect(weekdays).to_be_hidden()
    package_size.fill("1000")

    choose(page, "tiered")
    expect(tiers).to_be_visible()
    expect(flat_amount_heading).to_be_visible()
    expect(flat_at_zero).to_be_visible()
    expect(package_size).to_be_hidden()
    expect(overage_price).to_be_hidden()
    # Every interval-level price is in the tiers: their row is hidden whole.
    expect(page.locator("#intervals-0 div.form-row.field-package_size")).to_be_hidden()
    expect(page.locator("#intervals-0 div.form-row.field-sequence")).to_be_visible()
    # A tier row added now (nested_admin clones it in) shows the model's columns.
    tiers.get_by_role("link", name="Add another Price Tier").click()
    expect(page.locator("#id_intervals-0-tiers-0-flat_amount")).to_be_visible()
    expect(page.locator("#id_intervals-0-tiers-0-price_format")).to_be_visible()
    screenshot(page, "admin-price-add-tiered-desktop")
    tiers.locator(".djn-inline-form:not(.djn-empty-form)").get_by_role(
        "link", name="Remove"
    ).click()
    expect(page.locator("#id_intervals-0-tiers-0-flat_amount")).to_have_count(0)

    choose(page, "delivery")
    expect(weekdays).to_be_visible()
    expect(page.get_by_label("Monday")).to_be_visible()
    expect(minimum).to_be_visible()
    expect(tiers).to_be_hidden()
    expect(flat_at_zero).to_be_hidden()
    expect(package_size).to_be_hidden()

    # An interval added now follows the chosen model too.
    page.get_by_role("link", name="Add another Price interval").click()
    expect(page.locator("#id_intervals-1-price")).to_be_visible()
    expect(page.locator("#id_intervals-1-package_size")).to_be_hidden()
    expect(page.locator("#intervals-1-tiers-group")).to_be_hidden()
    choose(page, "package")
    expect(page.locator("#id_intervals-1-package_size")).to_be_visible()

    # Hiding never cleared a value.
    expect(package_size).to_be_visible()
    expect(package_size).to_have_value("1000")
    assert not errors, errors


def test_a_value_the_chosen_model_would_refuse_stays_shown_until_cleared(page):
    admin_login(page, "northwind", "northwind-demo-2026")
    page.goto(ADD)
    weekdays = page.locator(".form-row.field-delivery_weekdays")
    choose(page, "delivery")
    monday = page.get_by_label("Monday")
    monday.check()
    choose(page, "per_unit")
    expect(weekdays).to_be_visible()  # saving would be refused: it stays, marked
    expect(weekdays).to_contain_text(NOTE)
    monday.uncheck()
    expect(weekdays).to_be_hidden()


def test_the_change_page_of_a_tiered_price(page):
    pbi = PriceBookItem.objects.get(
        item__mpn="NW-STORAGE",
        rate__currency="USD",
        rate__offering__name="Platform pay as you go",
        charge_model="tiered",
    )
    admin_login(page, "northwind", "northwind-demo-2026")
    page.goto(f"/admin/pricing/pricebookitem/{pbi.pk}/change/")
    tiers = page.locator("#intervals-0-tiers-group")
    expect(tiers).to_be_visible()
    expect(page.locator("#id_intervals-0-tiers-0-flat_amount")).to_be_visible()
    expect(page.locator("#id_intervals-0-package_size")).to_be_hidden()
    expect(page.locator(".form-row.field-delivery_weekdays")).to_be_hidden()

    choose(page, "volume")  # tiers too
    expect(tiers).to_be_visible()
    expect(tiers).not_to_contain_text(NOTE)
    choose(page, "package")  # no tiers: the stored ones would be refused, so they stay shown
    expect(tiers).to_be_visible()
    expect(tiers).to_contain_text(NOTE)
    expect(page.locator("#id_intervals-0-package_size")).to_be_visible()


def test_without_javascript_every_field_shows(browser, demo):
    context = browser.new_context(
        base_url=demo, viewport=DESKTOP, locale="en-US", java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        admin_login(page, "northwind", "northwind-demo-2026")
        page.goto(ADD)
        for field in ("package_size", "overage_price", "included_units", "price"):
            expect(page.locator(f"#id_intervals-0-{field}")).to_be_visible()
        expect(page.locator("#intervals-0-tiers-group")).to_be_visible()
        for field in ("delivery_weekdays", "minimum_amount", "maximum_amount", "flat_at_zero"):
            expect(page.locator(f".form-row.field-{field}")).to_be_visible()
    finally:
        context.close()
