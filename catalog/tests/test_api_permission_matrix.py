"""Every API endpoint × action × role, generated from the router so no endpoint goes untested.

Roles: staff of the owning vendor, staff of another vendor, a distributor admitted to the
marketplace where the owner's offer is listed, one that is not, and an anonymous caller.
Every refused request must leave every row of every table as it was.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Marketplace
from catalog.tests.factories import (
    DistributorFactory,
    MarketplaceFactory,
    build_catalog,
    distributor_user,
    vendor_staff,
)
from catalog.tests.generated import report
from catalog_site.api import router
from pricing.tests.factories import priced_offering, selling_rows

pytestmark = pytest.mark.django_db

READ = {"list", "retrieve"}
PATH_ARGUMENT = re.compile(r"\(\?P<\w+>[^)]*\)")
ROLES = ("owner", "other_vendor", "admitted_distributor", "outside_distributor", "anonymous")


def endpoints():
    """(prefix, viewset, [(action name, HTTP method, detail?)]) for every registered route."""
    found = []
    for prefix, viewset, _ in router.registry:
        actions = []
        if hasattr(viewset, "list"):
            actions.append(("list", "get", False))
        if hasattr(viewset, "retrieve"):
            actions.append(("retrieve", "get", True))
        for name, method, detail in (
            ("create", "post", False),
            ("update", "put", True),
            ("partial_update", "patch", True),
            ("destroy", "delete", True),
        ):
            # Read-only endpoints are probed with writes too: they must refuse them.
            if method in viewset.http_method_names:
                actions.append((name, method, detail))
        for extra in viewset.get_extra_actions():
            for method in extra.mapping:
                actions.append((extra.url_path, method, extra.detail))
        found.append((prefix, viewset, actions))
    return found


ENDPOINTS = endpoints()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def row_counts() -> tuple[int, ...]:
    models = [
        model
        for label in ("catalog", "pricing")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return tuple(model._default_manager.count() for model in models)


@pytest.fixture
def world(vendor, other_vendor):
    admitted = MarketplaceFactory(code="admitted")
    outside = MarketplaceFactory(code="outside")
    build_catalog(vendor, 1, marketplace=admitted)
    build_catalog(other_vendor, 1, marketplace=outside)
    offering = priced_offering(vendor, items=1, rates=1, intervals=1, tiers=0)
    selling_rows(offering, 1)
    users = {
        "owner": vendor_staff(vendor, username="owner"),
        "other_vendor": vendor_staff(other_vendor, username="other"),
        "admitted_distributor": distributor_user(
            DistributorFactory(marketplaces=[admitted]), username="admitted"
        ),
        "outside_distributor": distributor_user(
            DistributorFactory(marketplaces=[outside]), username="outside"
        ),
        "anonymous": None,
    }
    return users


def expected(role, action, method, visible_to_role, read_only_endpoint, may_write) -> int:
    """The status a role gets; reads of rows it cannot see are 404, never 403."""
    if role == "anonymous":
        return 401
    write = method not in ("get", "head", "options")
    if write and (role.endswith("distributor") or not may_write):
        return 403
    if write and read_only_endpoint and action in {"create", "update", "partial_update", "destroy"}:
        return 405
    if action == "list":
        return 200
    if action == "create":
        return 400  # staff of another vendor may create their own rows: the empty body is refused
    return 200 if visible_to_role else 404


def test_every_endpoint_action_and_role(world, capsys):
    owner = world["owner"]
    clients = {role: client_for(user) for role, user in world.items()}
    tried, covered = 0, set()
    for prefix, viewset, actions in ENDPOINTS:
        model = viewset.queryset.model
        target = model._default_manager.visible_to(owner).order_by("pk").first()
        assert target is not None, f"the world has no {model.__name__} of the owner's for {prefix}"
        read_only = not hasattr(viewset, "create") or "post" not in viewset.http_method_names
        for action, method, detail in actions:
            url = f"/api/v1/{prefix}/" + (f"{target.pk}/" if detail else "")
            if action not in READ | {"create", "update", "partial_update", "destroy"}:
                url += f"{action}/"
                if "(?P" in action:  # e.g. items/(?P<item_id>[0-9]+): that path, id 1
                    url = url.replace(action, PATH_ARGUMENT.sub("1", action))
            for role in ROLES:
                if role == "owner" and method != "get":
                    continue  # the owner's writes are tested per endpoint, with real bodies
                user = world[role]
                visible = (
                    user is not None
                    and model._default_manager.visible_to(user).filter(pk=target.pk).exists()
                )
                before = row_counts()
                cache.clear()  # throttling has its own tests; here it would only interfere
                response = getattr(clients[role], method)(url, {}, format="json")
                codename = {"post": "add", "delete": "delete"}.get(method, "change")
                if detail and method == "post":
                    codename = "change"
                may_write = user is not None and user.has_perm(
                    f"{model._meta.app_label}.{codename}_{model._meta.model_name}"
                )
                want = expected(role, action, method, visible, read_only, may_write)
                if role == "owner" and action not in READ:
                    want = response.status_code  # a GET action (history) just must not fail
                    assert response.status_code < 500, (url, response.status_code)
                assert response.status_code == want, (
                    f"{role} {method.upper()} {url}: {response.status_code}, expected {want}: "
                    f"{response.content[:200]!r}"
                )
                if response.status_code >= 400:
                    assert response.json()["code"], url
                    assert row_counts() == before, f"{role} {method.upper()} {url} changed rows"
                if action == "list" and role != "anonymous" and response.status_code == 200:
                    ids = {row["id"] for row in response.json()["results"]}
                    assert ids <= set(
                        model._default_manager.visible_to(user).values_list("pk", flat=True)
                    )
                tried += 1
            covered.add(prefix)
    found = {prefix for prefix, _, _ in ENDPOINTS}
    with capsys.disabled():
        print(
            f"\npermission matrix: {len(found)} endpoints found, {len(covered)} covered, "
            f"{tried} requests: {', '.join(sorted(found))}"
        )
    report("permission matrix requests", tried)
    assert covered == found
    assert tried > 0
    assert Marketplace.objects.exists()
