"""A distributor in the portal sees only its marketplaces' listed listings, and finds the
Microsoft 365-style offer's plan × feature matrix and plan prices."""

import re

from playwright.sync_api import expect

from catalog.models import Distributor, Listing
from e2e.conftest import portal_login

OFFER = "For business"


def listing_hrefs(page) -> set[str]:
    links = page.locator("a.listing-link")
    return {links.nth(i).get_attribute("href").split("?")[0] for i in range(links.count())}


def test_distributor_sees_its_listings_and_the_offer_matrix_with_prices(page):
    distributor = Distributor.objects.get(slug="adventure")
    listed = Listing.objects.filter(
        status=Listing.Status.LISTED, marketplace__in=distributor.marketplaces.all()
    )
    unseen = Listing.objects.exclude(pk__in=listed)
    assert unseen.exists()  # the demo has a draft listing: it must stay out of sight
    business_us = listed.get(offer__name=OFFER, marketplace__code="us")

    portal_login(page, "distributor", "distributor-demo-2026")

    # The index: exactly the listed listings of the distributor's marketplaces.
    assert listing_hrefs(page) == {f"/portal/listings/{listing.pk}/" for listing in listed}
    for listing in unseen:
        response = page.request.get(f"/portal/listings/{listing.pk}/")
        assert response.status == 404, listing

    # Search and filters narrow the list.
    page.locator("input[name=q]").fill("business")
    page.get_by_role("button", name="Show listings").click()
    expect(page.locator("a.listing-link")).to_have_count(listed.filter(offer__name=OFFER).count())
    expect(page.locator("a.listing-link").first).to_have_text(OFFER)
    page.locator("select[name=marketplace]").select_option(label="North America (USD)")
    page.get_by_role("button", name="Show listings").click()
    expect(page.locator("a.listing-link")).to_have_count(1)

    # The listing page: heading, the matrix with every plan, a price per plan, the items.
    page.locator("a.listing-link", has_text=OFFER).click()
    page.wait_for_url(f"**/portal/listings/{business_us.pk}/**")
    expect(page.locator("h1")).to_have_text(OFFER)
    matrix = page.locator("table.feature-matrix")
    expect(matrix).to_be_visible()
    for plan in ("Basic", "Standard", "Premium", "Apps"):
        expect(matrix.locator("thead th", has_text=plan)).to_have_count(1)
    expect(matrix).to_contain_text("Teamwork and communication")
    expect(matrix).to_contain_text("up to 300 users")
    expect(matrix.locator("td.included")).not_to_have_count(0)
    prices = matrix.locator("td.plan-price")
    expect(prices).to_have_count(4)
    for i in range(4):
        expect(prices.nth(i)).to_have_text(re.compile(r"\$\s?\d"))  # USD on North America
    items = page.locator("section#items")
    expect(items).to_contain_text("O365-BUS-BASIC")
    expect(items).to_contain_text("Web and mobile Office apps, Teams, business email")

    # Item texts follow the chosen language.
    page.locator("a[hreflang=de]").first.click()
    expect(page.locator("section#items")).to_contain_text(
        "Office im Web, Teams, E-Mail und 1 TB Speicher."
    )
    expect(page.locator("h1")).to_have_text(OFFER)
