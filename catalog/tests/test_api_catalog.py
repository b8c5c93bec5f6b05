"""The catalog REST API (/api/v1/): writes through the services, scoping, errors, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import (
    AddOnRequirement,
    Feature,
    FeatureGroup,
    Item,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanItem,
    Product,
)
from catalog.tests.factories import (
    AddOnRequirementFactory,
    FeatureFactory,
    FeatureGroupFactory,
    ItemFactory,
    ItemPathFactory,
    ItemTranslationFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
    PlanItemFactory,
    ProductFactory,
    build_catalog,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"

# prefix → model: every list endpoint of the catalog API.
ENDPOINTS = {
    "products": Product,
    "items": Item,
    "marketplaces": Marketplace,
    "offers": Offer,
    "plans": Plan,
    "feature-groups": FeatureGroup,
    "features": Feature,
    "listings": Listing,
}
WRITABLE = [prefix for prefix in ENDPOINTS if prefix != "marketplaces"]


def assert_invalid(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert field in body["errors"], body
    return body


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# Happy paths ---------------------------------------------------------------------------------


def test_vendor_staff_create_read_update_and_delete_a_product(vendor_api, vendor):
    response = vendor_api.post(
        f"{API}/products/", {"name": "Office", "category": "Productivity"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["vendor"] == vendor.pk  # read-only: always the caller's vendor
    assert body["status"] == Product.Status.DRAFT

    url = f"{API}/products/{body['id']}/"
    assert vendor_api.get(url).json()["name"] == "Office"
    response = vendor_api.patch(url, {"status": "published"}, format="json")
    assert response.status_code == 200, response.content
    assert Product.objects.get(pk=body["id"]).status == Product.Status.PUBLISHED

    assert vendor_api.delete(url).status_code == 204
    assert not Product.objects.filter(pk=body["id"]).exists()


def test_deleting_a_product_that_offers_use_is_protected(vendor_api, vendor):
    offer = OfferFactory(product__vendor=vendor)
    response = vendor_api.delete(f"{API}/products/{offer.product_id}/")
    assert response.status_code == 409
    assert response.json() == {
        "code": "PROTECTED",
        "detail": "Still used by offers; change its status instead of deleting it.",
        "errors": {},
    }
    assert Product.objects.filter(pk=offer.product_id).exists()


def test_items_are_written_with_translations_add_on_bases_and_paths(vendor_api, vendor):
    product = ProductFactory(vendor=vendor)
    base, bigger, smaller = ItemFactory.create_batch(3, product=product)
    response = vendor_api.post(
        f"{API}/items/",
        {
            "product": product.pk,
            "mpn": "ADDON-1",
            "name": "Add-on",
            "kind": "subscription",
            "translations": [
                {"locale": "de", "name": "Zusatz"},
                {"locale": "fr_ca", "name": "Extra", "description": "Option"},
            ],
            "requires_one_of": [base.pk],
            "upgrades_to": [bigger.pk],
            "downgrades_to": [smaller.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["billing_period"] == Item.BillingPeriod.MONTHLY
    assert sorted(t["locale"] for t in body["translations"]) == ["de", "fr-CA"]
    assert body["requires_one_of"] == [base.pk]
    assert body["upgrades_to"] == [bigger.pk]
    assert body["downgrades_to"] == [smaller.pk]

    # Each set is replaced as a whole; a target may switch from upgrade to downgrade.
    url = f"{API}/items/{body['id']}/"
    response = vendor_api.patch(
        url,
        {
            "translations": [{"locale": "de", "name": "Erweiterung"}],
            "requires_one_of": [],
            "upgrades_to": [],
            "downgrades_to": [bigger.pk, smaller.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = vendor_api.get(url).json()
    assert body["translations"] == [{"locale": "de", "name": "Erweiterung", "description": ""}]
    assert body["requires_one_of"] == []
    assert body["upgrades_to"] == []
    assert sorted(body["downgrades_to"]) == sorted([bigger.pk, smaller.pk])
    item = Item.objects.get(pk=body["id"])
    assert item.translations.count() == 1
    assert set(item.paths.values_list("kind", flat=True)) == {ItemPath.Kind.DOWNGRADE}

    # Leaving a set out keeps it.
    response = vendor_api.patch(url, {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    assert sorted(response.json()["downgrades_to"]) == sorted([bigger.pk, smaller.pk])


def test_offer_reads_nest_plans_feature_groups_and_the_matrix(vendor_api, vendor):
    offer = OfferFactory(product__vendor=vendor)
    item = ItemFactory(product=offer.product)
    basic = PlanFactory(offer=offer, name="Basic", position=1)
    premium = PlanFactory(offer=offer, name="Premium", position=2)
    PlanItemFactory(plan=basic, item=item, quantity=3)
    group = FeatureGroupFactory(offer=offer, name="Teamwork", position=1)
    chat = FeatureFactory(group=group, name="Chat", position=1)
    PlanFeatureFactory(plan=premium, feature=chat, included=True, text="unlimited")

    body = vendor_api.get(f"{API}/offers/{offer.pk}/").json()
    assert body["product"] == offer.product_id
    assert [plan["name"] for plan in body["plans"]] == ["Basic", "Premium"]
    assert body["plans"][0]["items"] == [{"item": item.pk, "quantity": 3}]
    assert body["feature_groups"] == [
        {
            "id": group.pk,
            "name": "Teamwork",
            "position": 1,
            "translations": [],
            "features": [{"id": chat.pk, "name": "Chat", "position": 1, "translations": []}],
        }
    ]
    assert body["matrix"] == [
        {"plan": premium.pk, "feature": chat.pk, "included": True, "text": "unlimited"}
    ]


def test_offers_plans_and_features_are_created_flat(vendor_api, vendor):
    product = ProductFactory(vendor=vendor)
    first, second = ItemFactory.create_batch(2, product=product)
    response = vendor_api.post(
        f"{API}/offers/", {"product": product.pk, "name": "For home"}, format="json"
    )
    assert response.status_code == 201, response.content
    offer_id = response.json()["id"]

    response = vendor_api.post(
        f"{API}/plans/",
        {
            "offer": offer_id,
            "name": "Basic",
            "items": [{"item": first.pk, "quantity": 2}, {"item": second.pk}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    assert PlanItem.objects.filter(plan_id=plan_id).count() == 2

    response = vendor_api.patch(
        f"{API}/plans/{plan_id}/", {"items": [{"item": second.pk, "quantity": 5}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["items"] == [{"item": second.pk, "quantity": 5}]

    response = vendor_api.post(
        f"{API}/feature-groups/", {"offer": offer_id, "name": "Apps"}, format="json"
    )
    assert response.status_code == 201, response.content
    response = vendor_api.post(
        f"{API}/features/", {"group": response.json()["id"], "name": "Word"}, format="json"
    )
    assert response.status_code == 201, response.content

    body = vendor_api.get(f"{API}/offers/{offer_id}/").json()
    assert [plan["id"] for plan in body["plans"]] == [plan_id]
    assert body["feature_groups"][0]["features"][0]["name"] == "Word"


def test_listings_are_created_and_marketplaces_read(vendor_api, vendor, marketplace):
    offer = OfferFactory(product__vendor=vendor)
    response = vendor_api.post(
        f"{API}/listings/", {"offer": offer.pk, "marketplace": marketplace.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == Listing.Status.DRAFT
    response = vendor_api.patch(
        f"{API}/listings/{response.json()['id']}/", {"status": "listed"}, format="json"
    )
    assert response.json()["status"] == Listing.Status.LISTED

    marketplace.countries = "US,CA"
    marketplace.save()
    body = vendor_api.get(f"{API}/marketplaces/{marketplace.pk}/").json()
    assert body == {
        "id": marketplace.pk,
        "name": "North America",
        "code": "us",
        "currency": "USD",
        "countries": ["US", "CA"],
    }
    # Vendor staff hold no add_marketplace permission: refused before the method is looked at.
    assert vendor_api.post(f"{API}/marketplaces/", {}, format="json").status_code == 403


def test_lists_filter_search_and_order(vendor_api, vendor, marketplace):
    product = ProductFactory(vendor=vendor, name="Alpha")
    ItemFactory(product=product, mpn="AAA-1", kind=Item.Kind.USAGE)
    ItemFactory(product=ProductFactory(vendor=vendor, name="Beta"), mpn="BBB-1")
    euro = MarketplaceFactory(currency="EUR")
    listing = ListingFactory(offer__product=product, marketplace=euro)

    assert len(ids(vendor_api.get(f"{API}/items/?kind=usage"))) == 1
    assert len(ids(vendor_api.get(f"{API}/items/?search=bbb"))) == 1
    assert len(ids(vendor_api.get(f"{API}/items/?product={product.pk}"))) == 1
    names = [
        row["name"] for row in vendor_api.get(f"{API}/products/?ordering=-name").json()["results"]
    ]
    assert names == ["Beta", "Alpha"]
    assert ids(vendor_api.get(f"{API}/listings/?currency=eur")) == {listing.pk}
    assert ids(vendor_api.get(f"{API}/offers/?marketplace={euro.pk}")) == {listing.offer_id}
    assert ids(vendor_api.get(f"{API}/marketplaces/?currency=EUR")) == {euro.pk}
    assert vendor_api.get(f"{API}/items/?kind=nonsense").status_code == 400


# Bad input: 400, the field named, nothing saved ------------------------------------------------


def test_duplicate_mpn_is_refused_and_nothing_is_saved(vendor_api, vendor):
    item = ItemFactory(product__vendor=vendor, mpn="DUP-1")
    before = (Item.objects.count(), ItemTranslation.objects.count())
    response = vendor_api.post(
        f"{API}/items/",
        {
            "product": item.product_id,
            "mpn": "DUP-1",
            "name": "Copy",
            "translations": [{"locale": "de", "name": "Kopie"}],
        },
        format="json",
    )
    assert_invalid(response, "mpn")
    assert (Item.objects.count(), ItemTranslation.objects.count()) == before


@pytest.mark.parametrize(
    "field, target",
    [("upgrades_to", "itself"), ("downgrades_to", "itself"), ("upgrades_to", "other product")],
)
def test_bad_paths_are_refused_and_nothing_is_saved(vendor_api, vendor, field, target):
    item = ItemFactory(product__vendor=vendor, name="Before")
    sibling = ItemFactory(product=item.product)
    other = item if target == "itself" else ItemFactory(product__vendor=vendor)
    before = ItemPath.objects.count()
    response = vendor_api.patch(
        f"{API}/items/{item.pk}/",
        # A good path first: it must be rolled back with the bad one.
        {"name": "After", field: [sibling.pk, other.pk]},
        format="json",
    )
    body = assert_invalid(response, field)
    expected = "itself" if target == "itself" else "inside one product"
    assert expected in body["errors"][field][0]
    assert ItemPath.objects.count() == before
    assert Item.objects.get(pk=item.pk).name == "Before"


def test_an_add_on_cannot_require_itself(vendor_api, vendor):
    item = ItemFactory(product__vendor=vendor)
    response = vendor_api.patch(
        f"{API}/items/{item.pk}/", {"requires_one_of": [item.pk]}, format="json"
    )
    body = assert_invalid(response, "requires_one_of")
    assert "itself" in body["errors"]["requires_one_of"][0]
    assert AddOnRequirement.objects.count() == 0


def test_an_add_on_cannot_require_another_vendors_item(vendor_api, vendor, other_vendor):
    item = ItemFactory(product__vendor=vendor)
    foreign = ItemFactory(product__vendor=other_vendor)
    response = vendor_api.patch(
        f"{API}/items/{item.pk}/", {"requires_one_of": [foreign.pk]}, format="json"
    )
    assert_invalid(response, "requires_one_of")
    assert AddOnRequirement.objects.count() == 0


def test_an_unknown_locale_is_refused_and_the_item_not_created(vendor_api, vendor):
    product = ProductFactory(vendor=vendor)
    before = (Item.objects.count(), ItemTranslation.objects.count())
    response = vendor_api.post(
        f"{API}/items/",
        {
            "product": product.pk,
            "mpn": "NEW-1",
            "name": "New",
            "translations": [{"locale": "de", "name": "Neu"}, {"locale": "xx-YY", "name": "?"}],
        },
        format="json",
    )
    body = assert_invalid(response, "translations")
    assert "xx-YY is not a known locale" in body["errors"]["translations"][0]
    assert (Item.objects.count(), ItemTranslation.objects.count()) == before


def test_another_vendors_product_is_an_unknown_product(vendor_api, other_vendor):
    foreign = ProductFactory(vendor=other_vendor, name="Secret Contoso Thing")
    before = Item.objects.count()
    response = vendor_api.post(
        f"{API}/items/",
        {"product": foreign.pk, "mpn": "X-1", "name": "Sneaky"},
        format="json",
    )
    assert_invalid(response, "product")
    assert b"Secret Contoso Thing" not in response.content
    assert Item.objects.count() == before
    response = vendor_api.post(
        f"{API}/offers/", {"product": foreign.pk, "name": "Sneaky"}, format="json"
    )
    assert_invalid(response, "product")
    assert Offer.objects.count() == 0


def test_a_duplicate_listing_is_refused(vendor_api, vendor, marketplace):
    listing = ListingFactory(offer__product__vendor=vendor, marketplace=marketplace)
    response = vendor_api.post(
        f"{API}/listings/",
        {"offer": listing.offer_id, "marketplace": marketplace.pk, "status": "listed"},
        format="json",
    )
    assert_invalid(response, "marketplace")
    assert Listing.objects.count() == 1


def test_a_duplicate_product_name_is_refused(vendor_api, vendor):
    ProductFactory(vendor=vendor, name="Office")
    response = vendor_api.post(f"{API}/products/", {"name": "Office"}, format="json")
    assert_invalid(response, "name")
    assert Product.objects.count() == 1


# Scoping ------------------------------------------------------------------------------------


@pytest.fixture
def foreign_rows(other_vendor):
    """One row of every writable model, all of the other vendor."""
    build_catalog(other_vendor, 1)
    return {
        prefix: ENDPOINTS[prefix].objects.for_vendor(other_vendor).first() for prefix in WRITABLE
    }


@pytest.mark.parametrize("prefix", WRITABLE)
def test_another_vendors_rows_are_not_found(vendor_api, vendor, foreign_rows, prefix):
    build_catalog(vendor, 1)
    row = foreign_rows[prefix]
    listed = ids(vendor_api.get(f"{API}/{prefix}/"))
    assert listed and row.pk not in listed
    url = f"{API}/{prefix}/{row.pk}/"
    for response in (
        vendor_api.get(url),
        vendor_api.patch(url, {"name": "Hijacked"}, format="json"),
        vendor_api.delete(url),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "NOT_FOUND"
    assert ENDPOINTS[prefix].objects.filter(pk=row.pk).exists()


@pytest.fixture
def distributor_world(vendor, marketplace):
    """The vendor's catalog listed on the distributor's marketplace, plus offers it must not see."""
    build_catalog(vendor, 1, marketplace=marketplace)
    draft = ListingFactory(
        offer__product__vendor=vendor, marketplace=marketplace, status=Listing.Status.DRAFT
    )
    elsewhere = ListingFactory(offer__product__vendor=vendor, marketplace=MarketplaceFactory())
    return {"hidden_offers": {draft.offer_id, elsewhere.offer_id}}


def test_distributors_see_only_listed_offers_on_their_marketplaces(
    distributor_api, distributor_world, marketplace
):
    visible = Offer.objects.filter(
        listings__marketplace=marketplace, listings__status=Listing.Status.LISTED
    )
    assert ids(distributor_api.get(f"{API}/offers/")) == set(visible.values_list("pk", flat=True))
    assert ids(distributor_api.get(f"{API}/marketplaces/")) == {marketplace.pk}
    listings = distributor_api.get(f"{API}/listings/").json()["results"]
    assert {row["status"] for row in listings} == {"listed"}
    for offer_id in distributor_world["hidden_offers"]:
        assert distributor_api.get(f"{API}/offers/{offer_id}/").status_code == 404
    for prefix in ENDPOINTS:
        assert ids(distributor_api.get(f"{API}/{prefix}/")), prefix


@pytest.mark.parametrize("prefix", WRITABLE)
def test_distributors_write_nothing(distributor_api, distributor_world, prefix):
    row = ENDPOINTS[prefix].objects.first()
    url = f"{API}/{prefix}/{row.pk}/"
    for response in (
        distributor_api.post(f"{API}/{prefix}/", {"name": "New"}, format="json"),
        distributor_api.patch(url, {"name": "Changed"}, format="json"),
        distributor_api.delete(url),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "PERMISSION_DENIED"
    assert ENDPOINTS[prefix].objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("prefix", ENDPOINTS)
def test_anonymous_callers_are_not_authenticated(api_client, vendor, prefix):
    response = api_client.get(f"{API}/{prefix}/")
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"


# Pagination and query counts ----------------------------------------------------------------


def test_lists_are_paginated_and_page_size_is_capped(vendor_api, vendor):
    Product.objects.bulk_create(Product(vendor=vendor, name=f"P{n:03d}") for n in range(205))
    body = vendor_api.get(f"{API}/products/?page_size=2").json()
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}
    assert (body["count"], body["count_capped"]) == (205, False)
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"] is None
    assert len(vendor_api.get(f"{API}/products/?page_size=500").json()["results"]) == 200


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["vendor_api", "distributor_api"])
def test_list_queries_do_not_grow_with_rows_or_page_size(
    request, who, vendor, marketplace, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    build_catalog(vendor, 2, marketplace=marketplace)
    # A full first page (of 1 row), so that it is counted: a shorter one is not.
    small = {prefix: _count_queries(client, f"{API}/{prefix}/?page_size=1") for prefix in ENDPOINTS}
    build_catalog(vendor, 4, marketplace=marketplace)
    for prefix, count in small.items():
        for query in ("", "?page_size=1", "?page_size=50"):
            with django_assert_max_num_queries(count):
                response = client.get(f"{API}/{prefix}/{query}")
            assert response.status_code == 200
            assert response.json()["results"], prefix


def test_detail_queries_do_not_grow_with_nested_rows(
    vendor_api, vendor, django_assert_max_num_queries
):
    build_catalog(vendor, 1)
    offer, item, plan = Offer.objects.get(), Item.objects.first(), Plan.objects.get()
    urls = [f"{API}/offers/{offer.pk}/", f"{API}/items/{item.pk}/", f"{API}/plans/{plan.pk}/"]
    small = {url: _count_queries(vendor_api, url) for url in urls}

    for _ in range(3):
        extra = PlanFactory(offer=offer)
        PlanItemFactory(plan=extra, item=ItemFactory(product=offer.product))
        PlanItemFactory(plan=plan, item=ItemFactory(product=offer.product))
        feature = FeatureFactory(group__offer=offer)
        PlanFeatureFactory(plan=extra, feature=feature)
        target = ItemFactory(product=item.product)
        ItemPathFactory(source=item, target=target)
        AddOnRequirementFactory(addon=item, base=ItemFactory(product=item.product))
    ItemTranslationFactory(item=item, locale="fr")

    for url, count in small.items():
        with django_assert_max_num_queries(count):
            assert vendor_api.get(url).status_code == 200
