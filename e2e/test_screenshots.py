"""Screenshots of the main pages at desktop and phone widths, under test-output/screenshots/."""

import struct

from catalog.models import Listing
from e2e.conftest import SCREENSHOTS, WIDTHS, screenshot, session_context
from pricing.models import Offering

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_main_pages_are_captured_at_desktop_and_phone_widths(browser, demo):
    listing = Listing.objects.get(
        offer__name="For business", marketplace__code="us", status=Listing.Status.LISTED
    )
    offering = Offering.objects.get(name="Seats with implementation fee")
    pages = {
        "distributor": [
            ("portal-index", "/portal/"),
            ("portal-listing", f"/portal/listings/{listing.pk}/"),
        ],
        "northwind": [
            ("admin-offer-matrix", f"/admin/catalog/offer/{listing.offer_id}/change/"),
            ("admin-offering-audit", f"/admin/pricing/offering/{offering.pk}/audit/"),
        ],
    }
    expected = []
    for user, urls in pages.items():
        context = session_context(browser, demo, user, WIDTHS["desktop"])
        page = context.new_page()
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for name, url in urls:
                response = page.goto(url)
                assert response.status == 200, url
                expected.append((screenshot(page, f"{name}-{width}"), viewport["width"]))
        context.close()

    assert len(expected) == 8
    for path, viewport_width in expected:
        assert path.parent == SCREENSHOTS
        data = path.read_bytes()
        width, height = png_size(data)
        assert width >= viewport_width and height > 0, path
        assert len(data) > 5_000, f"{path} is suspiciously small ({len(data)} bytes)"
    print("\nScreenshots:", *(str(path) for path, _ in expected), sep="\n  ")
