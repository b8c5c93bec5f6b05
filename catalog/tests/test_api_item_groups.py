"""``/api/v1/item-groups/``: a product's variation tree, written through the catalog services
(``item_group_create``, ``item_group_move``, the row services), scoped to the caller's vendor.

A group stays with its product and never sits under itself or one of its own subgroups.
"""

from __future__ import annotations

import pytest

from catalog.models import ItemGroup
from catalog.tests.factories import ItemFactory, ItemGroupFactory, ProductFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/item-groups"
CYCLE = "A group cannot sit under itself or one of its own subgroups."


@pytest.fixture
def shirt(vendor):
    return ProductFactory(vendor=vendor, name="Shirt")


@pytest.fixture
def tree(shirt):
    """Shirt → Red → Size M."""
    red = ItemGroupFactory(product=shirt, name="Red")
    size_m = ItemGroupFactory(product=shirt, parent=red, name="Size M")
    return red, size_m


def state() -> list[tuple]:
    """Every group's fields, and how many history records: a save anywhere shows."""
    groups = ItemGroup.objects.order_by("pk")
    return [
        *groups.values_list("pk", "product", "parent", "name", "position"),
        (ItemGroup.history.count(),),
    ]


def test_vendor_staff_build_a_tree_read_it_change_it_and_delete_from_it(vendor_api, shirt):
    red = vendor_api.post(API + "/", {"product": shirt.pk, "name": "Red"}, format="json")
    assert red.status_code == 201, red.content
    red = red.json()
    assert red == {
        "id": red["id"],
        "product": shirt.pk,
        "parent": None,
        "name": "Red",
        "position": 0,
    }

    size = vendor_api.post(
        API + "/", {"product": shirt.pk, "parent": red["id"], "name": "M", "position": 2}
    ).json()
    assert ItemGroup.objects.get(pk=size["id"]).path == "Red / M"

    listed = vendor_api.get(f"{API}/?product={shirt.pk}&top_level=true").json()["results"]
    assert [group["id"] for group in listed] == [red["id"]]
    children = vendor_api.get(f"{API}/?parent={red['id']}").json()["results"]
    assert [group["name"] for group in children] == ["M"]

    renamed = vendor_api.patch(f"{API}/{size['id']}/", {"name": "Size M"}, format="json")
    assert renamed.status_code == 200, renamed.content
    replaced = vendor_api.put(
        f"{API}/{size['id']}/",
        {"product": shirt.pk, "parent": red["id"], "name": "Size M", "position": 5},
        format="json",
    )
    assert replaced.json()["position"] == 5

    assert vendor_api.delete(f"{API}/{size['id']}/").status_code == 204
    assert list(ItemGroup.objects.values_list("name", flat=True)) == ["Red"]


