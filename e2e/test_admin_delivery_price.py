"""Vendor staff build seed 003's delivery price in the admin: Day(365) at 4.75, then Infinity
at 9.50, delivered on Sundays. The second interval comes from "Add another" already numbered,
one save stores it; a save with a missing weekday and an interval error shows both at once,
next to their fields; "Move up" reorders the intervals. The page loads and clicks it takes
are counted, and the pages are captured at desktop and phone widths."""

from decimal import Decimal

from playwright.sync_api import expect

from catalog.models import Item
from catalog.tests.generated import report
from e2e.conftest import WIDTHS, screenshot, session_context
from pricing.models import Offering, PriceBookItem
from pricing.rates import rate_create

ADD = "/admin/pricing/pricebookitem/add/"
D = Decimal


class Counted:
    """A page whose loads and clicks are counted: what the task costs staff."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.clicks = 0
        page.on("load", lambda _: self.count_load())

    def count_load(self):
        self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def check(self, locator):
        self.clicks += 1
        locator.check()


def new_rate():
    """A rate of seed 003's Daily Service without a channel: the demo's own prices stay."""
    offering = Offering.objects.get(name="Daily Service")
    return rate_create(offering=offering, name="USD monthly (built in the admin)", currency="USD")


def open_add_page(counted, rate, mpn):
    item = Item.objects.get(mpn=mpn)
    counted.page.goto(f"{ADD}?rate={rate.pk}&item={item.pk}")
    counted.page.locator("#id_charge_model").select_option("delivery")
    counted.page.locator("#id_pricing_type").select_option("interval")


def sequence(page, index):
    return page.locator(f"#id_intervals-{index}-sequence")


def test_seed_003s_delivery_price_is_built_with_add_another_and_one_save(browser, demo):
    rate = new_rate()
    context = session_context(browser, demo, "northwind", WIDTHS["desktop"])
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(error))
    counted = Counted(page)
    open_add_page(counted, rate, "ND-SUNDAY")
    counted.check(page.get_by_role("checkbox", name="Sunday"))
    expect(sequence(page, 0)).to_have_value("1")  # numbered by the page
    page.locator("#id_intervals-0-duration_unit").select_option("day")
    page.locator("#id_intervals-0-duration").fill("365")
    page.locator("#id_intervals-0-price").fill("4.75")
    counted.click(page.get_by_role("link", name="Add another Price interval"))
    expect(sequence(page, 1)).to_have_value("2")  # the next number, not a second 1
    expect(page.locator("#id_intervals-1-price")).to_have_value("")  # no made-up 0
    page.locator("#id_intervals-1-price").fill("9.50")
    counted.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.wait_for_load_state("load")

    pbi = PriceBookItem.objects.get(rate=rate, item__mpn="ND-SUNDAY")
    assert (pbi.charge_model, pbi.pricing_type, pbi.delivery_weekdays) == (
        "delivery",
        "interval",
        [6],
    )
    assert list(pbi.intervals.values_list("sequence", "duration_unit", "duration", "price")) == [
        (1, "day", 365, D("4.75")),
        (2, "infinity", None, D("9.50")),
    ]
    report("delivery price built in the admin: page loads", counted.loads)
    report("delivery price built in the admin: clicks", counted.clicks)
    print(f"\nDelivery price built in {counted.loads} page loads and {counted.clicks} clicks.")
    assert counted.loads == 2 and counted.clicks == 3

    # Its page shows it as entered, with a preview broken down by deliveries, and a chart.
    page.goto(
        f"/admin/pricing/pricebookitem/{pbi.pk}/change/?quantity=1&start_date=2026-01-04&periods=14"
    )
    expect(page.locator("#id_intervals-0-price")).to_have_value("4.75")
    expect(page.locator("#price-preview")).to_contain_text("5 deliveries × $4.75")
    expect(page.locator("#price-preview svg[role=img] title").first).to_have_text(
        "Amount per period (USD)"
    )
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"admin-delivery-price-preview-{width}")
    context.close()
    assert not errors, errors


def test_a_missing_weekday_and_an_interval_error_show_at_once_at_their_fields(browser, demo):
    rate = new_rate()
    context = session_context(browser, demo, "northwind", WIDTHS["desktop"])
    page = context.new_page()
    counted = Counted(page)
    open_add_page(counted, rate, "ND-WEEKDAY")
    page.locator("#id_intervals-0-duration_unit").select_option("day")  # no duration given
    page.locator("#id_intervals-0-price").fill("0.875")
    counted.click(page.get_by_role("link", name="Add another Price interval"))
    page.locator("#id_intervals-1-price").fill("1.75")
    counted.click(page.get_by_role("button", name="Save", exact=True))

    weekdays = page.locator(".form-row.field-delivery_weekdays")
    expect(weekdays.locator(".errorlist")).to_have_text(
        "A delivery price needs its delivery weekdays."
    )
    # The admin puts a multi-field row's errors just above the field, in the field's box.
    duration = page.locator("#intervals-0 div:has(> .fieldBox.field-duration) > .errorlist")
    expect(duration).to_have_text("Give a positive number of days or months.")
    expect(page.locator("#intervals-0 .fieldBox.field-duration.errors")).to_be_visible()
    expect(page.locator("#intervals-group > fieldset > .errorlist")).to_have_count(0)
    assert not PriceBookItem.objects.filter(rate=rate).exists()
    report("delivery price errors shown at once: saves", 1)
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"admin-delivery-price-errors-{width}")

    # Both fixed, the next save stores it.
    counted.check(page.get_by_role("checkbox", name="Monday"))
    page.locator("#id_intervals-0-duration").fill("365")
    counted.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert PriceBookItem.objects.filter(rate=rate, item__mpn="ND-WEEKDAY").exists()
    context.close()


def test_move_up_puts_an_interval_first_and_the_save_keeps_that_order(browser, demo):
    rate = new_rate()
    context = session_context(browser, demo, "northwind", WIDTHS["desktop"])
    page = context.new_page()
    counted = Counted(page)
    open_add_page(counted, rate, "ND-SUNDAY")
    counted.check(page.get_by_role("checkbox", name="Sunday"))
    page.locator("#id_intervals-0-price").fill("9.50")  # the Infinity interval, first
    counted.click(page.get_by_role("link", name="Add another Price interval"))
    page.locator("#id_intervals-1-duration_unit").select_option("day")
    page.locator("#id_intervals-1-duration").fill("365")
    page.locator("#id_intervals-1-price").fill("4.75")
    move_up = page.locator("#intervals-1").get_by_role("button", name="Move up")
    counted.click(move_up)
    expect(sequence(page, 1)).to_have_value("1")
    expect(sequence(page, 0)).to_have_value("2")
    expect(move_up).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("position 1 of 2")
    counted.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()
    pbi = PriceBookItem.objects.get(rate=rate, item__mpn="ND-SUNDAY")
    assert list(pbi.intervals.values_list("sequence", "duration_unit", "price")) == [
        (1, "day", D("4.75")),
        (2, "infinity", D("9.50")),
    ]
    report("intervals reordered with Move up: clicks", counted.clicks)
    context.close()
