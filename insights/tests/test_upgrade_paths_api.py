"""``GET /api/v1/products/{id}/paths/`` and ``paths.svg``: the graph as JSON and drawn,
scoped by ``visible_to`` (another organization's product is a 404, a distributor's graph
has no drafts), errors in the API's shape, a fixed number of queries at any size."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from rest_framework.test import APIClient

from insights.tests.paths_data import add_rungs, build_ladder, module_rows

pytestmark = pytest.mark.django_db
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def ladder(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_ladder()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def paths_url(ladder, suffix="paths/"):
    return f"/api/v1/products/{ladder.product.pk}/{suffix}"


def test_the_json_holds_nodes_edges_loops_and_the_meaning_of_each_mark_found(ladder):
    response = client_for(ladder.vendor_user).get(paths_url(ladder))
    assert response.status_code == 200
    body = response.json()
    assert body["product"] == ladder.product.pk
    nodes = {node["mpn"]: node for node in body["nodes"]}
    assert nodes["ENT"] == {
        "id": ladder.pk("ENT"),
        "mpn": "ENT",
        "name": "Ent plan",
        "status": "end_of_sale",
        "level": 3,
        "marks": ["dead_end", "inactive"],
    }
    edge = next(e for e in body["edges"] if e["target"] == ladder.pk("ENT"))
    assert edge["source"] == ladder.pk("PRO") and edge["kind"] == "upgrade"
    assert edge["marks"] == ["to_inactive"]
    assert body["cycles"] == [[ladder.pk("LOOP-A"), ladder.pk("LOOP-B")]]
    assert list(body["marks"]) == [
        "cycle",
        "dead_end",
        "inactive",
        "draft",
        "to_inactive",
        "to_draft",
    ]
    assert body["description"].startswith("Items: 8. Upgrade levels: 4.")


def test_a_distributor_gets_no_draft_item_nor_a_path_to_one(ladder):
    body = client_for(ladder.distributor_user).get(paths_url(ladder)).json()
    assert "NEXT" not in {node["mpn"] for node in body["nodes"]}
    assert ladder.pk("NEXT") not in {edge["target"] for edge in body["edges"]}
    assert "to_draft" not in body["marks"]


@pytest.mark.parametrize("suffix", ["paths/", "paths.svg"])
def test_another_vendors_product_is_not_found_in_the_apis_error_shape(ladder, suffix):
    response = client_for(ladder.other_vendor_user).get(paths_url(ladder, suffix))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize("suffix", ["paths/", "paths.svg"])
def test_an_anonymous_caller_is_asked_to_authenticate(ladder, suffix):
    response = client_for(None).get(paths_url(ladder, suffix))
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_graph_is_read_only(ladder, method):
    response = getattr(client_for(ladder.superuser), method)(paths_url(ladder))
    assert response.status_code == 405


def test_the_svg_is_a_well_formed_picture_with_a_title_a_description_and_labels(ladder):
    response = client_for(ladder.vendor_user).get(paths_url(ladder, "paths.svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title.text == "Upgrade paths of Office <Suite> & more"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = {"".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")}
    assert {"Basic plan", "ENT", "dead end, end of sale", "to end of sale", "loop"} <= texts


@pytest.mark.parametrize("rungs", [2, 40])
@pytest.mark.parametrize("suffix", ["paths/", "paths.svg"])
def test_the_endpoints_cost_a_fixed_number_of_queries_at_any_size(
    ladder, rungs, suffix, django_assert_max_num_queries
):
    add_rungs(ladder.product, rungs)
    client = client_for(ladder.distributor_user)
    with django_assert_max_num_queries(4):  # membership, product, items, paths
        response = client.get(paths_url(ladder, suffix))
    assert response.status_code == 200
    assert response.content.count(b"RUNG-") >= rungs
