"""The read plan (``catalog.api.reading``) answers every row as DRF's own loop would.

For every viewset on the API router whose serializer reads through ``ReadPlanMixin``, the
rows a platform admin lists (the demo data, with the sets the view attaches) are serialized
both ways: by the plan, and by ``Serializer.to_representation`` itself. The two bodies are
the same: the same keys in the same order, equal values of the same types.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from catalog.api.reading import ReadPlan, ReadPlanMixin, Row
from catalog_site.api import router


def _viewsets():
    for prefix, viewset, _ in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class and issubclass(serializer_class, ReadPlanMixin):
            yield pytest.param(viewset, id=prefix)


VIEWSETS = list(_viewsets())


@pytest.fixture
def demo(shared_demo):
    """The demo data, loaded once for the module (the root conftest's ``shared_demo``)."""


def test_the_api_s_model_serializers_read_through_the_plan():
    assert len(VIEWSETS) >= 12  # products, items, offers, ..., offerings, rates, quotes


@pytest.mark.parametrize("viewset", VIEWSETS)
def test_the_plan_answers_each_row_as_drf_does(demo, db, viewset):
    request = Request(APIRequestFactory().get("/"))
    request.user = User.objects.get(username="admin")
    view = viewset(request=request, format_kwarg=None, action="list", kwargs={})
    rows = list(view.get_queryset()[:25])
    assert rows, f"the demo data has no {viewset.__name__} rows"
    view.attach_related(rows)
    child = view.get_serializer(rows, many=True).child
    for row in rows:
        by_plan = child.to_representation(row)
        by_drf = serializers.Serializer.to_representation(child, row)
        assert list(by_plan.items()) == list(by_drf.items())  # keys in order, values equal
        assert [type(value) for value in by_plan.values()] == [
            type(value) for value in by_drf.values()
        ]


def test_attached_sets_and_foreign_keys_are_read_without_drf(demo, db):
    from catalog.api.views import ItemViewSet

    request = Request(APIRequestFactory().get("/"))
    request.user = User.objects.get(username="admin")
    view = ItemViewSet(request=request, format_kwarg=None, action="list", kwargs={})
    item = view.get_queryset().first()
    view.attach_related([item])
    plan = ReadPlan(view.get_serializer(), type(item))
    assert plan.by_drf == []  # every field of an item is a column, a key or an attached set
    assert {"product", "group", "translations", "upgrades_to"} <= set(plan.names)


def _list_view(viewset, user):
    request = Request(APIRequestFactory().get("/", {"page_size": "25"}))
    request.user = user
    return viewset(request=request, format_kwarg=None, action="list", kwargs={})


@pytest.mark.parametrize("viewset", VIEWSETS)
def test_a_page_read_as_rows_answers_as_its_model_instances_do(demo, db, viewset):
    """A list whose serializer reads only columns and attached sets is read as ``values()``
    rows; its body is the one the same page of model instances gives. Any other list is a
    page of model instances."""
    view = _list_view(viewset, User.objects.get(username="admin"))
    queryset = view.filter_queryset(view.get_queryset())
    page = view.paginate_queryset(queryset)
    assert page
    if not view.read_as_rows(queryset):
        assert all(isinstance(row, queryset.model) for row in page)
        return
    assert all(isinstance(row, Row) for row in page)
    instances = list(queryset[: len(page)])
    view.attach_related(instances)
    by_rows = view.get_serializer(page, many=True).data
    by_instances = view.get_serializer(instances, many=True).data
    assert [list(row.items()) for row in by_rows] == [list(row.items()) for row in by_instances]


def test_which_lists_are_read_as_rows(demo, db):
    """Rows where the serializer reads only columns and attached sets; model instances where
    a nested serializer or a method field reads them (offers nest their plans)."""
    admin = User.objects.get(username="admin")
    as_rows = {}
    for param in VIEWSETS:
        (viewset,) = param.values
        view = _list_view(viewset, admin)
        as_rows[param.id] = view.read_as_rows(view.get_queryset())
    assert {"products", "items", "offerings", "listings", "rates"} <= {
        name for name, rows in as_rows.items() if rows
    }
    assert not as_rows["offers"]
