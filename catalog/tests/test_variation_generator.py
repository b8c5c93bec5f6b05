"""The product page generates a variation tree from values per level in one save, through
the catalog service; a bad pattern or a taken MPN is a form error and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Item, ItemGroup, Product
from catalog.services import product_generate_variations
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory, ItemGroupFactory, ProductFactory
from catalog.variations import VariationLevel, Variations

pytestmark = pytest.mark.django_db

SHIRT = Variations(
    levels=(
        VariationLevel("colour", ("Red", "Light green")),
        VariationLevel("size", ("S", "M", "L")),
    ),
    mpn_pattern="{product}-{colour}-{size}",
    kind=Item.Kind.ONE_TIME,
    unit="piece",
)


def tree(product):
    groups = ItemGroup.objects.filter(product=product).with_paths()
    items = Item.objects.filter(product=product).select_related("group")
    return (
        sorted(str(group) for group in groups),
        sorted((item.mpn, item.name, item.group.name, item.kind, item.unit) for item in items),
    )


def test_service_builds_groups_and_one_item_per_combination(vendor, vendor_user):
    product = ProductFactory(vendor=vendor, name="Shirt")
    items = product_generate_variations(product=product, variations=SHIRT, by=vendor_user)
    assert [item.mpn for item in items] == [
        "SHIRT-RED-S",
        "SHIRT-RED-M",
        "SHIRT-RED-L",
        "SHIRT-LIGHT-GREEN-S",
        "SHIRT-LIGHT-GREEN-M",
        "SHIRT-LIGHT-GREEN-L",
    ]
    groups, rows = tree(product)
    assert groups == sorted(
        ["Shirt › Red", "Shirt › Light green"]
        + [f"Shirt › {c} › {s}" for c in ("Red", "Light green") for s in "SML"]
    )
    assert ("SHIRT-RED-M", "Shirt, Red, M", "M", "one_time", "piece") in rows
    assert Item.history.filter(history_user=vendor_user).count() == 6
    assert list(
        ItemGroup.objects.filter(product=product, parent=None).values_list("name", "position")
    ) == [
        ("Red", 0),
        ("Light green", 1),
    ]


def test_service_reuses_the_groups_the_tree_has(vendor):
    product = ProductFactory(vendor=vendor, name="Shirt")
    red = ItemGroupFactory(product=product, name="Red")
    product_generate_variations(
        product=product,
        variations=Variations(levels=(VariationLevel("colour", ("Red", "Blue")),)),
    )
    assert ItemGroup.objects.filter(product=product).count() == 2
    assert Item.objects.get(mpn="SHIRT-RED").group == red


@pytest.mark.parametrize(
    ("variations", "message"),
    [
        (Variations(levels=()), "at least one level"),
        (Variations(levels=(VariationLevel("Colour!", ("Red",)),)), "short lower-case word"),
        (Variations(levels=(VariationLevel("product", ("Red",)),)), "short lower-case word"),
        (Variations(levels=(VariationLevel("colour", ()),)), "has no values"),
        (Variations(levels=(VariationLevel("colour", ("Red", "Red")),)), "a value twice"),
        (
            Variations(levels=(VariationLevel("c", ("A",)), VariationLevel("c", ("B",)))),
            "same name",
        ),
        (
            Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="{product"),
            "without its pair",
        ),
        (
            Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="{size}"),
            "cannot use {size}",
        ),
        (
            Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="{c.__class__}"),
            "cannot use",
        ),
        (
            Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="{c!r}"),
            "cannot use {c!r}",
        ),
        (Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="{c:>99}"), "cannot use"),
        (
            Variations(levels=(VariationLevel("c", ("A", "B")),), mpn_pattern="{product}"),
            "both A and B",
        ),
        (Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="X" * 65), "over 64"),
        (
            Variations(levels=(VariationLevel("c", ("A",)),), mpn_pattern="{product}-A"),
            "already has",
        ),
        (Variations(levels=(VariationLevel("c", tuple(map(str, range(501)))),)), "at most 500"),
    ],
)
def test_service_refuses_bad_variations_and_writes_nothing(vendor, variations, message):
    product = ProductFactory(vendor=vendor, name="Shirt")
    ItemFactory(product=product, mpn="SHIRT-A")
    with pytest.raises(ValidationError) as excinfo:
        product_generate_variations(product=product, variations=variations)
    assert message in " ".join(excinfo.value.messages)
    assert product.items.count() == 1
    assert not product.item_groups.exists()


def test_a_clash_late_in_the_tree_leaves_no_group_behind(vendor):
    product = ProductFactory(vendor=vendor, name="Shirt")
    ItemFactory(product=product, mpn="SHIRT-BLUE-L")
    variations = Variations(
        levels=(VariationLevel("colour", ("Red", "Blue")), VariationLevel("size", ("S", "L")))
    )
    with pytest.raises(ValidationError, match="SHIRT-BLUE-L"):
        product_generate_variations(product=product, variations=variations)
    assert not product.item_groups.exists()
    assert product.items.count() == 1


def page_data(client, product, **fields):
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = change_form_data(client.get(url))
    data.update(fields)
    return url, data


def test_product_page_generates_the_tree_in_one_save(vendor_client, vendor):
    product = ProductFactory(vendor=vendor, name="Shirt")
    url, data = page_data(
        vendor_client,
        product,
        level_1_name="Colour",
        level_1_values="Red, Light green",
        level_2_name="size",
        level_2_values="S, M,L,",
        mpn_pattern="{product}-{colour}-{size}",
        variation_kind="one_time",
        variation_unit="piece",
        description="Organic cotton.",
    )
    response = vendor_client.post(url, data, follow=True)
    assert "6 items were generated." in response.content.decode()
    groups, rows = tree(product)
    assert len(groups) == 8 and len(rows) == 6
    product.refresh_from_db()
    assert product.description == "Organic cotton."
    html = vendor_client.get(url).content.decode()
    assert "Levels go from the top of the tree down" in html
    assert "SHIRT-LIGHT-GREEN-L" in html


def test_a_new_product_gets_its_tree_in_the_same_save(vendor_client, vendor):
    data = {
        "vendor": vendor.pk,
        "name": "Polo",
        "status": "draft",
        "level_1_name": "colour",
        "level_1_values": "Red",
        "level_2_name": "size",
        "level_2_values": "S, M",
        "variation_kind": "subscription",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "item_groups-TOTAL_FORMS": 0,
        "item_groups-INITIAL_FORMS": 0,
    }
    response = vendor_client.post(reverse("admin:catalog_product_add"), data)
    assert response.status_code == 302
    product = Product.objects.get(name="Polo")
    assert sorted(product.items.values_list("mpn", flat=True)) == ["POLO-RED-M", "POLO-RED-S"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"mpn_pattern": "{product}-{colour"}, "mpn_pattern", "without its pair"),
        ({"mpn_pattern": "{product}-{flavour}"}, "mpn_pattern", "cannot use {flavour}"),
        ({"mpn_pattern": "{product}-{colour}"}, "mpn_pattern", "put every level"),
        ({"mpn_pattern": "{product}-TAKEN"}, "mpn_pattern", None),
        ({"level_2_name": ""}, "level_2_name", "Name this level"),
        ({"level_1_name": "", "level_1_values": ""}, "level_1_values", "from the top down"),
        ({"level_1_name": "x y"}, None, "short lower-case word"),
        ({"level_1_values": "Red, Red"}, None, "a value twice"),
    ],
)
def test_bad_generator_input_is_a_form_error_and_changes_nothing(
    vendor_client, vendor, fields, field, message
):
    product = ProductFactory(vendor=vendor, name="Shirt", description="Before")
    taken = ItemFactory(product=product, mpn="SHIRT-TAKEN")
    base = {
        "level_1_name": "colour",
        "level_1_values": "Red, Green",
        "level_2_name": "size",
        "level_2_values": "S, M",
        "description": "After",
    }
    if field == "mpn_pattern" and message is None:  # a pattern that makes a taken MPN
        base.update(level_1_values="Taken", level_2_name="", level_2_values="")
        fields = {"mpn_pattern": "{product}-{colour}"}
        message = "already has an item with MPN SHIRT-TAKEN"
    url, data = page_data(vendor_client, product, **{**base, **fields})
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    errors = form.errors.get(field or "__all__")
    assert errors and message in " ".join(errors), form.errors
    product.refresh_from_db()
    assert product.description == "Before"
    assert list(product.items.all()) == [taken]
    assert not product.item_groups.exists()


def test_an_empty_generator_changes_only_the_product(vendor_client, vendor):
    product = ProductFactory(vendor=vendor, name="Shirt")
    url, data = page_data(vendor_client, product, category="Apparel")
    response = vendor_client.post(url, data, follow=True)
    assert "generated" not in response.content.decode()
    product.refresh_from_db()
    assert product.category == "Apparel"
    assert not product.items.exists()
