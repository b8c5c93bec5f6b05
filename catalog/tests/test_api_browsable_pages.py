"""DRF's browsable pages of the API lists render their rows: lists read as ``values()`` rows
(items, offerings) as well as lists of model instances (offers), for a signed-in user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils.html import escape


@pytest.fixture
def admin_client(shared_demo, db, client):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.parametrize(
    "resource, shown", [("items", "mpn"), ("offerings", "name"), ("offers", "name")]
)
def test_a_browsable_list_page_shows_its_rows(admin_client, resource, shown):
    url = f"/api/v1/{resource}/?page_size=5"
    rows = admin_client.get(url, HTTP_ACCEPT="application/json").json()["results"]
    response = admin_client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert rows and all(escape(row[shown]) in page for row in rows)
