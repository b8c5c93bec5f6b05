"""In the browser: the item-group picker offers the item's own product's groups by their full
path; features are added from the offer page, which a saved feature group returns to; and
the offer page names the plans distributors see as "Price on request", with the reason."""

from __future__ import annotations

from playwright.sync_api import expect

from catalog.models import Feature, Item, Offer
from catalog.tests.generated import report
from e2e.conftest import DESKTOP, screenshot, session_context


def test_the_group_picker_offers_the_items_own_groups_by_their_path(browser, demo):
    item = Item.objects.filter(group__isnull=False, product__vendor__slug="fabrikam").first()
    context = session_context(browser, demo, "fabrikam", DESKTOP)
    page = context.new_page()
    page.goto(f"/admin/catalog/item/{item.pk}/change/")
    page.locator(".field-group .select2-selection").click()
    options = page.locator(".select2-results__option")
    expect(options.first).to_contain_text(" › ")
    texts = options.all_inner_texts()
    assert texts and all(text.startswith(f"{item.product.name} › ") for text in texts), texts
    assert len(texts) == len(set(texts)), texts  # no "Size S" twice
    report("e2e: item-group picker options (full paths, one product)", len(texts))
    context.close()


def test_features_are_added_on_the_offer_page_and_a_saved_group_returns_there(browser, demo):
    offer = Offer.objects.get(name="For business")
    group = offer.feature_groups.order_by("position", "pk").first()
    context = session_context(browser, demo, "northwind", DESKTOP)
    page = context.new_page()
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(f"/admin/catalog/offer/{offer.pk}/change/")
    page.get_by_label("Add features to").select_option(str(group.pk))
    page.get_by_label("New features").fill("Audit log\nSingle sign-on")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    page.wait_for_load_state("load")
    report("e2e: two features added from the offer page, page loads", len(loads))
    report("e2e: two features added from the offer page, saves", 1)
    assert len(loads) == 2  # the offer page, and the same page saved
    assert set(
        Feature.objects.filter(group=group, name__in=["Audit log", "Single sign-on"]).values_list(
            "name", flat=True
        )
    ) == {"Audit log", "Single sign-on"}
    expect(page.locator("#feature-matrix")).to_contain_text("Single sign-on")

    page.goto(f"/admin/catalog/featuregroup/{group.pk}/change/")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/admin/catalog/offer/{offer.pk}/change/**")
    screenshot(page, "admin-offer-features-added-desktop")
    context.close()


def test_the_offer_page_names_the_plans_shown_as_price_on_request(browser, demo):
    offer = Offer.objects.get(name="For home")
    context = session_context(browser, demo, "northwind", DESKTOP)
    page = context.new_page()
    page.goto(f"/admin/catalog/offer/{offer.pk}/change/")
    hints = page.locator(".field-unpriced_plans")
    expect(hints).to_be_visible()
    # The draft European listing: the offering's rates sell in USD on North America only.
    expect(hints).to_contain_text(
        "Plan Personal: no active rate of offering 'Office 365 for home' sells in EUR on Europe"
    )
    screenshot(page, "admin-offer-unpriced-plans-desktop")
    context.close()
