"""axe-core finds no serious or critical violation on any portal page, at either width."""

from axe_playwright_python.sync_playwright import Axe

from catalog.models import Listing
from catalog.tests.generated import report
from e2e.conftest import WIDTHS, session_context

BLOCKING = {"serious", "critical"}


def blocking_violations(page, axe: Axe) -> list[str]:
    """One line per serious or critical violation: rule, impact, what it means, where."""
    lines = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        elements = "; ".join(
            f"{' '.join(node['target'])} {node['html'][:100]}" for node in violation["nodes"]
        )
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {elements}")
    return lines


def test_the_check_reports_serious_and_critical_violations(browser):
    """The wiring works: a page with known faults is reported, rule and element."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html><body><main><img src="x.png"></main></body></html>')
    lines = blocking_violations(page, Axe())
    context.close()
    assert any(line.startswith("image-alt (critical)") and "<img" in line for line in lines)
    assert any(line.startswith("html-has-lang (serious)") for line in lines)


def test_portal_pages_have_no_serious_or_critical_axe_violations(browser, demo):
    listing = Listing.objects.get(offer__name="For business", marketplace__code="us")
    home = Listing.objects.get(offer__name="For home", marketplace__code="us")
    pages = [
        ("index", "/portal/"),
        ("listing", f"/portal/listings/{listing.pk}/"),
        ("listing in German", f"/portal/listings/{home.pk}/?lang=de"),
    ]
    axe = Axe()
    found, checked = {}, 0
    for width, viewport in WIDTHS.items():
        context = browser.new_context(base_url=demo, viewport=viewport)
        page = context.new_page()
        page.goto("/portal/login/")
        found[f"login, {width}"] = blocking_violations(page, axe)
        context.close()
        context = session_context(browser, demo, "distributor", viewport)
        page = context.new_page()
        for name, url in pages:
            assert page.goto(url).status == 200, url
            found[f"{name}, {width}"] = blocking_violations(page, axe)
        checked += 1 + len(pages)
        context.close()
    report("e2e: portal pages checked by axe-core", checked)

    failures = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert checked == 8
    assert not failures, "axe-core, serious or critical:\n" + "\n".join(failures)
