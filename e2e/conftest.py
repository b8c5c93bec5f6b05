"""Browser tests: the demo data on a live server, driven in Debian's Chromium by Playwright.

One Chromium per run of this package, one live server (pytest-django's ``live_server``), a
fresh browser context per test. Chromium is never downloaded: the tests use the ``chromium``
on PATH and fail, with the command that installs it, when there is none.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.tests.generated import wrote

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
TIMEOUT_MS = 60_000  # a slow hour of this machine is not a failure

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"

MISSING_CHROMIUM = (
    "Chromium is not installed (no `chromium` on PATH). The browser tests need Debian's "
    "package: `apt-get update && apt-get install -y chromium` (as root). They never download "
    "a browser, and they are not skipped without one: CI must install it."
)


def chromium_executable() -> str:
    """The ``chromium`` on PATH, or a failure that says how to install it."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    return path


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless Chromium for every browser test of the run."""
    executable = chromium_executable()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # the assertions wait as long as the pages do
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would
    # refuse ORM calls here (SynchronousOnlyOperation); nothing here is async: allow them
    # while the browser is up, and restore the variable afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# The live server speaks plain HTTP to the browser, and serves static files from the finders.
PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "STATIC_ROOT": None,
}


@pytest.fixture(scope="package")
def live_server(django_db_setup) -> Iterator:
    """pytest-django's live server on 127.0.0.1 (a free port), started under ``PLAIN_HTTP``.

    Overrides pytest-django's session-wide ``live_server``: middleware reads settings once,
    when the server builds its handler, so the settings must be in place before it starts
    (the per-test ``settings`` fixture comes too late for SecurityMiddleware's redirect).
    """
    from django.conf import settings
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(**PLAIN_HTTP, STORAGES=storages):
        server = LiveServer("127.0.0.1")
        yield server
        server.stop()


@pytest.fixture
def demo(live_server):
    """The live server's URL, with ``load_demo``'s data in the test database.

    ``live_server`` makes the test transactional: the database is flushed after it.
    """
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def context(browser, demo) -> Iterator:
    """A fresh browser context (no cookies) at desktop width, pointed at the live server."""
    context = browser.new_context(viewport=DESKTOP, base_url=demo, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def session_context(browser, base_url: str, username: str, viewport: dict):
    """A browser context already signed in as ``username`` (a session made on the server side).

    For tests about pages rather than about logging in: it saves a login form per context.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context


def admin_login(page, username: str, password: str) -> None:
    """Log in through the admin's login form and land on the admin index."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def portal_login(page, username: str, password: str) -> None:
    """Log in through the portal's login form and land on the portal index."""
    page.goto("/portal/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/portal/")


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-output/screenshots/ and remember it for the summary."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)  # a file left by an earlier run must not pass for this one
    page.screenshot(path=str(path), full_page=True)
    wrote(path)  # listed in the pytest summary (the root conftest)
    return path
