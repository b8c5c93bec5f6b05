"""No page of the app asks another host for anything: the admin (every changelist, a change
page and the add page of each model), the portal, and the API docs (Swagger UI and ReDoc,
served from drf-spectacular-sidecar's static files). The docs pages render their operations
without a script error; the schema reads as text in a browser; /favicon.ico answers."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from catalog.models import Listing
from catalog.tests.generated import report
from e2e.conftest import DESKTOP, session_context

LOCAL_SCHEMES = {"data", "blob", "about"}


def admin_pages() -> list[str]:
    """Each registered model's changelist, add page and the change page of its first row,
    and the spreadsheet pages."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="admin")
    urls = [
        "/admin/",
        reverse("admin:exchange_index"),
        reverse("admin:exchange_export", args=["northwind"]),
        reverse("admin:exchange_import", args=["northwind"]),
    ]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        try:
            urls.append(reverse(f"{prefix}_changelist"))
        except NoReverseMatch:
            continue
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
    return urls


def visit(page, url: str, elsewhere: list[str], base: str) -> int:
    """Load ``url`` and note every request the page makes to another host."""
    host = urlsplit(base).netloc

    def note(request):
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts.netloc != host:
            elsewhere.append(f"{url} → {request.url}")

    def blocked(request):  # the page's own policy stopped it: nothing left the browser
        if request.failure == "csp":  # Chromium: blocked by Content-Security-Policy
            elsewhere.remove(f"{url} → {request.url}")

    page.on("request", note)
    page.on("requestfailed", blocked)
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", note)
    page.remove_listener("requestfailed", blocked)
    return response.status


def test_no_admin_portal_or_docs_page_requests_another_host(browser, demo):
    elsewhere: list[str] = []
    visited = 0
    context = session_context(browser, demo, "admin", DESKTOP)
    page = context.new_page()
    for url in admin_pages():
        assert visit(page, url, elsewhere, demo) == 200, url
        visited += 1
    context.close()

    context = session_context(browser, demo, "distributor", DESKTOP)
    page = context.new_page()
    listings = Listing.objects.filter(status=Listing.Status.LISTED).order_by("pk")
    for url in ["/portal/", *(f"/portal/listings/{listing.pk}/" for listing in listings)]:
        assert visit(page, url, elsewhere, demo) == 200, url
        visited += 1
    context.close()

    context = browser.new_context(base_url=demo, viewport=DESKTOP)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    assert visit(page, "/api/docs/", elsewhere, demo) == 200
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 50  # every operation, rendered by Swagger UI
    assert visit(page, "/api/redoc/", elsewhere, demo) == 200
    page.get_by_text("Catalog manager API").first.wait_for()
    assert errors == []
    visited += 2
    context.close()

    report("e2e: pages checked for requests to other hosts", visited)
    assert elsewhere == []
    assert visited > 40


def test_the_schema_reads_as_text_in_a_browser_and_the_favicon_answers(browser, demo):
    context = browser.new_context(base_url=demo, viewport=DESKTOP)
    page = context.new_page()
    response = page.goto("/api/schema/")  # a download would raise here ("Download is starting")
    assert response.headers["content-type"].startswith("text/plain")
    assert page.locator("body").inner_text().startswith("openapi: 3")
    icon = page.goto("/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    context.close()
