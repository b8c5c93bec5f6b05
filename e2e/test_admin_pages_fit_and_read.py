"""The admin pages vendor staff work in fit a 1,280 px screen (no page wider than the window:
the offering list's Lock column and the inline tables stay in view) and axe-core finds no
serious or critical violation on them, at desktop and phone widths: the home dashboard, the
offering list and pages (locked, clone, price sheet, audit), a rate, a price with its
preview, the product page with the variation generator, the offer page and a history page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from catalog.models import Item, Offer, Product
from catalog.tests.generated import report
from e2e.conftest import DESKTOP, WIDTHS, screenshot, session_context
from e2e.test_portal_accessibility import blocking_violations
from pricing.models import Offering, PriceBookItem, Rate

SLACK_PX = 2  # sub-pixel rounding


def pages() -> list[tuple[str, str]]:
    locked = Offering.objects.get(name="Seats with implementation fee")
    rate = Rate.objects.filter(offering=locked).order_by("pk").first()
    price = PriceBookItem.objects.filter(charge_model="delivery").order_by("pk").first()
    shirt = Product.objects.filter(vendor__slug="northwind").order_by("pk").first()
    offer = Offer.objects.get(name="For business")
    item = Item.objects.get(mpn="NW-SEATS")
    return [
        ("home", "/admin/"),
        ("offering list", reverse("admin:pricing_offering_changelist")),
        ("locked offering", reverse("admin:pricing_offering_change", args=[locked.pk])),
        ("clone page", reverse("admin:pricing_offering_clone", args=[locked.pk])),
        ("price sheet", reverse("admin:pricing_offering_prices", args=[locked.pk])),
        ("audit", reverse("admin:pricing_offering_audit", args=[locked.pk])),
        ("rate", reverse("admin:pricing_rate_change", args=[rate.pk])),
        ("price with preview", reverse("admin:pricing_pricebookitem_change", args=[price.pk])),
        ("price list", reverse("admin:pricing_pricebookitem_changelist")),
        ("product", reverse("admin:catalog_product_change", args=[shirt.pk])),
        ("offer", reverse("admin:catalog_offer_change", args=[offer.pk])),
        ("item history", reverse("admin:catalog_item_history", args=[item.pk])),
    ]


def test_admin_pages_fit_the_screen_and_have_no_serious_axe_violations(browser, demo):
    axe = Axe()
    too_wide, violations, checked = {}, {}, 0
    urls = pages()
    for width, viewport in WIDTHS.items():
        context = session_context(browser, demo, "northwind", viewport)
        page = context.new_page()
        for name, url in urls:
            assert page.goto(url).status == 200, url
            if viewport is DESKTOP and name == "offering list":
                lock = page.locator("#result_list thead th", has_text="Lock").bounding_box()
                if lock["x"] + lock["width"] > DESKTOP["width"]:
                    too_wide["offering list's Lock column"] = lock["x"] + lock["width"]
            if viewport is DESKTOP:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > DESKTOP["width"] + SLACK_PX:
                    too_wide[name] = scroll
                    screenshot(page, f"admin-too-wide-{name.replace(' ', '-')}")
            if found := blocking_violations(page, axe):
                violations[f"{name}, {width}"] = found
            checked += 1
        context.close()
    report("e2e: admin pages checked by axe-core and for width", checked)
    problems = [f"{name}: {px} px wide" for name, px in too_wide.items()]
    problems += [f"{name}: {line}" for name, lines in violations.items() for line in lines]
    assert problems == [], "\n".join(problems)
