"""An API token ends when its user's password changes: the old key answers 401 and the token
endpoint hands back a new one. Saving the user without changing the password keeps it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
READ_URL = "/api/v1/products/"
PASSWORD = "correct-horse-battery"  # the user factory's
NEW_PASSWORD = "staple-rhubarb-lantern-9"


def token_for(username, password):
    response = APIClient().post(TOKEN_URL, {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def answers(key) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(READ_URL).status_code


@pytest.fixture
def old_key(vendor_user):
    key = token_for(vendor_user.username, PASSWORD)
    assert answers(key) == 200
    return key


def assert_rotated(user, old_key, password):
    assert answers(old_key) == 401
    new_key = token_for(user.username, password)
    assert new_key != old_key
    assert answers(new_key) == 200


def test_set_password_and_save_ends_the_token(vendor_user, old_key):
    vendor_user.set_password(NEW_PASSWORD)
    vendor_user.save()

    assert_rotated(vendor_user, old_key, NEW_PASSWORD)


def test_set_password_saved_with_update_fields_ends_the_token(vendor_user, old_key):
    vendor_user.set_password(NEW_PASSWORD)
    vendor_user.save(update_fields=["password"])

    assert_rotated(vendor_user, old_key, NEW_PASSWORD)


def test_the_admin_s_password_change_form_ends_the_token(superuser_client, vendor_user, old_key):
    url = reverse("admin:auth_user_password_change", args=[vendor_user.pk])
    response = superuser_client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )

    assert response.status_code == 302, response.context["form"].errors
    assert_rotated(vendor_user, old_key, NEW_PASSWORD)


def test_disabling_password_authentication_in_the_admin_ends_the_token(
    superuser_client, vendor_user, old_key
):
    url = reverse("admin:auth_user_password_change", args=[vendor_user.pk])
    # The page's "Disable password-based authentication" button.
    response = superuser_client.post(url, {"usable_password": "false", "unset-password": "1"})

    assert response.status_code == 302, response.context["form"].errors
    assert not get_user_model().objects.get(pk=vendor_user.pk).has_usable_password()
    assert answers(old_key) == 401
    assert not Token.objects.filter(user=vendor_user).exists()


def test_django_s_password_change_view_ends_the_token(vendor_client, vendor_user, old_key):
    response = vendor_client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert_rotated(vendor_user, old_key, NEW_PASSWORD)


def test_saving_the_user_with_the_same_password_keeps_the_token(vendor_user, old_key):
    user = get_user_model().objects.get(pk=vendor_user.pk)
    user.first_name = "Nancy"
    user.save()
    user.last_name = "Davolio"
    user.save(update_fields=["last_name"])

    assert answers(old_key) == 200
    assert token_for(vendor_user.username, PASSWORD) == old_key


def test_editing_the_user_in_the_admin_keeps_the_token(superuser_client, vendor_user, old_key):
    url = reverse("admin:auth_user_change", args=[vendor_user.pk])
    data = change_form_data(superuser_client.get(url))
    joined = timezone.localtime(vendor_user.date_joined)  # the admin splits it in two inputs
    data["date_joined_0"] = joined.date().isoformat()
    data["date_joined_1"] = joined.time().replace(microsecond=0).isoformat()
    data["first_name"] = "Nancy"

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert get_user_model().objects.get(pk=vendor_user.pk).first_name == "Nancy"
    assert answers(old_key) == 200
    assert token_for(vendor_user.username, PASSWORD) == old_key


def test_other_users_tokens_are_kept(vendor_user, other_vendor_user, old_key):
    other_key = token_for(other_vendor_user.username, PASSWORD)

    vendor_user.set_password(NEW_PASSWORD)
    vendor_user.save()

    assert answers(old_key) == 401
    assert answers(other_key) == 200


def test_a_hash_upgrade_at_login_counts_as_a_change_as_for_django_s_sessions(
    settings, vendor_user, old_key
):
    """Django re-hashes a password with a stronger preferred hasher at the next login; the
    stored hash changes, which ends the user's other sessions and here the token too. The
    login that re-hashed it gets the new key."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",  # the one the stored hash was made by
    ]

    new_key = token_for(vendor_user.username, PASSWORD)

    assert new_key != old_key
    assert (answers(old_key), answers(new_key)) == (401, 200)
    assert get_user_model().objects.get(pk=vendor_user.pk).password.startswith("pbkdf2_sha256$")
