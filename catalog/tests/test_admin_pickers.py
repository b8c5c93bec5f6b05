"""The admin's item pickers name groups by their full path and offer only what the rules
accept: an item's groups from its own product, a path's targets and an add-on's bases as
``ItemPath.clean`` and ``AddOnRequirement.clean`` would take them."""

import re

import pytest
from django.urls import reverse

from catalog.models import ItemGroup
from catalog.tests.factories import ItemFactory, ItemGroupFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"


def shirt(vendor, name="Shirt", colours=("Red", "Green"), sizes=("S", "M")):
    product = ProductFactory(vendor=vendor, name=name)
    for colour in colours:
        top = ItemGroupFactory(product=product, name=colour)
        for size in sizes:
            ItemGroupFactory(product=product, parent=top, name=f"Size {size}")
    return product


def search(client, model_name, field_name, **params):
    query = {"app_label": "catalog", "model_name": model_name, "field_name": field_name}
    response = client.get(AUTOCOMPLETE, {"term": "", **query, **params})
    assert response.status_code == 200, response.content
    return [row["text"] for row in response.json()["results"]]


def test_group_search_names_each_group_by_its_full_path(vendor_client, vendor):
    shirt(vendor)
    shirt(vendor, name="Polo")
    texts = search(vendor_client, "item", "group", term="Size")
    assert sorted(text for text in texts if text.endswith("Size S")) == [
        "Polo › Green › Size S",
        "Polo › Red › Size S",
        "Shirt › Green › Size S",
        "Shirt › Red › Size S",
    ]


def test_group_search_of_an_item_offers_its_own_products_groups_only(vendor_client, vendor):
    own = shirt(vendor)
    shirt(vendor, name="Polo")
    texts = search(vendor_client, "item", "group", term="Size", product=own.pk)
    assert sorted(texts) == [
        "Shirt › Green › Size M",
        "Shirt › Green › Size S",
        "Shirt › Red › Size M",
        "Shirt › Red › Size S",
    ]


def test_item_page_sends_its_product_with_the_group_search(vendor_client, vendor):
    product = shirt(vendor)
    item = ItemFactory(product=product, group=product.item_groups.get(name="Red"))
    html = vendor_client.get(reverse("admin:catalog_item_change", args=[item.pk])).content
    assert f"/admin/autocomplete/?product={product.pk}" in html.decode()
    assert "Shirt › Red</option>" in html.decode()  # the chosen group, by its path


def test_parent_search_leaves_out_the_group_and_its_subgroups(vendor_client, vendor):
    product = shirt(vendor)
    red = product.item_groups.get(name="Red")
    texts = search(vendor_client, "itemgroup", "parent", product=product.pk, group=red.pk)
    assert sorted(texts) == ["Shirt › Green", "Shirt › Green › Size M", "Shirt › Green › Size S"]


def test_path_target_search_offers_the_items_a_path_may_lead_to(vendor_client, vendor):
    product = ProductFactory(vendor=vendor)
    source, sibling = ItemFactory(product=product), ItemFactory(product=product)
    ItemFactory(product=ProductFactory(vendor=vendor))  # another product: refused by clean
    texts = search(vendor_client, "itempath", "target", item=source.pk)
    assert texts == [str(sibling)]


def test_item_page_sends_the_item_with_its_path_and_base_searches(vendor_client, vendor):
    item = ItemFactory(product=ProductFactory(vendor=vendor))
    html = vendor_client.get(reverse("admin:catalog_item_change", args=[item.pk])).content
    assert html.decode().count(f"/admin/autocomplete/?item={item.pk}") >= 2


def test_addon_base_search_offers_the_vendors_other_items(superuser_client, vendor):
    addon = ItemFactory(product=ProductFactory(vendor=vendor))
    base = ItemFactory(product=ProductFactory(vendor=vendor))
    ItemFactory(product=ProductFactory(vendor=VendorFactory()))  # another vendor's
    texts = search(superuser_client, "addonrequirement", "base", item=addon.pk)
    assert texts == [str(base)]


@pytest.mark.parametrize("value", ["abc", "-1", "999999", "", "²", "1e3"])
def test_a_bad_or_unknown_forwarded_id_narrows_nothing_beyond_the_users_rows(
    vendor_client, vendor, value
):
    mine = ItemFactory(product=ProductFactory(vendor=vendor))
    ItemFactory(product=ProductFactory(vendor=VendorFactory()))  # never offered
    texts = search(vendor_client, "itempath", "target", item=value)
    assert texts == [str(mine)]


def test_another_vendors_item_sent_along_changes_nothing(vendor_client, vendor):
    mine = ItemFactory(product=ProductFactory(vendor=vendor))
    theirs = ItemFactory(product=ProductFactory(vendor=VendorFactory()))
    assert search(vendor_client, "itempath", "target", item=theirs.pk) == [str(mine)]


def test_a_path_to_another_products_item_is_still_refused_with_its_reason(vendor_client, vendor):
    from catalog.tests.admin_forms import change_form_data

    item = ItemFactory(product=ProductFactory(vendor=vendor))
    stranger = ItemFactory(product=ProductFactory(vendor=vendor))
    url = reverse("admin:catalog_item_change", args=[item.pk])
    data = change_form_data(vendor_client.get(url))
    data.update({"paths-TOTAL_FORMS": 1, "paths-0-kind": "upgrade", "paths-0-target": stranger.pk})
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "stay inside one product" in response.content.decode()
    assert not item.paths.exists()


def test_group_list_and_search_run_fixed_queries(
    vendor_client, vendor, django_assert_max_num_queries
):
    shirt(vendor)
    url = reverse("admin:catalog_itemgroup_changelist")
    with django_assert_max_num_queries(30) as small:
        vendor_client.get(url)
        # Two words, as below: each word of a search reads the products it names once.
        search(vendor_client, "item", "group", term="Shirt Red")
    for n in range(5):
        shirt(vendor, name=f"Shirt {n}", sizes=("S", "M", "L"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = vendor_client.get(url).content.decode()
        texts = search(vendor_client, "item", "group", term="Shirt 4")
    assert "Shirt 4 › Red › Size L" in html
    assert "Shirt 4 › Red › Size L" in texts
    assert ItemGroup.objects.count() == 6 + 5 * 8


def test_product_page_titles_each_group_row_by_its_path(vendor_client, vendor):
    product = shirt(vendor)
    html = vendor_client.get(reverse("admin:catalog_product_change", args=[product.pk]))
    titles = re.findall(r'<td class="original">\s*<p>\s*([^<]+?)\s*<', html.content.decode())
    assert "Shirt › Red › Size S" in titles and "Shirt › Green › Size S" in titles
