"""A locked offering in the admin: read-only items and type, the list's refusal, the way out
(clone, edit the copy, inactivate the original), the original read as retired, and the
original's audit page that shows all of it."""

from playwright.sync_api import expect

from e2e.conftest import WIDTHS, admin_login, screenshot
from pricing.models import LockRefusal, Offering

ORIGINAL = "Seats with implementation fee"  # demo offering with active rates: locked
COPY = "Seats with implementation fee (2026)"
NEW_ITEM = ("NW-API-CALLS", "API calls [NW-API-CALLS]")  # a usage item: fine for its type


def open_offering(page, name: str) -> None:
    page.goto("/admin/pricing/offering/")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h2", has_text=name).first).to_be_visible()


def add_item_row(page, search: str, option: str) -> None:
    """Add an offering-item row and pick the item in its autocomplete (select2) box.

    The new row is the one without a stored object: counting rows instead would race the
    admin's inlines.js, which marks the rows only once it has run.
    """
    group = page.locator("#offering_items-group")
    group.get_by_role("button", name="Add another Offering item").click()
    row = group.locator("tr.form-row.dynamic-offering_items:not(.has_original)")
    expect(row).to_have_count(1)
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).click()
    expect(row.locator(".select2-selection__rendered")).to_have_text(option)
    row.locator("input[name$='-default_quantity']").fill("0")


def item_mpns(offering: Offering) -> set[str]:
    return set(offering.offering_items.values_list("item__mpn", flat=True))


def test_locked_offering_refused_then_cloned_edited_and_inactivated(page):
    original = Offering.objects.get(name=ORIGINAL)
    items_before = item_mpns(original)
    admin_login(page, "northwind", "northwind-demo-2026")

    # 1. The locked offering shows its items and type read-only; the list still refuses a
    #    new type, with the code and the reasons, and records who tried.
    open_offering(page, ORIGINAL)
    lock_status = page.locator(".field-lock_status")
    expect(lock_status).to_contain_text("OFFERING_LOCKED")
    expect(page.locator("#lock-banner")).to_contain_text("rate 'USD monthly' is active")
    expect(page.locator("select[name=type]")).to_have_count(0)
    expect(page.get_by_role("button", name="Add another Offering item")).to_have_count(0)
    page.goto("/admin/pricing/offering/")
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=ORIGINAL, exact=True)
    )
    row.locator("select[name$='-type']").select_option("one_time")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("p.errornote")).to_be_visible()
    refusal = page.locator("#result_list ul.errorlist")  # the row's errors: a row above it
    expect(refusal).to_contain_text("OFFERING_LOCKED")
    expect(refusal).to_contain_text("rate 'USD monthly' is active")
    assert item_mpns(original) == items_before
    original.refresh_from_db()
    assert original.type == Offering.Type.SUBSCRIPTION
    assert LockRefusal.objects.filter(offering=original, code="OFFERING_LOCKED").count() == 1

    # 2. Clone it on the page that asks for the copy's name.
    open_offering(page, ORIGINAL)
    page.locator(".field-lock_status").get_by_role("link", name="Clone…").click()
    expect(page.locator("h1")).to_contain_text(f"Clone {ORIGINAL}")
    page.get_by_label("Name").fill(COPY)
    page.get_by_role("button", name="Clone").click()
    expect(page.locator("ul.messagelist")).to_contain_text(f"Cloned as {COPY}")
    expect(page.locator(".field-lock_status")).to_contain_text("Editable: not in use.")
    expect(page.locator("#lock-banner")).to_have_count(0)
    copy = Offering.objects.get(name=COPY)
    assert item_mpns(copy) == items_before
    assert set(copy.rates.values_list("status", flat=True)) == {"draft"}

    # 3. The copy takes the new item.
    add_item_row(page, "API", NEW_ITEM[1])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("p.errornote")).to_have_count(0)
    assert item_mpns(copy) == items_before | {NEW_ITEM[0]}
    assert item_mpns(original) == items_before

    # 4. Inactivate the original with the list's action.
    page.goto("/admin/pricing/offering/")
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=ORIGINAL, exact=True)
    )
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Inactivate selected offerings")
    page.get_by_role("button", name="Go").click()
    # It asks first, with what the copy changes: the item it added.
    diff = page.locator(f"#offering-diff-{original.pk}-{copy.pk}")
    expect(diff.locator(".diff-items tr.diff-row-added")).to_contain_text(NEW_ITEM[0])
    page.get_by_role("button", name="Yes, inactivate").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 offering(s) inactivated.")
    original.refresh_from_db()
    assert original.status == Offering.Status.INACTIVE
    copy.refresh_from_db()
    assert copy.status == Offering.Status.ACTIVE

    # 5. The inactivated original reads as retired, still held by what was sold.
    open_offering(page, ORIGINAL)
    expect(page.locator("#lock-banner")).to_contain_text("Retired: this offering is inactive")
    expect(page.locator("#lock-banner")).not_to_contain_text("in use")

    # 6. The original's audit page shows the refusal, the clone and the inactivation.
    open_offering(page, ORIGINAL)
    page.locator(".field-lock_status").get_by_role("link", name="Audit trail").click()
    expect(page.locator("h1")).to_contain_text(f"Audit trail: {ORIGINAL}")
    refusals = page.locator(".module", has=page.get_by_role("heading", name="Refused attempts"))
    expect(refusals.locator("tbody tr")).to_have_count(1)
    expect(refusals.locator("tbody tr")).to_contain_text("northwind")
    expect(refusals.locator("tbody tr")).to_contain_text("OFFERING_LOCKED")
    expect(refusals.locator("tbody tr")).to_contain_text("change type")
    versions = page.locator(".module", has=page.get_by_role("heading", name="Versions"))
    inactivation = versions.locator("tbody tr", has_text="inactivated in admin")
    expect(inactivation).to_have_count(1)
    expect(inactivation).to_contain_text("northwind")
    expect(inactivation).to_contain_text("Status: Active → Inactive")
    clone = versions.locator("tbody tr", has_text=f"cloned as #{copy.pk} {COPY}")
    expect(clone).to_have_count(1)
    expect(clone).to_contain_text("northwind")
    for width, viewport in WIDTHS.items():  # the audit page with all of it, for people to see
        page.set_viewport_size(viewport)
        screenshot(page, f"admin-offering-audit-after-clone-{width}")
