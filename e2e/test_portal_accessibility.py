"""axe-core finds no serious or critical violation on any portal page, in any of its
languages, at either width."""

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

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


LANGUAGES = ("en", "de", "fr")


def with_lang(url: str, language: str) -> str:
    return url if language == "en" else f"{url}{'&' if '?' in url else '?'}lang={language}"


def test_portal_pages_have_no_serious_or_critical_axe_violations(browser, demo):
    """Every portal page, in English, German and French, at desktop and phone widths."""
    get_user_model().objects.create_user("no-organization", password="no-organization-2026")
    business = Listing.objects.get(offer__name="For business", marketplace__code="us")
    home = Listing.objects.get(offer__name="For home", marketplace__code="us")
    draft = Listing.objects.get(offer__name="For home", marketplace__code="eu")
    pages = {
        "distributor": [
            ("index", "/portal/", 200),
            ("index, searched", "/portal/?q=business", 200),
            ("listing", f"/portal/listings/{business.pk}/", 200),
            ("listing with add-ons", f"/portal/listings/{home.pk}/", 200),
        ],
        "northwind": [("vendor preview of a draft", f"/portal/listings/{draft.pk}/", 200)],
        "no-organization": [("no access", "/portal/", 403)],
    }
    axe = Axe()
    found, checked = {}, 0
    for width, viewport in WIDTHS.items():
        context = browser.new_context(base_url=demo, viewport=viewport)
        page = context.new_page()
        for language in LANGUAGES:
            page.goto(with_lang("/portal/login/", language))
            assert page.locator("html").get_attribute("lang") == language
            found[f"login, {language}, {width}"] = blocking_violations(page, axe)
            checked += 1
        context.close()
        for user, urls in pages.items():
            context = session_context(browser, demo, user, viewport)
            page = context.new_page()
            for name, url, status in urls:
                for language in LANGUAGES:
                    assert page.goto(with_lang(url, language)).status == status, url
                    assert page.locator("html").get_attribute("lang") == language
                    found[f"{name}, {language}, {width}"] = blocking_violations(page, axe)
                    checked += 1
            context.close()
    report("e2e: portal pages checked by axe-core", checked)

    failures = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert checked == 2 * 3 * (1 + 6)
    assert not failures, "axe-core, serious or critical:\n" + "\n".join(failures)
