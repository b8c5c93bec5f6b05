"""A vendor's way through a locked offering in the admin, as a person clicks it: the locked
page (read-only fields, the banner with the reasons), "Clone to change", the clone page's
summary and a new start date, activating a rate of the copy through the confirmation page,
and the copy's price sheet. Page loads and clicks are counted and reported."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from catalog.tests.generated import report
from e2e.conftest import DESKTOP, WIDTHS, admin_login, screenshot
from pricing.models import Offering, PriceBookItem, Rate
from pricing.price_words import price_in_words

ORIGINAL = "Seats with implementation fee"  # demo offering with active rates: locked
COPY = "Seats with implementation fee (2027)"


class Counted:
    """The page, with its page loads and the clicks made on it counted."""

    def __init__(self, page):
        self.page, self.loads, self.clicks = page, 0, 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()


def shoot(page, name: str) -> None:
    """The page at desktop and phone widths, then back at desktop."""
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size(DESKTOP)


def test_a_locked_offering_is_cloned_its_rate_activated_and_its_prices_read(page):
    counted = Counted(page)
    admin_login(page, "northwind", "northwind-demo-2026")
    counted.clicks += 1  # the login form's button

    # 1. The locked offering: its type, start date and items read-only, and why.
    page.goto("/admin/pricing/offering/")
    counted.click(page.get_by_role("link", name=ORIGINAL, exact=True))
    banner = page.locator("#lock-banner")
    expect(banner).to_contain_text("Locked: this offering is in use")
    expect(banner.locator("li")).to_contain_text(["rate 'USD monthly' is active"])
    expect(page.locator(".field-type .readonly")).to_have_text("Subscription")
    expect(page.locator(".field-start_date .readonly")).not_to_be_empty()
    expect(page.locator("select[name=type]")).to_have_count(0)
    expect(page.locator("#locked-items tbody tr")).to_have_count(2)
    expect(page.get_by_role("button", name="Add another Offering item")).to_have_count(0)
    shoot(page, "admin-offering-locked")

    # 2. "Clone to change": the summary of what is copied, and a new start date.
    counted.click(banner.get_by_role("link", name="Clone to change"))
    expect(page.locator("h1")).to_contain_text(f"Clone {ORIGINAL}")
    summary = page.locator("#clone-summary")
    for label, count in (("Items", "2"), ("Rates (as drafts)", "2"), ("Prices", "4")):
        expect(summary.locator("tr", has_text=label).locator("td")).to_have_text(count)
    shoot(page, "admin-offering-clone")
    page.get_by_label("Name").fill(COPY)
    page.get_by_label("Start date").fill("2027-01-01")
    counted.click(page.get_by_role("button", name="Clone"))
    expect(page.locator("ul.messagelist")).to_contain_text(f"Cloned as {COPY}")
    expect(page.locator("#lock-banner")).to_have_count(0)
    copy = Offering.objects.get(name=COPY)
    assert copy.start_date == date(2027, 1, 1)

    # 3. Activate the copy's USD rate: the page says what locks before anything does.
    counted.click(page.locator(".field-lock_status").get_by_role("link", name="Price sheet"))
    counted.click(page.locator("#price-sheet thead").get_by_role("link", name="USD monthly"))
    page.get_by_label("Status").select_option("active")
    counted.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".what-locks")).to_contain_text(f"locks offering {COPY}")
    expect(page.locator(".unpriced")).to_contain_text("Every item of the offering has a price")
    expect(page.locator(".way-back")).to_contain_text("set the rate back to draft or inactive")
    rate = copy.rates.get(name="USD monthly")
    assert rate.status == Rate.Status.DRAFT  # not before the answer
    shoot(page, "admin-rate-activation-confirmation")
    counted.click(page.get_by_role("button", name="Yes, activate"))
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    rate.refresh_from_db()
    assert rate.status == Rate.Status.ACTIVE

    # 4. The copy's price sheet: an item per row, a rate per column, the prices in words.
    page.goto(f"/admin/pricing/offering/{copy.pk}/change/")
    expect(page.locator("#lock-banner")).to_contain_text("rate 'USD monthly' is active")
    counted.click(page.locator("#lock-banner").get_by_role("link", name="Price sheet"))
    sheet = page.locator("#price-sheet")
    expect(sheet.locator("thead th")).to_have_count(3)
    expect(sheet.locator("tbody tr")).to_have_count(2)
    prices = PriceBookItem.objects.filter(rate=rate).select_related("item", "rate").with_rows()
    for pbi in prices:
        row = sheet.locator("tbody tr", has_text=pbi.item.mpn)
        expect(row).to_contain_text(price_in_words(pbi, "en"))
    expect(sheet).to_contain_text("$1,500.00, one-time")
    shoot(page, "admin-offering-price-sheet")

    report("e2e: clone and activate, page loads", counted.loads)
    report("e2e: clone and activate, clicks", counted.clicks)
    print(f"\nclone and activate: {counted.loads} page loads, {counted.clicks} clicks")
    assert counted.clicks <= 10
