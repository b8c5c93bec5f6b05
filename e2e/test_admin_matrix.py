"""Vendor staff edit one cell of the plan × feature matrix in the admin, and it is saved."""

from playwright.sync_api import expect

from catalog.models import Offer, PlanFeature
from e2e.conftest import admin_login

OFFER = "For business"  # the Microsoft 365-style offer of seed 000
CELL = "Apps: Teamwork and communication"  # plan "Apps", feature "Teamwork and communication"


def cell_value(plan: str, feature: str) -> PlanFeature | None:
    """The stored cell; an empty cell (not included, no text) may have no row."""
    return PlanFeature.objects.filter(
        plan__offer__name=OFFER, plan__name=plan, feature__name=feature
    ).first()


def test_vendor_staff_edit_a_matrix_cell_and_it_is_saved(page):
    before = cell_value("Apps", "Teamwork and communication")
    assert before is None or (before.included, before.text) == (False, "")  # empty in the demo
    cells_before = PlanFeature.objects.filter(plan__offer__name=OFFER).count()

    admin_login(page, "northwind", "northwind-demo-2026")
    page.locator("tr.model-offer").get_by_role("link", name="Offers", exact=True).click()
    page.get_by_role("link", name=OFFER, exact=True).click()
    expect(page.get_by_role("heading", name="Plan × feature matrix")).to_be_visible()

    included = page.get_by_label(f"{CELL} (included)", exact=True)
    text = page.get_by_label(f"{CELL} (text)", exact=True)
    expect(included).not_to_be_checked()
    expect(text).to_have_value("")
    included.check()
    text.fill("up to 300 users, apps only")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    page.reload()
    expect(page.get_by_label(f"{CELL} (included)", exact=True)).to_be_checked()
    expect(page.get_by_label(f"{CELL} (text)", exact=True)).to_have_value(
        "up to 300 users, apps only"
    )

    after = cell_value("Apps", "Teamwork and communication")
    assert (after.included, after.text) == (True, "up to 300 users, apps only")
    # One cell written (a new row if the empty cell had none), no other cell touched.
    assert PlanFeature.objects.filter(plan__offer__name=OFFER).count() == cells_before + (
        before is None
    )
    untouched = cell_value("Basic", "Teamwork and communication")
    assert (untouched.included, untouched.text) == (True, "up to 300 users")
    offer = Offer.objects.get(name=OFFER)
    assert offer.product.vendor.slug == "northwind"
