"""Distributors never see drafts: ``visible_to`` leaves out draft rows and what hangs under them.

A distributor admitted to a marketplace sees the listed offers there; a draft item of such a
product, a listed offer of a draft product, and everything under either (translations, paths,
add-on requirements, plan items, plans, features) stay with the vendor. Vendor staff and
superusers see their drafts as before.
"""

import pytest

from catalog.models import (
    AddOnRequirement,
    Feature,
    FeatureGroup,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Offer,
    Plan,
    PlanFeature,
    PlanItem,
    Product,
)
from catalog.tests.factories import (
    AddOnRequirementFactory,
    FeatureFactory,
    ItemFactory,
    ItemGroupFactory,
    ItemPathFactory,
    ItemTranslationFactory,
    ListingFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
    PlanItemFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

PUBLISHED, DRAFT = Item.Status.PUBLISHED, Item.Status.DRAFT


@pytest.fixture
def shelf(vendor, marketplace):
    """A listed offer of a published product with a published and a draft item, and a listed
    offer of a draft product; each with translations, paths, add-ons, plans and features."""
    product = ProductFactory(vendor=vendor, name="Office", status=Product.Status.PUBLISHED)
    offer = OfferFactory(product=product, name="For home")
    ListingFactory(offer=offer, marketplace=marketplace, status=Listing.Status.LISTED)
    business = OfferFactory(product=product, name="For business")
    ListingFactory(offer=business, marketplace=marketplace, status=Listing.Status.DRAFT)
    item = ItemFactory(product=product, name="Office Basic", status=PUBLISHED)
    ItemTranslationFactory(item=item, locale="de", name="Office Basis")
    draft = ItemFactory(product=product, name="Office Secret", status=DRAFT)
    ItemTranslationFactory(item=draft, locale="de", name="Office Geheim")
    plan = PlanFactory(offer=offer, name="Basic")
    PlanItemFactory(plan=plan, item=item)
    PlanItemFactory(plan=plan, item=draft)
    ItemPathFactory(source=item, target=draft)
    ItemPathFactory(source=draft, target=item)
    AddOnRequirementFactory(addon=draft, base=item)
    AddOnRequirementFactory(addon=item, base=draft)

    draft_product = ProductFactory(vendor=vendor, name="Coming", status=Product.Status.DRAFT)
    draft_offer = OfferFactory(product=draft_product, name="Coming soon")
    ListingFactory(offer=draft_offer, marketplace=marketplace, status=Listing.Status.LISTED)
    ItemGroupFactory(product=draft_product)
    unseen = ItemFactory(product=draft_product, name="Coming Item", status=PUBLISHED)
    ItemTranslationFactory(item=unseen, locale="de", name="Kommt bald")
    PlanFeatureFactory(
        plan=PlanFactory(offer=draft_offer), feature=FeatureFactory(group__offer=draft_offer)
    )
    return {"item": item, "draft": draft, "offer": offer, "draft_product": draft_product}


def test_a_draft_item_of_a_listed_product_is_not_in_the_distributors_item_list(
    distributor_api, shelf
):
    response = distributor_api.get("/api/v1/items/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [shelf["item"].pk]


def test_a_draft_items_detail_is_404_for_a_distributor(distributor_api, shelf):
    response = distributor_api.get(f"/api/v1/items/{shelf['draft'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"]


def test_a_draft_items_name_and_translations_appear_in_no_distributor_response(
    distributor_api, shelf
):
    for prefix in ("items", "products", "offers", "plans", "listings", "features"):
        response = distributor_api.get(f"/api/v1/{prefix}/")
        assert response.status_code == 200, prefix
        body = response.content.decode()
        for secret in ("Office Secret", "Office Geheim", "Coming", "Kommt bald"):
            assert secret not in body, (prefix, secret)
    detail = distributor_api.get(f"/api/v1/items/{shelf['item'].pk}/").json()
    assert [row["name"] for row in detail["translations"]] == ["Office Basis"]


def test_a_published_item_names_no_draft_item_as_path_or_add_on_base(distributor_api, shelf):
    detail = distributor_api.get(f"/api/v1/items/{shelf['item'].pk}/").json()
    assert detail["upgrades_to"] == []
    assert detail["requires_one_of"] == []


def test_plans_list_no_draft_item_to_distributors(distributor_api, shelf):
    draft_id = shelf["draft"].pk
    offer = distributor_api.get(f"/api/v1/offers/{shelf['offer'].pk}/").json()
    assert [row["item"] for row in offer["plans"][0]["items"]] == [shelf["item"].pk]
    plans = distributor_api.get("/api/v1/plans/").json()["results"]
    assert draft_id not in {row["item"] for plan in plans for row in plan["items"]}


def test_the_listed_offer_of_a_draft_product_is_not_shown_to_distributors(distributor_api, shelf):
    offers = distributor_api.get("/api/v1/offers/").json()["results"]
    assert [row["id"] for row in offers] == [shelf["offer"].pk]
    listings = distributor_api.get("/api/v1/listings/").json()["results"]
    assert [row["offer"] for row in listings] == [shelf["offer"].pk]
    product = shelf["draft_product"]
    assert distributor_api.get(f"/api/v1/products/{product.pk}/").status_code == 404


@pytest.mark.parametrize(
    "model",
    [
        Product,
        ItemGroup,
        Item,
        ItemTranslation,
        AddOnRequirement,
        ItemPath,
        Offer,
        Plan,
        PlanItem,
        FeatureGroup,
        Feature,
        PlanFeature,
        Listing,
    ],
)
def test_visible_to_a_distributor_holds_no_draft_nor_anything_under_one(
    model, distributor_member, shelf
):
    hidden = [row.pk for row in model.objects.all() if _draft_ancestors(row)]
    assert hidden, f"the shelf has a {model.__name__} that is or hangs under a draft"
    shown = model.objects.visible_to(distributor_member)
    assert not [row.pk for row in shown if _draft_ancestors(row)]


def _draft_ancestors(row) -> set:
    """The draft rows (products, items, listings) this row is or hangs under, by its keys."""
    found, todo, seen = set(), [row], set()
    while todo:
        node = todo.pop()
        key = (type(node), node.pk)
        if key in seen:
            continue
        seen.add(key)
        if getattr(node, "status", None) == "draft" and isinstance(node, Product | Item | Listing):
            found.add(key)
        for field in node._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.app_label == "catalog":
                parent = getattr(node, field.name)
                if parent is not None:
                    todo.append(parent)
    return found


def test_vendor_staff_and_superusers_still_see_their_drafts(
    vendor_api, vendor_user, superuser, shelf
):
    ids = {row["id"] for row in vendor_api.get("/api/v1/items/").json()["results"]}
    assert shelf["draft"].pk in ids
    assert vendor_api.get(f"/api/v1/items/{shelf['draft'].pk}/").status_code == 200
    detail = vendor_api.get(f"/api/v1/items/{shelf['item'].pk}/").json()
    assert detail["upgrades_to"] == [shelf["draft"].pk]
    for user in (vendor_user, superuser):
        assert shelf["draft"] in Item.objects.visible_to(user)
        assert shelf["draft_product"] in Product.objects.visible_to(user)
        assert PlanItem.objects.visible_to(user).filter(item=shelf["draft"]).exists()
