"""The catalog admin writes through the catalog's services, like the API and the commands.

Every test of the suite runs under ``catalog.tests.write_guard``: a row of the catalog or
pricing apps saved or deleted while a request is handled, outside a service's transaction,
fails the test. Here every catalog change page is saved with a change, as its user would, and
the guard and the history show the service wrote it; the few rules a row cannot check alone
hold on the admin pages too.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, models
from django.test import RequestFactory
from django.urls import reverse

from catalog.models import Item, ItemGroup, Product
from catalog.rows import row_create
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory, ItemGroupFactory, ProductFactory, build_catalog
from catalog.tests.generated import report
from catalog.tests.write_guard import writes_only_in_services

pytestmark = pytest.mark.django_db


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def signals_without_closing_connections():
    """Send the request signals by hand without closing the test's connection (the test
    client disconnects ``close_old_connections`` the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.tests_the_write_guard
def test_the_guard_sees_a_write_made_outside_a_service(vendor, signals_without_closing_connections):
    with writes_only_in_services() as violations:
        request_started.send(sender=None)
        ProductFactory(vendor=vendor, name="Written by hand")
        row_create(Product(vendor=vendor, name="Written by the service"))
        request_finished.send(sender=None)
        ProductFactory(vendor=vendor, name="A fixture, outside any request")

    assert violations == ["catalog.Product None"]


def text_field(form) -> str | None:
    """A free-text field of the form the test may change (not a slug, code or choice)."""
    for name, field in form.fields.items():
        model_field = form._meta.model._meta.get_field(name) if name != "id" else None
        if (
            isinstance(model_field, (models.CharField, models.TextField))
            and not model_field.choices
            and not isinstance(model_field, models.SlugField)
            and not field.disabled
            and name not in ("mpn", "code", "locale", "username", "currency", "countries")
        ):
            return name
    return None


@pytest.fixture
def catalog(vendor, marketplace):
    build_catalog(vendor, 2, marketplace)


def test_every_catalog_change_page_saves_through_a_service(catalog, vendor_client, vendor_user):
    request = RequestFactory().get("/admin/")
    request.user = vendor_user
    saved = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "catalog":
            continue
        obj = model_admin.get_queryset(request).first()
        if obj is None or not model_admin.has_change_permission(request, obj):
            continue
        page = vendor_client.get(url(model, "change", obj.pk))
        data = change_form_data(page)
        name = text_field(page.context["adminform"].form)
        if name is None:
            continue
        data[name] = f"{data.get(name, '')} (edited)".strip()[:60]

        response = vendor_client.post(url(model, "change", obj.pk), data)

        assert response.status_code == 302, (model, response.content.decode()[:3000])
        obj.refresh_from_db()
        assert getattr(obj, name) == data[name], model
        latest = obj.history.latest()
        assert latest.history_user == vendor_user, model
        saved.append(model._meta.model_name)
    report("catalog admin pages saved through services", len(saved))
    assert {"product", "itemgroup", "item", "offer", "plan", "feature"} <= set(saved), saved


def test_a_product_page_with_a_new_item_is_written_whole(vendor_client, vendor, vendor_user):
    product = ProductFactory(vendor=vendor)
    page = vendor_client.get(url(Product, "change", product.pk))
    data = change_form_data(page)
    data.update(
        {
            "name": "Renamed with its new item",
            "items-TOTAL_FORMS": "1",
            "items-0-mpn": "NEW-1",
            "items-0-name": "New item",
            "items-0-kind": "subscription",
            "items-0-billing_period": "monthly",
            "items-0-status": "draft",
        }
    )

    response = vendor_client.post(url(Product, "change", product.pk), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.name == "Renamed with its new item"
    item = product.items.get()
    assert item.history.get().history_user == vendor_user


def test_an_item_does_not_move_to_another_product_from_its_admin_page(vendor_client, vendor):
    item = ItemFactory(product__vendor=vendor)
    elsewhere = ProductFactory(vendor=vendor)
    page = vendor_client.get(url(Item, "change", item.pk))
    data = change_form_data(page)
    data["product"] = str(elsewhere.pk)
    data["name"] = "Moved along"

    response = vendor_client.post(url(Item, "change", item.pk), data, follow=True)

    assert response.status_code == 200
    assert "cannot move to another product" in response.content.decode()
    item.refresh_from_db()
    assert (item.product_id, item.name) != (elsewhere.pk, "Moved along")
    assert item.product_id != elsewhere.pk


def test_an_item_group_does_not_move_to_another_product_from_its_admin_page(vendor_client, vendor):
    group = ItemGroupFactory(product__vendor=vendor)
    elsewhere = ProductFactory(vendor=vendor)
    page = vendor_client.get(url(ItemGroup, "change", group.pk))
    data = change_form_data(page)
    data["product"] = str(elsewhere.pk)

    response = vendor_client.post(url(ItemGroup, "change", group.pk), data, follow=True)

    assert response.status_code == 200
    assert "cannot move to another product" in response.content.decode()
    group.refresh_from_db()
    assert group.product_id != elsewhere.pk


def test_deleting_a_product_in_the_admin_keeps_who_deleted_it(vendor_client, vendor_user, vendor):
    product = ProductFactory(vendor=vendor)

    response = vendor_client.post(url(Product, "delete", product.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert Product.history.filter(id=product.pk).latest().history_user == vendor_user
