"""Logging in and out of the portal, through django-axes."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from catalog.tests.factories import distributor_user
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's


@pytest.fixture
def member(distributor):
    return distributor_user(distributor, username="dana")


def log_in(client, username, password, **extra):
    return client.post("/portal/login/", {"username": username, "password": password, **extra})


def test_the_login_page(client, db):
    response = client.get("/portal/login/")
    assert response.status_code == 200
    page = parse(response)
    form = page.find("form", action="/portal/login/")
    assert form.find("input", name="username").attrs["autocomplete"] == "username"
    assert form.find("input", name="password").attrs["type"] == "password"
    assert [button.text for button in form.find_all("button")] == ["Log in"]
    assert page.find("label", for_="id_username").text == "Username"
    assert page.find("html").attrs["lang"] == "en"


def test_logging_in_goes_to_the_portal(client, member):
    response = log_in(client, "dana", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_logging_in_returns_to_the_page_asked_for(client, member):
    response = log_in(client, "dana", PASSWORD, next="/portal/?q=office")
    assert response["Location"] == "/portal/?q=office"


def test_an_unsafe_next_is_ignored(client, member):
    response = log_in(client, "dana", PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/portal/"


def test_a_wrong_password_is_refused_and_counted_by_axes(client, member):
    response = log_in(client, "dana", "wrong")
    assert response.status_code == 200
    assert (
        "Please enter a correct username and password"
        in parse(response).find(class_="alert-error").text
    )
    assert AccessAttempt.objects.get(username="dana").failures_since_start == 1


def test_the_login_page_and_its_errors_follow_a_german_browser(client, member):
    response = client.post(
        "/portal/login/",
        {"username": "dana", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    page = parse(response)
    assert page.find("html").attrs["lang"] == "de"
    assert page.find("label", for_="id_username").text == "Benutzername"
    # Django's own message, from Django's German catalogue: one language on the page.
    assert "Bitte Benutzername und Passwort eingeben" in page.find(class_="alert-error").text


def test_the_language_switch_on_the_login_page_keeps_the_language_when_posting(client, member):
    page = parse(client.get("/portal/login/", {"lang": "fr"}))
    assert page.find("html").attrs["lang"] == "fr"
    assert page.find("form", action="/portal/login/?lang=fr").find("button").text == "Se connecter"


def test_too_many_failures_lock_the_account(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "dana", "wrong")
    response = log_in(client, "dana", PASSWORD)
    assert response.status_code == 429
    assert client.get("/portal/").status_code == 302  # still signed out


def test_a_signed_in_user_skips_the_login_page(client, member):
    client.force_login(member)
    response = client.get("/portal/login/")
    assert (response.status_code, response["Location"]) == (302, "/portal/")


def test_logging_out_ends_the_session(client, member):
    client.force_login(member)
    page = parse(client.get("/portal/"))
    form = page.find("form", action="/portal/logout/")
    assert form.attrs["method"] == "post"
    assert form.find("button").text == "Log out"
    response = client.post("/portal/logout/")
    assert (response.status_code, response["Location"]) == (302, "/portal/login/")
    assert client.get("/portal/").status_code == 302
