"""The API docs pages load Swagger UI and ReDoc from our static files, never from a CDN; the
schema is YAML for tools and plain text in a browser. (The browser test
``e2e/test_no_request_leaves_the_app.py`` watches the pages' requests.)"""

import json
import re

import pytest

pytestmark = pytest.mark.django_db
FOREIGN = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_name_only_our_static_files(client, url):
    html = client.get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not FOREIGN.search(html), FOREIGN.search(html)
    assert "fonts.googleapis.com" not in html


def test_the_schema_is_text_in_a_browser_and_yaml_or_json_for_tools(client):
    page = client.get("/api/schema/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page["Content-Type"] == "text/plain; charset=utf-8"
    assert page.content.startswith(b"openapi: 3")
    tool = client.get("/api/schema/", HTTP_ACCEPT="*/*")
    assert tool["Content-Type"].startswith("application/vnd.oai.openapi")
    named = client.get("/api/schema/?format=json", HTTP_ACCEPT="*/*")
    assert named["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(named.content)["openapi"].startswith("3")
    shown = client.get("/api/schema/?format=json", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert shown["Content-Type"] == "application/json"
    assert shown.json()["openapi"].startswith("3")
