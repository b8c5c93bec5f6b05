"""Vendor staff see, open and pick only their own vendor's objects in the admin."""

import pytest
from django.urls import reverse

from catalog.models import Item, PlanItem, Product
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import (
    ItemFactory,
    OfferFactory,
    PlanFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_item(vendor):
    return ItemFactory(product=ProductFactory(vendor=vendor, name="Own product"), name="Own item")


@pytest.fixture
def foreign_item(other_vendor):
    return ItemFactory(
        product=ProductFactory(vendor=other_vendor, name="Foreign product"), name="Foreign item"
    )


def test_changelist_shows_only_own_vendors_rows(vendor_client, own_item, foreign_item):
    response = vendor_client.get(reverse("admin:catalog_item_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own_item]
    assert b"Foreign" not in response.content


def test_superuser_sees_every_vendor(superuser_client, own_item, foreign_item):
    response = superuser_client.get(reverse("admin:catalog_item_changelist"))
    assert set(response.context["cl"].result_list) == {own_item, foreign_item}


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_vendors_object_is_a_404(vendor_client, foreign_item, view):
    url = reverse(f"admin:catalog_item_{view}", args=[foreign_item.pk])
    assert vendor_client.get(url).status_code == 404


def test_another_vendors_history_version_is_a_404(vendor_client, foreign_item):
    version = foreign_item.history.get()
    url = reverse("admin:catalog_item_simple_history", args=[foreign_item.pk, version.pk])
    assert vendor_client.get(url).status_code == 404


def test_own_objects_open(vendor_client, own_item):
    for view in ("change", "history"):
        url = reverse(f"admin:catalog_item_{view}", args=[own_item.pk])
        assert vendor_client.get(url).status_code == 200


def test_a_nonexistent_or_malformed_id_is_a_404(vendor_client):
    assert vendor_client.get(reverse("admin:catalog_item_change", args=[999999])).status_code == 404
    assert vendor_client.get("/admin/catalog/item/not-a-number/change/").status_code == 404


def test_autocomplete_offers_only_own_items(vendor_client, own_item, foreign_item):
    response = vendor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "planitem", "field_name": "item", "term": "item"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(own_item)]


def test_foreign_key_choices_are_scoped(vendor_client, vendor, other_vendor):
    ProductFactory(vendor=vendor, name="Mine")
    ProductFactory(vendor=other_vendor, name="Theirs")
    response = vendor_client.get(reverse("admin:catalog_offer_add"))
    form = response.context["adminform"].form
    assert [p.name for p in form.fields["product"].queryset] == ["Mine"]
    product_form = vendor_client.get(reverse("admin:catalog_product_add")).context["adminform"].form
    assert list(product_form.fields["vendor"].queryset) == [vendor]
    assert product_form.initial["vendor"] == vendor.pk


def test_posting_another_vendors_item_into_a_plan_is_refused(vendor_client, vendor, foreign_item):
    plan = PlanFactory(offer=OfferFactory(product=ProductFactory(vendor=vendor)))
    url = reverse("admin:catalog_planitem_add")
    response = vendor_client.post(url, {"plan": plan.pk, "item": foreign_item.pk, "quantity": 1})
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["item"])
    assert not PlanItem.objects.exists()


def test_creating_a_product_for_another_vendor_is_refused(vendor_client, other_vendor):
    response = vendor_client.post(
        reverse("admin:catalog_product_add"),
        {
            "vendor": other_vendor.pk,
            "name": "Sneaky",
            "status": "draft",
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
            "item_groups-TOTAL_FORMS": 0,
            "item_groups-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "vendor" in response.context["adminform"].form.errors
    assert not Product.objects.exists()


def test_vendor_staff_creates_a_product_with_items_inline(vendor_client, vendor):
    response = vendor_client.post(
        reverse("admin:catalog_product_add"),
        {
            "vendor": vendor.pk,
            "name": "Office 365 (for home)",
            "status": "published",
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 0,
            "items-0-mpn": "O365-PERSONAL",
            "items-0-name": "Personal",
            "items-0-kind": "subscription",
            "items-0-billing_period": "monthly",
            "items-0-unit": "license",
            "items-0-status": "published",
            "item_groups-TOTAL_FORMS": 0,
            "item_groups-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get()
    assert product.vendor == vendor
    assert list(product.items.values_list("mpn", flat=True)) == ["O365-PERSONAL"]


def test_duplicate_mpn_in_the_inline_is_a_form_error(vendor_client, vendor):
    product = ProductFactory(vendor=vendor)
    ItemFactory(product=product, mpn="DUP")
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = change_form_data(vendor_client.get(url))
    data.update(
        {
            "items-TOTAL_FORMS": 2,
            "items-1-mpn": "DUP",
            "items-1-name": "Again",
            "items-1-kind": "subscription",
            "items-1-billing_period": "monthly",
            "items-1-unit": "unit",
            "items-1-status": "draft",
        }
    )
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "duplicate data for mpn" in str(formset.non_form_errors())
    assert Item.objects.count() == 1


def test_upgrade_path_to_itself_is_a_form_error(vendor_client, own_item):
    url = reverse("admin:catalog_item_change", args=[own_item.pk])
    data = change_form_data(vendor_client.get(url))
    data.update({"paths-TOTAL_FORMS": 1, "paths-0-kind": "upgrade", "paths-0-target": own_item.pk})
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "cannot upgrade or downgrade to itself" in response.content.decode()
    assert not own_item.paths.exists()


def test_unknown_locale_is_a_form_error(vendor_client, own_item):
    url = reverse("admin:catalog_item_change", args=[own_item.pk])
    data = change_form_data(vendor_client.get(url))
    data.update(
        {
            "translations-TOTAL_FORMS": 1,
            "translations-0-locale": "klingon",
            "translations-0-name": "Qapla",
        }
    )
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "not a known locale code" in response.content.decode()
    assert not own_item.translations.exists()


def test_group_cycle_is_a_form_error(vendor_client, vendor):
    from catalog.tests.factories import ItemGroupFactory

    product = ProductFactory(vendor=vendor)
    red = ItemGroupFactory(product=product, name="Red")
    size = ItemGroupFactory(product=product, name="M", parent=red)
    response = vendor_client.post(
        reverse("admin:catalog_itemgroup_change", args=[red.pk]),
        {"product": product.pk, "parent": size.pk, "name": "Red", "position": 0},
    )
    assert response.status_code == 200
    assert "cannot sit under itself" in response.content.decode()
    red.refresh_from_db()
    assert red.parent is None


def test_distributors_have_no_admin_access(client, distributor_member):
    client.force_login(distributor_member)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_vendor_staff_cannot_manage_organizations(vendor_client, vendor):
    assert vendor_client.get(reverse("admin:catalog_vendor_add")).status_code == 403
    assert vendor_client.get(reverse("admin:catalog_membership_changelist")).status_code == 403
    assert vendor_client.get(reverse("admin:catalog_marketplace_add")).status_code == 403
    assert vendor_client.get(reverse("admin:catalog_marketplace_changelist")).status_code == 200
