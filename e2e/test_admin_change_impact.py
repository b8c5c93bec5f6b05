"""The change impact as a vendor sees it: on the demo's seat price, which a new draft quote
of 10 seats uses, the price is raised on the page and "Show the impact of these changes"
puts the draft's total old → new and the amounts before and after in the page's panel
(nothing saved); the panel fits the page and axe-core finds no serious or critical
violation in it."""

from __future__ import annotations

from decimal import Decimal

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Item
from e2e.conftest import DESKTOP, screenshot, session_context
from e2e.test_portal_accessibility import blocking_violations
from pricing.models import Offering, PriceBookItem
from pricing.quote_lines import QuoteLineSpec
from pricing.selling import quote_cancel, quote_create

SLACK_PX = 2
OFFERING = "Platform pay as you go"  # a demo offering priced per seat


def test_the_edited_price_shows_the_drafts_new_total_before_it_is_saved(browser, demo):
    offering = Offering.objects.get(name=OFFERING)
    item = Item.objects.get(mpn="NW-SEATS")
    draft = quote_create(
        vendor=offering.vendor,
        customer="Adventure Works",
        currency="USD",
        lines=[QuoteLineSpec(offering, None, item, quantity=Decimal(10))],
    )
    pbi = PriceBookItem.objects.get(
        rate__offering=offering, rate__currency="USD", item=item, custom_attributes={}
    )
    stored = list(pbi.intervals.values_list("price", flat=True))

    context = session_context(browser, demo, "northwind", DESKTOP)
    page = context.new_page()
    page.goto(reverse("admin:pricing_pricebookitem_change", args=[pbi.pk]))
    panel = page.locator("#impact-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Change impact")
    price = page.locator('input[name="intervals-0-price"]')
    price.fill(str(Decimal(price.input_value() or "0") + Decimal("5")))
    page.get_by_role("button", name="Show the impact of these changes").click()

    expect(panel.get_by_role("heading", level=2)).to_have_text("Change impact: the proposed price")
    row = panel.locator("tr.impact-changed", has=page.get_by_role("link", name=draft.reference))
    expect(row).to_have_count(1)
    expect(panel.locator(".impact-amounts tr.impact-changed").first).to_be_visible()
    panel.scroll_into_view_if_needed()
    screenshot(page, "admin-change-impact-panel")

    assert page.url.endswith(f"/{pbi.pk}/change/")  # still the price page, edits in place
    assert list(pbi.intervals.values_list("price", flat=True)) == stored  # nothing saved
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= DESKTOP["width"] + SLACK_PX
    problems = blocking_violations(page, Axe())
    assert not problems, problems
    context.close()
    quote_cancel(quote=draft)  # kept, cancelled: the demo's drafts are as they were