def test_moving_a_group_goes_through_item_group_move_and_is_recorded(
    vendor_api, vendor_user, shirt, tree, monkeypatch
):
    red, size_m = tree
    blue = ItemGroupFactory(product=shirt, name="Blue")
    from catalog.api import serializers

    moves = []
    real = serializers.item_group_move
    monkeypatch.setattr(
        serializers, "item_group_move", lambda **kwargs: moves.append(kwargs) or real(**kwargs)
    )

    response = vendor_api.patch(f"{API}/{size_m.pk}/", {"parent": blue.pk}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["parent"] == blue.pk
    assert [(move["group"].pk, move["parent"], move["by"]) for move in moves] == [
        (size_m.pk, blue, vendor_user)
    ]
    latest = vendor_api.get(f"{API}/{size_m.pk}/history/").json()["versions"][0]
    assert latest["reason"] == "moved"
    assert latest["changes"] == [
        {
            "field": "parent",
            "label": "Parent",
            "old": str(red.pk),
            "new": str(blue.pk),
            "old_display": str(red),
            "new_display": str(blue),
        }
    ]


@pytest.mark.parametrize("under", ["itself", "its subgroup"])
def test_a_group_cannot_move_under_itself_or_its_own_subgroup(vendor_api, tree, under):
    red, size_m = tree
    target = red if under == "itself" else size_m
    before = state()

    response = vendor_api.patch(f"{API}/{red.pk}/", {"parent": target.pk}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert response.json()["errors"] == {"parent": [CYCLE]}
    assert state() == before


def test_a_cycle_is_refused_with_other_changes_too_and_none_of_them_is_saved(vendor_api, tree):
    red, size_m = tree
    before = state()

    response = vendor_api.patch(
        f"{API}/{red.pk}/", {"parent": size_m.pk, "name": "Crimson"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": [CYCLE]}
    assert state() == before


def test_a_group_stays_in_its_product_and_under_groups_of_it(vendor_api, vendor, shirt, tree):
    red, _ = tree
    hat = ProductFactory(vendor=vendor, name="Hat")
    hat_group = ItemGroupFactory(product=hat, name="Wool")
    before = state()

    moved = vendor_api.patch(f"{API}/{red.pk}/", {"product": hat.pk}, format="json")
    assert moved.status_code == 400
    assert list(moved.json()["errors"]) == ["product"]

    foreign_parent = vendor_api.patch(f"{API}/{red.pk}/", {"parent": hat_group.pk}, format="json")
    assert foreign_parent.status_code == 400
    assert foreign_parent.json()["errors"] == {
        "parent": ["The parent group belongs to another product."]
    }

    created = vendor_api.post(
        API + "/", {"product": shirt.pk, "parent": hat_group.pk, "name": "Mixed"}, format="json"
    )
    assert created.status_code == 400
    assert state() == before


def test_another_vendors_groups_do_not_exist_for_the_caller(vendor_api, shirt, other_vendor, tree):
    theirs = ItemGroupFactory(product=ProductFactory(vendor=other_vendor), name="Theirs")
    before = state()

    assert vendor_api.get(f"{API}/{theirs.pk}/").status_code == 404
    assert (
        vendor_api.patch(f"{API}/{theirs.pk}/", {"name": "Mine"}, format="json").status_code == 404
    )
    assert vendor_api.delete(f"{API}/{theirs.pk}/").status_code == 404
    assert vendor_api.get(f"{API}/{theirs.pk}/history/").status_code == 404
    assert theirs.pk not in {row["id"] for row in vendor_api.get(API + "/").json()["results"]}

    under_theirs = vendor_api.post(
        API + "/", {"product": shirt.pk, "parent": theirs.pk, "name": "Sneaky"}, format="json"
    )
    assert under_theirs.status_code == 400
    assert list(under_theirs.json()["errors"]) == ["parent"]
    in_their_product = vendor_api.post(
        API + "/", {"product": theirs.product_id, "name": "Sneaky"}, format="json"
    )
    assert in_their_product.status_code == 400
    assert list(in_their_product.json()["errors"]) == ["product"]
    assert state() == before


def test_a_group_with_subgroups_is_protected_and_items_leave_a_deleted_group(vendor_api, tree):
    red, size_m = tree
    item = ItemFactory(product=red.product, group=size_m)

    protected = vendor_api.delete(f"{API}/{red.pk}/")
    assert protected.status_code == 409
    assert protected.json()["code"] == "PROTECTED"

    assert vendor_api.delete(f"{API}/{size_m.pk}/").status_code == 204
    item.refresh_from_db()
    assert item.group is None


def test_distributors_read_the_tree_of_listed_products_only(distributor_api, vendor, marketplace):
    from catalog.tests.factories import build_catalog

    build_catalog(vendor, 1, marketplace=marketplace)
    unlisted = ItemGroupFactory(product=ProductFactory(vendor=vendor))

    ids = {row["id"] for row in distributor_api.get(API + "/").json()["results"]}

    assert ids == set(ItemGroup.objects.exclude(pk=unlisted.pk).values_list("pk", flat=True))
    refused = distributor_api.post(API + "/", {"product": unlisted.product_id, "name": "X"})
    assert refused.status_code == 403


def test_a_list_of_groups_runs_the_same_queries_at_two_sizes(
    vendor_api, shirt, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ItemGroupFactory(product=shirt)
    vendor_api.get(API + "/")
    with CaptureQueriesContext(connection) as few:
        vendor_api.get(API + "/")
    parent = ItemGroupFactory(product=shirt)
    ItemGroupFactory.create_batch(20, product=shirt, parent=parent)

    with django_assert_max_num_queries(len(few.captured_queries)):
        body = vendor_api.get(API + "/").json()
    assert body["count"] == 22
