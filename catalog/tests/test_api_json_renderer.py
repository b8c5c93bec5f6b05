"""The API's JSON renderer (orjson) writes the bytes DRF's own ``JSONRenderer`` writes.

Every list of the API, as a platform admin reads it from the demo data, and one row of each,
is compared byte for byte; so are the values orjson would write its own way (times, dates,
decimals, lazy texts, keys that are numbers, the line separators, a dataclass DRF does not
write) and the bodies it hands
back to DRF (an integer past 64 bits, an indented body on request).
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.test import APIClient

from catalog.api.renderers import JSONRenderer
from catalog_site.api import router

DRF = renderers.JSONRenderer()
OURS = JSONRenderer()
PREFIXES = [prefix for prefix, _, _ in router.registry]


@pytest.fixture
def admin_api(shared_demo, db):
    client = APIClient()
    client.force_authenticate(User.objects.get(username="admin"))
    return client


def test_the_api_answers_with_this_renderer(admin_api):
    response = admin_api.get("/api/v1/items/")
    assert isinstance(response.accepted_renderer, JSONRenderer)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_list_and_its_first_row_are_drf_s_bytes(admin_api, prefix):
    response = admin_api.get(f"/api/v1/{prefix}/?page_size=200")
    assert response.status_code == 200
    assert response.content == DRF.render(response.data)
    rows = response.data["results"]
    assert rows, f"the demo data has no {prefix}"
    one = admin_api.get(f"/api/v1/{prefix}/{rows[0]['id']}/")
    assert one.status_code == 200
    assert one.content == DRF.render(one.data)


@dataclasses.dataclass
class Point:
    x: int
    label: str


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 12, 7, 15, 4, 5, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 7, 15, 4, 5),
        datetime.date(2026, 12, 7),
        datetime.time(15, 4, 5, 250000),
        Decimal("12.50"),
        gettext_lazy("This field is required."),
        {1: "a number as a key", "nested": [1, 2.5, None, True]},
        'line\u2028and paragraph\u2029separators, ünïcode, "quotes" and \\',
        (1, "a tuple"),
        2**70,
    ],
    ids=lambda value: type(value).__name__,
)
def test_each_kind_of_value_is_written_as_drf_writes_it(value):
    body = {"value": value}
    assert OURS.render(body) == DRF.render(body)


def test_a_value_drf_cannot_write_is_the_same_error():
    for renderer in (DRF, OURS):
        with pytest.raises(TypeError):
            renderer.render({"value": Point(1, "a dataclass")})


def test_an_indented_body_asked_for_is_drf_s():
    body = {"rows": [{"id": 1}]}
    media = "application/json; indent=2"
    assert OURS.render(body, media) == DRF.render(body, media)
    assert b"\n  " in OURS.render(body, media)


def test_nothing_is_an_empty_body():
    assert OURS.render(None) == b""
