"""Vendor staff build a two-level variation tree, shirt → colour → size, with the product
page's generator in one save; the page loads and saves it took are counted and printed."""

from playwright.sync_api import expect

from catalog.models import Item, ItemGroup, Product
from catalog.tests.generated import report
from e2e.conftest import WIDTHS, admin_login, screenshot

ADD = "/admin/catalog/product/add/"


def test_a_two_level_tree_is_built_in_one_save(page):
    errors, loads, saves = [], [], []
    page.on("pageerror", lambda error: errors.append(error))
    admin_login(page, "fabrikam", "fabrikam-demo-2026")
    page.on("load", lambda _page: loads.append(page.url))
    page.on(
        "request",
        lambda request: (
            saves.append(request.url)
            if request.method == "POST" and request.is_navigation_request()
            else None
        ),
    )

    page.goto(ADD)
    expect(page.get_by_role("heading", name="Generate variations")).to_be_visible()
    expect(page.get_by_text("Levels go from the top of the tree down")).to_be_visible()
    page.locator("#id_name").fill("Tee")
    page.get_by_label("Level 1: name").fill("colour")
    page.get_by_label("Level 1: values").fill("Red, Green")
    page.get_by_label("Level 2: name").fill("size")
    page.get_by_label("Level 2: values").fill("S, M, L")
    page.get_by_label("MPN pattern").fill("{product}-{colour}-{size}")
    page.get_by_label("Kind of the new items").select_option("one_time")
    page.get_by_label("Unit of the new items").fill("piece")
    page.get_by_role("button", name="Save and continue editing").click()

    messages = page.locator("ul.messagelist")
    expect(messages).to_contain_text("6 items were generated.")
    tree = page.locator(".variation-tree")
    expect(tree).to_contain_text("Green")
    expect(tree).to_contain_text("TEE-GREEN-L")
    page.wait_for_load_state("load")  # the text shows before the landed page's load event

    report("variation tree (2 levels, 6 items): page loads", len(loads))
    report("variation tree (2 levels, 6 items): saves", len(saves))
    print(f"\nVariation tree: {len(loads)} page loads, {len(saves)} saves")
    assert len(saves) == 1
    assert len(loads) == 2  # the add page, and the product page the save lands on

    product = Product.objects.get(name="Tee", vendor__slug="fabrikam")
    groups = ItemGroup.objects.filter(product=product).with_paths()
    assert sorted(str(group) for group in groups) == sorted(
        ["Tee › Red", "Tee › Green"] + [f"Tee › {c} › {s}" for c in ("Red", "Green") for s in "SML"]
    )
    items = Item.objects.filter(product=product).select_related("group")
    assert sorted((item.mpn, item.group.name, item.kind) for item in items) == sorted(
        (f"TEE-{c.upper()}-{s}", s, "one_time") for c in ("Red", "Green") for s in "SML"
    )
    assert not errors

    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"admin-product-variations-{width}")


def test_a_taken_mpn_is_shown_next_to_the_pattern_and_nothing_is_made(page):
    admin_login(page, "fabrikam", "fabrikam-demo-2026")
    shirt = Product.objects.get(name="Shirt", vendor__slug="fabrikam")
    before = (shirt.items.count(), shirt.item_groups.count())
    page.goto(f"/admin/catalog/product/{shirt.pk}/change/")
    page.get_by_label("Level 1: name").fill("colour")
    page.get_by_label("Level 1: values").fill("Red")
    page.get_by_label("Level 2: name").fill("size")
    page.get_by_label("Level 2: values").fill("S")
    page.get_by_role("button", name="Save and continue editing").click()

    error = page.locator(".form-row.field-mpn_pattern .errorlist")
    expect(error).to_contain_text("This product already has an item with MPN SHIRT-RED-S.")
    assert (shirt.items.count(), shirt.item_groups.count()) == before
