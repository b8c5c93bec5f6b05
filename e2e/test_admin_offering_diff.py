"""The offering diff as a vendor reads it: a demo offering and its clone with one price
raised, compared from the offering page's "Compare with…" link; the changed price is marked
old → new, the page fits 1,280 px and a phone's width, and axe-core finds no serious or
critical violation on it, on the clone page's panel or on the inactivation page."""

from __future__ import annotations

from decimal import Decimal

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from catalog.tests.generated import report
from e2e.conftest import DESKTOP, WIDTHS, screenshot, session_context
from e2e.test_portal_accessibility import blocking_violations
from pricing.clone import offering_clone
from pricing.models import Offering, PriceBookItem, PriceInterval

ORIGINAL = "Seats with implementation fee"  # a demo offering with two rates
COPY = "Seats with implementation fee (2027)"
SLACK_PX = 2  # sub-pixel rounding


def test_the_diff_marks_the_changed_price_and_reads_at_desktop_and_phone_width(browser, demo):
    original = Offering.objects.get(name=ORIGINAL)
    copy = offering_clone(offering=original, name=COPY)
    pbi = PriceBookItem.objects.filter(rate__offering=copy).select_related("item", "rate")
    pbi = pbi.order_by("pk").first()
    interval = PriceInterval.objects.filter(price_book_item=pbi).order_by("sequence").first()
    PriceInterval.objects.filter(pk=interval.pk).update(price=interval.price + Decimal("5"))
    key = f"{pbi.item.mpn} in {pbi.rate.name}"

    context = session_context(browser, demo, "northwind", DESKTOP)
    page = context.new_page()
    page.goto(reverse("admin:pricing_offering_change", args=[original.pk]))
    page.locator(".field-lock_status").get_by_role("link", name="Compare with…").click()
    page.get_by_label("Compare with").select_option(label=COPY)
    page.get_by_role("button", name="Compare").click()
    panel = page.locator(f"#offering-diff-{original.pk}-{copy.pk}")
    row = panel.locator("tr.diff-row-changed", has=page.locator("th", has_text=key))
    expect(row.locator("del.diff-removed")).to_be_visible()
    expect(row.locator("ins.diff-added")).to_be_visible()
    expect(panel.locator(".diff-summary")).to_contain_text("differ")
    compare_url = page.url

    pages = {
        "compare": compare_url,
        "clone page": reverse("admin:pricing_offering_clone", args=[copy.pk]),
    }
    axe, problems, checked = Axe(), [], 0
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, url in pages.items():
            page.goto(url)
            expect(page.locator(".offering-diff")).to_have_count(1)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > viewport["width"] + SLACK_PX:
                problems.append(f"{name}, {width}: {scroll} px wide")
            problems += [f"{name}, {width}: {line}" for line in blocking_violations(page, axe)]
            checked += 1
        page.goto(compare_url)
        screenshot(page, f"admin-offering-diff-{width}")

    # Inactivating the original asks first, with the clone's diff.
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("admin:pricing_offering_changelist"))
    page.locator(f"input[name=_selected_action][value='{original.pk}']").check()
    page.locator("select[name=action]").select_option("inactivate_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(f"#offering-diff-{original.pk}-{copy.pk}")).to_be_visible()
    problems += [f"inactivation: {line}" for line in blocking_violations(page, axe)]
    screenshot(page, "admin-offering-inactivate-diff")
    page.get_by_role("button", name="Yes, inactivate").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 offering(s) inactivated")
    context.close()
    assert Offering.objects.get(pk=original.pk).status == Offering.Status.INACTIVE
    report("e2e: offering diff pages checked by axe-core and for width", checked + 1)
    assert problems == [], "\n".join(problems)
