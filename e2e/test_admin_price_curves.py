"""The price curves in the browser. Vendor staff on the price page: the demo's volume-priced
API calls with the linter's cliff marked and said, and an introductory price stepping down
over time. A distributor in the portal: from a listing's price to its page, the cliff marked
and said, and (in German) the steps over time; both fit the page and axe-core finds no
violation at all, at desktop and phone widths. Screenshots: admin-price-curve-volume-cliff,
admin-price-curve-over-time, portal-price-curve-cliff, portal-price-curve-over-time-de (and
their phone widths)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from catalog.models import Listing, Plan
from catalog.tests.generated import report
from e2e.conftest import DESKTOP, PHONE, admin_login, screenshot, session_context
from e2e.test_upgrade_paths_screens import fits, violations
from pricing.models import Offering, PriceBookItem


def price_page(page, mpn: str, **which) -> None:
    pbi = PriceBookItem.objects.filter(item__mpn=mpn, rate__currency="USD", **which).first()
    page.goto(f"/admin/pricing/pricebookitem/{pbi.pk}/change/")


def test_the_price_page_draws_the_cliff_and_the_steps_over_time(page):
    admin_login(page, "northwind", "northwind-demo-2026")

    price_page(page, "NW-API-CALLS", charge_model="volume")
    curves = page.locator("#price-curves")
    expect(curves.get_by_role("img")).to_have_count(1)
    expect(curves.locator("figcaption")).to_have_text(
        "Cliff: 101 units cost 40.40 USD a period, less than 100 units at 50.00 USD."
    )
    expect(curves.locator("line.cliff")).to_have_count(1)
    curves.scroll_into_view_if_needed()
    screenshot(page, "admin-price-curve-volume-cliff")

    price_page(page, "O365-BUS-PREMIUM", pricing_type="interval")
    expect(curves.get_by_role("img")).to_have_count(3)  # two intervals, and time
    expect(curves.locator(".time-curve desc")).to_contain_text(
        "Interval 1, months 0 to 3: 16.50 USD; Interval 2, from month 3 on: 22.00 USD"
    )
    curves.scroll_into_view_if_needed()
    screenshot(page, "admin-price-curve-over-time")


def price_volume_api_calls_in_the_portal() -> Listing:
    """The demo's "Pay as you grow" plan priced by "Platform pay as you go" (API calls by
    volume, with a cliff at 101) instead of "Platform in packages"."""
    listing = Listing.objects.get(offer__name="Pay as you grow", marketplace__code="us")
    Plan.objects.filter(offer=listing.offer).update(
        offering=Offering.objects.get(name="Platform pay as you go")
    )
    return listing


def test_a_distributor_opens_a_prices_curves_from_the_listing(browser, demo):
    volume = price_volume_api_calls_in_the_portal()
    api_calls = PriceBookItem.objects.get(
        item__mpn="NW-API-CALLS", rate__currency="USD", charge_model="volume"
    )
    business = Listing.objects.get(offer__name="For business", marketplace__code="us")
    premium = PriceBookItem.objects.get(
        item__mpn="O365-BUS-PREMIUM", rate__currency="USD", pricing_type="interval"
    )
    axe, found, checked = Axe(), {}, 0
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        suffix = "" if viewport is DESKTOP else "-phone"
        context = session_context(browser, demo, "distributor", viewport)
        page = context.new_page()

        page.goto(f"/portal/listings/{volume.pk}/")
        page.locator(f'td.plan-price a[href*="/prices/{api_calls.pk}/"]').click()
        expect(page.get_by_role("heading", name="Price curve", exact=True)).to_be_visible()
        chart = page.get_by_role("img", name="Amount per period against quantity (USD)")
        expect(chart).to_be_visible()
        expect(chart.locator("line.cliff")).to_have_count(1)
        expect(page.locator("#price-curves figcaption")).to_have_text(
            "Cliff: 101 units cost $40.40 a period, less than 100 units at $50.00."
        )
        screenshot(page, f"portal-price-curve-cliff{suffix}")
        found[f"cliff, {width}"] = violations(page, axe) + ([] if fits(page) else ["too wide"])
        checked += 1

        page.goto(f"/portal/listings/{business.pk}/?lang=de")
        page.locator(f'td.plan-price a[href*="/prices/{premium.pk}/"]').click()
        expect(page.get_by_role("heading", name="Preiskurve", exact=True)).to_be_visible()
        over_time = page.get_by_role("img", name="Betrag pro Zeitraum im Zeitverlauf (USD)")
        expect(over_time).to_be_visible()
        expect(page.locator("figure.time-curve desc")).to_contain_text(
            "Intervall 1, Monate 0 bis 3: 16,50\xa0$; Intervall 2, ab Monat 3: 22,00\xa0$"
        )
        screenshot(page, f"portal-price-curve-over-time-de{suffix}")
        found[f"over time, {width}"] = violations(page, axe) + ([] if fits(page) else ["too wide"])
        checked += 1
        context.close()
    report("e2e: portal price-curve pages checked by axe-core", checked)
    problems = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert problems == [], "\n".join(problems)
