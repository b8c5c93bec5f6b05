"""The load benchmark's hand-written baselines return the API's page, so the ratio is fair.

``benchmarks/bench_api.sh`` compares the API's requests/s with ``benchmarks/baseline_views``;
that comparison only means something if both answer the same body for the same request.
"""

import json

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from benchmarks import baseline_views

OFFERINGS_DRF = baseline_views.ThroughDrf.as_view(body=baseline_views.offerings_body)
ITEMS_DRF = baseline_views.ThroughDrf.as_view(body=baseline_views.items_body)
CASES = [  # distributors see no offerings, only the rates of their marketplaces
    ("offerings", "/api/v1/offerings/", baseline_views.offerings, "northwind"),
    ("offerings", "/api/v1/offerings/", baseline_views.offerings, "admin"),
    ("items", "/api/v1/items/", baseline_views.items, "northwind"),
    ("items", "/api/v1/items/", baseline_views.items, "distributor"),
    ("items", "/api/v1/items/", baseline_views.items, "admin"),
    ("offerings-drf", "/api/v1/offerings/", OFFERINGS_DRF, "northwind"),
    ("items-drf", "/api/v1/items/", ITEMS_DRF, "distributor"),
    ("offerings-orjson", "/api/v1/offerings/", baseline_views.offerings_orjson, "northwind"),
    ("items-orjson", "/api/v1/items/", baseline_views.items_orjson, "northwind"),
]


@pytest.fixture
def demo(shared_demo):
    """The demo data, loaded once for the module (the root conftest's ``shared_demo``)."""


@pytest.mark.parametrize("page_size, page", [(3, 1), (3, 2), (100, 1)])
@pytest.mark.parametrize(
    "name, url, view, username", CASES, ids=[f"{case[0]}-{case[3]}" for case in CASES]
)
def test_the_baseline_answers_the_api_s_body(demo, db, username, page_size, page, name, url, view):
    key = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
    query = {"page_size": page_size, "page": page}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api = client.get(url, query)
    request = APIRequestFactory().get(url, query, HTTP_AUTHORIZATION=f"Token {key}")

    baseline = view(request)
    if hasattr(baseline, "render"):  # through DRF: a response to render
        baseline.render()

    assert api.status_code == baseline.status_code == 200
    assert api.json()["count"] > 0, "the demo data has rows for this user"
    assert json.loads(baseline.content) == api.json()
