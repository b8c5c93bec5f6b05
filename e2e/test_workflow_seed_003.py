"""Seed 003's workflow, as vendor staff click it, counted: build the Sunday delivery price
(Day(365) at 4.75, then 9.50), activate its rate, meet the lock, clone the offering, read the
audit. The issue measured it at 42 page loads and 61 clicks before this work; the test prints
what it takes now. (The offering and its draft rate are made beforehand, as in the issue's
walk, where the price was the first thing built in the admin.)"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from catalog.models import Item
from catalog.tests.generated import report
from e2e.conftest import DESKTOP, session_context
from e2e.test_admin_delivery_price import Counted
from pricing import rates, services
from pricing.models import Offering, PriceBookItem, Rate

BEFORE = {"page loads": 42, "clicks": 61}  # issue 15's measurement of the same walk


def test_seed_003_price_activation_lock_clone_and_audit_in_few_loads_and_clicks(browser, demo):
    sunday = Item.objects.get(mpn="ND-SUNDAY")
    offering = services.offering_create(
        vendor=sunday.product.vendor, name="Sunday paper", type="subscription"
    )
    services.offering_add_item(offering=offering, item=sunday, default_quantity=1)
    rate = rates.rate_create(offering=offering, name="USD monthly", currency="USD")
    context = session_context(browser, demo, "northwind", DESKTOP)
    page = context.new_page()
    counted = Counted(page)

    # 1. The price: Sundays, Day(365) at 4.75, "Add another", Infinity at 9.50, one save.
    page.goto(f"/admin/pricing/pricebookitem/add/?rate={rate.pk}&item={sunday.pk}")
    page.locator("#id_charge_model").select_option("delivery")
    page.locator("#id_pricing_type").select_option("interval")
    counted.check(page.get_by_role("checkbox", name="Sunday"))
    page.locator("#id_intervals-0-duration_unit").select_option("day")
    page.locator("#id_intervals-0-duration").fill("365")
    page.locator("#id_intervals-0-price").fill("4.75")
    counted.click(page.get_by_role("link", name="Add another Price interval"))
    page.locator("#id_intervals-1-price").fill("9.50")
    counted.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert PriceBookItem.objects.filter(rate=rate, item=sunday).exists()

    # 2. Activate the rate: the page says first what that locks.
    page.goto(f"/admin/pricing/rate/{rate.pk}/change/")
    page.get_by_label("Status").select_option("active")
    counted.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".what-locks")).to_contain_text("locks offering Sunday paper")
    counted.click(page.get_by_role("button", name="Yes, activate"))
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    assert Rate.objects.get(pk=rate.pk).status == Rate.Status.ACTIVE

    # 3. The lock: the offering's page says so before anything is typed, and why.
    page.goto(f"/admin/pricing/offering/{offering.pk}/change/")
    banner = page.locator("#lock-banner")
    expect(banner).to_contain_text("rate 'USD monthly' is active")

    # 4. Clone to change, from a new start date.
    counted.click(banner.get_by_role("link", name="Clone to change"))
    page.get_by_label("Name").fill("Sunday paper 2027")
    page.get_by_label("Start date").fill("2027-01-01")
    counted.click(page.get_by_role("button", name="Clone"))
    expect(page.locator("ul.messagelist")).to_contain_text("Cloned as Sunday paper 2027")
    copy = Offering.objects.get(name="Sunday paper 2027")
    assert copy.start_date == date(2027, 1, 1)

    # 5. The audit of the original: the price, the activation and the clone, in words.
    page.goto(f"/admin/pricing/offering/{offering.pk}/audit/")
    audit = page.locator("#content")
    expect(audit).to_contain_text("ND-SUNDAY")
    expect(audit).to_contain_text("cloned as")
    expect(audit).to_contain_text("Active")

    now = {"page loads": counted.loads, "clicks": counted.clicks}
    for what, count in now.items():
        report(f"seed 003 workflow: {what} (issue's count before: {BEFORE[what]})", count)
    print(f"\nseed 003 workflow: {now} (before: {BEFORE})")
    context.close()
    assert now["page loads"] < BEFORE["page loads"] / 3
    assert now["clicks"] < BEFORE["clicks"] / 5
