"""Production settings pass Django's deploy checks; logins are guarded against guessing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k3x!9v#q-production-like-secret-" + "z" * 40,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "catalog.example.com",
    "DATABASE_URL": "sqlite:////tmp/catalog-deploy-check.sqlite3",
}


def run_deploy_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SECURE_SSL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_variables():
    result = run_deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_a_secret_key():
    result = run_deploy_check({k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_deploy_check_fails_with_debug_on():
    result = run_deploy_check({**PRODUCTION, "DEBUG": "1"})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(client, settings):
    UserFactory(username="victim", is_staff=True, password="right-password-123")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "victim", "password": "guess"})
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = client.post(url, {"username": "victim", "password": "guess"})
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert response["Retry-After"] == "3600"
    # Even the right password is refused while the lock holds.
    response = client.post(url, {"username": "victim", "password": "right-password-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_works_and_resets_the_count(client):
    UserFactory(username="staff", is_staff=True, password="right-password-123")
    url = reverse("admin:login")
    client.post(url, {"username": "staff", "password": "guess"})
    response = client.post(
        url, {"username": "staff", "password": "right-password-123", "next": reverse("admin:index")}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
