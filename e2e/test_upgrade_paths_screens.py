"""The upgrade paths in the browser: vendor staff open a product's graph from its admin page,
a distributor the upgrade ladder from a listing; both pictures are drawn (a loop, a dead end
and a path to an item at end of sale marked in words), fit the page (the picture scrolls in
its own region), and axe-core finds no violation at all, at desktop and phone widths.
Screenshots: admin-upgrade-paths, portal-upgrade-ladder (and their phone widths)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from catalog.models import Item, ItemPath, Listing, Product
from catalog.tests.factories import ItemFactory, ItemPathFactory
from catalog.tests.generated import report
from e2e.conftest import DESKTOP, PHONE, screenshot, session_context

SLACK_PX = 2  # sub-pixel rounding


def violations(page, axe: Axe) -> list[str]:
    """One line per axe-core violation, whatever its impact."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in axe.run(page).response["violations"]
    ]


def add_marked_paths() -> Product:
    """Office 365 (for business): PREMIUM ⇄ E3 by upgrades (a loop), PREMIUM → LEGACY (end
    of sale: a dead end)."""
    product = Product.objects.get(name="Office 365 (for business)")
    premium = Item.objects.get(mpn="O365-BUS-PREMIUM")
    e3 = ItemFactory(product=product, mpn="O365-BUS-E3", name="E3", status="published")
    legacy = ItemFactory(
        product=product, mpn="O365-BUS-LEGACY", name="Legacy suite", status="end_of_sale"
    )
    for source, target in ((premium, e3), (e3, premium), (premium, legacy)):
        ItemPathFactory(source=source, target=target, kind=ItemPath.Kind.UPGRADE)
    return product


def fits(page) -> bool:
    width = page.viewport_size["width"]
    return page.evaluate("document.documentElement.scrollWidth") <= width + SLACK_PX


def test_the_admin_graph_and_the_portal_ladder_are_drawn_marked_and_axe_clean(browser, demo):
    product = add_marked_paths()
    listing = Listing.objects.get(offer__name="For business", marketplace__code="us")
    axe, found, checked = Axe(), {}, 0
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = session_context(browser, demo, "northwind", viewport)
        page = context.new_page()
        page.goto(f"/admin/catalog/product/{product.pk}/change/")
        page.get_by_role("link", name="Upgrade paths").click()
        graph = page.get_by_role("img", name="Upgrade paths of Office 365 (for business)")
        expect(graph).to_be_visible()
        expect(graph.locator("text", has_text="loop").first).to_be_visible()
        expect(page.get_by_role("row", name="E3 [O365-BUS-E3]")).to_contain_text("loop")
        expect(page.get_by_role("row", name="Legacy suite [O365-BUS-LEGACY]")).to_contain_text(
            "dead end, end of sale"
        )
        screenshot(page, "admin-upgrade-paths" + ("" if viewport is DESKTOP else "-phone"))
        found[f"admin, {width}"] = violations(page, axe) + ([] if fits(page) else ["too wide"])
        checked += 1
        context.close()

        context = session_context(browser, demo, "distributor", viewport)
        page = context.new_page()
        page.goto(f"/portal/listings/{listing.pk}/")
        page.get_by_role("link", name="See the upgrade ladder").click()
        expect(page.get_by_role("heading", name="Upgrade ladder")).to_be_visible()
        ladder = page.get_by_role("img", name="Upgrade paths of Office 365 (for business)")
        expect(ladder).to_be_visible()
        expect(ladder.locator("text", has_text="to end of sale").first).to_be_visible()
        screenshot(page, "portal-upgrade-ladder" + ("" if viewport is DESKTOP else "-phone"))
        found[f"portal, {width}"] = violations(page, axe) + ([] if fits(page) else ["too wide"])
        checked += 1
        context.close()
    report("e2e: upgrade-path pages checked by axe-core", checked)
    problems = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert problems == [], "\n".join(problems)
