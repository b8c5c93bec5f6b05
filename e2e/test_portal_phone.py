"""At phone width the listings are cards that name their marketplace, and the plan × feature
matrix keeps its header and first column in view while it scrolls, with a visible hint."""

from playwright.sync_api import expect

from catalog.models import Listing
from e2e.conftest import WIDTHS, screenshot, session_context


def test_listings_are_cards_naming_their_marketplace_on_a_phone(browser, demo):
    context = session_context(browser, demo, "distributor", WIDTHS["phone"])
    page = context.new_page()
    page.goto("/portal/?q=business")
    rows = page.locator("table.listings tbody tr")
    expect(rows).to_have_count(2)  # For business on North America and on Europe
    for index in range(2):
        row = rows.nth(index)
        assert row.evaluate("row => getComputedStyle(row).display") == "block"
        marketplace = row.locator("td.marketplace")
        expect(marketplace).to_be_visible()
        label = marketplace.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Marketplace"'
    assert rows.nth(0).locator("td.marketplace").inner_text() != (
        rows.nth(1).locator("td.marketplace").inner_text()
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTHS["phone"]["width"], "the cards fit the phone: no sideways scrolling"
    screenshot(page, "portal-listing-cards-phone")

    page.goto("/portal/?q=business&lang=de")
    label = page.locator("td.marketplace").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"Marktplatz"'
    context.close()


def test_the_matrix_header_and_first_column_stick_and_a_hint_says_it_scrolls(browser, demo):
    listing = Listing.objects.get(offer__name="For business", marketplace__code="us")
    for width, viewport in WIDTHS.items():
        context = session_context(browser, demo, "distributor", viewport)
        page = context.new_page()
        page.goto(f"/portal/listings/{listing.pk}/")
        box = page.locator(".matrix-scroll")
        hint = page.locator("#matrix-scroll-hint")
        overflows = box.evaluate("box => box.scrollWidth > box.clientWidth")
        if width == "phone":
            assert overflows
            expect(hint).to_be_visible()
            expect(hint).to_contain_text("scrolls sideways")
        else:
            assert not overflows  # four plans fit a desktop: no hint
            expect(hint).to_be_hidden()

        box.scroll_into_view_if_needed()
        box.evaluate("box => box.scrollTo(box.scrollWidth, box.scrollHeight)")
        page.wait_for_function(
            "() => { const b = document.querySelector('.matrix-scroll');"
            " return b.scrollTop > 0 || b.scrollHeight <= b.clientHeight; }"
        )
        frame = box.bounding_box()
        header = page.locator(".feature-matrix thead th.plan-name").last.bounding_box()
        first_column = page.locator(".feature-matrix tbody th[scope=row]").last.bounding_box()
        corner = page.locator(".feature-matrix thead th.corner").bounding_box()
        # The header sits at the top of the box and the feature names at its left edge.
        assert abs(header["y"] - frame["y"]) <= 2, (width, header, frame)
        assert abs(first_column["x"] - frame["x"]) <= 2, (width, first_column, frame)
        assert abs(corner["x"] - frame["x"]) <= 2 and abs(corner["y"] - frame["y"]) <= 2
        screenshot(page, f"portal-matrix-sticky-{width}")
        context.close()
