"""Every API list and detail and every portal page, walked as a distributor, shows no draft
and nothing under one.

The world holds a draft row of every model with a draft status (product, item, listing, rate,
quote), rows that hang under a draft (an item of a draft product, translations, paths, add-on
requirements, plan items, plans and features of a draft product's offer) and published, listed
siblings of each. Every such hidden row gets an id from ``HIDDEN_FROM`` up and, where it has a
name, the word HIDDEN in it: a response that holds such an id anywhere (as a row, a nested row
or a reference) or the word leaks a draft. A first test checks the world against the rule
itself, found by following each row's foreign keys, so the labels cannot drift from it.
There are no CSV or other exports to walk: the API and the portal are the only readers.
"""

from __future__ import annotations

import itertools

import pytest
from django.apps import apps

from catalog.models import Item, ItemPath, Listing, Product
from catalog.tests.factories import (
    AddOnRequirementFactory,
    FeatureFactory,
    FeatureGroupFactory,
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
from catalog.tests.generated import report
from catalog_site.api import router
from pricing.models import Rate
from pricing.tests.factories import (
    OfferingFactory,
    OfferingItemFactory,
    QuoteFactory,
    RateFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_FROM = 1_000_000
MARK = "HIDDEN"
DRAFT = "draft"
APPS = ("catalog", "pricing")
_hidden_pks = itertools.count(HIDDEN_FROM)


def hidden(factory, **kwargs):
    """A row that is a draft or hangs under one: an id from the hidden range, a marked name."""
    pk = next(_hidden_pks)
    fields = {field.name for field in factory._meta.model._meta.fields}
    if "name" in fields:
        kwargs.setdefault("name", f"{MARK} {pk}")
    return factory(pk=pk, **kwargs)


def tracked_models() -> list:
    """The catalog's and pricing's own models (their history tables aside)."""
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


def has_draft_status(model) -> bool:
    field = next((f for f in model._meta.fields if f.name == "status"), None)
    return field is not None and DRAFT in dict(field.choices or ())


def drafts_above(row) -> list:
    """The drafts this row is or hangs under, following its foreign keys up."""
    found, todo, seen = [], [row], set()
    while todo:
        node = todo.pop()
        if (type(node), node.pk) in seen:
            continue
        seen.add((type(node), node.pk))
        if has_draft_status(type(node)) and node.status == DRAFT:
            found.append(node)
        for field in node._meta.concrete_fields:
            if field.many_to_one and field.related_model._meta.app_label in APPS:
                parent = getattr(node, field.name)
                if parent is not None:
                    todo.append(parent)
    return found


@pytest.fixture
def world(vendor, marketplace):
    """Published and listed rows the distributor sees, and drafts beside them."""
    product = ProductFactory(vendor=vendor, status=Product.Status.PUBLISHED)
    group = ItemGroupFactory(product=product)
    base = ItemFactory(product=product, group=group, status=Item.Status.PUBLISHED)
    addon = ItemFactory(product=product, status=Item.Status.PUBLISHED)
    ItemTranslationFactory(item=base)
    ItemPathFactory(source=base, target=addon)
    AddOnRequirementFactory(addon=addon, base=base)
    offering = OfferingFactory(vendor=vendor)
    OfferingItemFactory(offering=offering, item=base)
    RateFactory(offering=offering, status=Rate.Status.ACTIVE)
    offer = OfferFactory(product=product)
    plan = PlanFactory(offer=offer, offering=offering)
    PlanItemFactory(plan=plan, item=base)
    PlanFeatureFactory(plan=plan, feature=FeatureFactory(group__offer=offer))
    ListingFactory(offer=offer, marketplace=marketplace, status=Listing.Status.LISTED)

    # A draft item of the listed product, and what hangs under it.
    draft = hidden(ItemFactory, product=product, group=group, status=Item.Status.DRAFT)
    hidden(ItemTranslationFactory, item=draft, name=f"{MARK} translation")
    hidden(ItemPathFactory, source=base, target=draft)
    hidden(ItemPathFactory, source=draft, target=addon, kind=ItemPath.Kind.DOWNGRADE)
    hidden(AddOnRequirementFactory, addon=draft, base=base)
    hidden(AddOnRequirementFactory, addon=addon, base=draft)
    hidden(PlanItemFactory, plan=plan, item=draft)
    # A draft listing of another offer of that product.
    hidden(
        ListingFactory,
        offer=OfferFactory(product=product),
        marketplace=marketplace,
        status=Listing.Status.DRAFT,
    )

    # A draft product whose offer is listed on the distributor's marketplace.
    draft_product = hidden(ProductFactory, vendor=vendor, status=Product.Status.DRAFT)
    draft_group = hidden(ItemGroupFactory, product=draft_product)
    first, second = (
        hidden(ItemFactory, product=draft_product, group=draft_group, status=Item.Status.PUBLISHED)
        for _ in range(2)
    )
    hidden(ItemTranslationFactory, item=first, name=f"{MARK} translation")
    hidden(ItemPathFactory, source=first, target=second)
    hidden(AddOnRequirementFactory, addon=second, base=first)
    draft_offer = hidden(OfferFactory, product=draft_product)
    draft_plan = hidden(PlanFactory, offer=draft_offer)
    hidden(PlanItemFactory, plan=draft_plan, item=first)
    feature_group = hidden(FeatureGroupFactory, offer=draft_offer)
    feature = hidden(FeatureFactory, group=feature_group)
    hidden(PlanFeatureFactory, plan=draft_plan, feature=feature, text=MARK)
    hidden(ListingFactory, offer=draft_offer, marketplace=marketplace, status=Listing.Status.LISTED)

    # Pricing drafts: a rate and a quote (distributors read no pricing rows at all).
    hidden(RateFactory, offering=offering, status=Rate.Status.DRAFT)
    hidden(QuoteFactory, vendor=vendor)


def test_the_world_has_a_draft_of_every_kind_and_marks_exactly_what_hangs_under_drafts(world):
    with_drafts = [model for model in tracked_models() if has_draft_status(model)]
    assert {model.__name__ for model in with_drafts} >= {"Product", "Item", "Listing"}
    for model in with_drafts:
        assert model.objects.filter(status=DRAFT).exists(), f"no draft {model.__name__}"
    checked = 0
    for model in tracked_models():
        for row in model.objects.all():
            marked = row.pk >= HIDDEN_FROM
            assert marked == bool(drafts_above(row)), f"{model.__name__} {row.pk}"
            checked += 1
    report("draft walk: world rows checked against the draft rule", checked)
    assert checked > 0


def leaks(value, where: str = "") -> list[str]:
    """Where a hidden id or the HIDDEN mark sits in a JSON value."""
    if isinstance(value, dict):
        return [leak for key, item in value.items() for leak in leaks(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [leak for i, item in enumerate(value) for leak in leaks(item, f"{where}[{i}]")]
    if isinstance(value, int) and not isinstance(value, bool) and value >= HIDDEN_FROM:
        return [f"{where} = {value}"]
    if isinstance(value, str) and MARK in value:
        return [f"{where} = {value!r}"]
    return []


def test_no_list_or_detail_shows_a_distributor_a_draft_or_what_hangs_under_one(
    world, distributor_api, distributor_member
):
    requests, endpoints = 0, set()
    for prefix, viewset, _ in router.registry:
        model = viewset.queryset.model
        url = f"/api/v1/{prefix}/"
        response = distributor_api.get(url, {"page_size": 200})
        requests += 1
        assert response.status_code == 200, url
        body = response.json()
        assert not leaks(body), (url, leaks(body))
        if model._meta.app_label == "catalog":
            assert body["results"], f"{url}: the published siblings are listed"
        visible = set(model.objects.visible_to(distributor_member).values_list("pk", flat=True))
        for pk in model.objects.order_by("pk").values_list("pk", flat=True):
            response = distributor_api.get(f"{url}{pk}/")
            requests += 1
            if pk >= HIDDEN_FROM or pk not in visible:
                assert response.status_code == 404, (f"{url}{pk}/", response.status_code)
            else:
                assert response.status_code == 200, f"{url}{pk}/"
                assert not leaks(response.json()), (f"{url}{pk}/", leaks(response.json()))
        endpoints.add(prefix)
    report("draft walk: distributor API requests", requests)
    assert requests > 0
    assert endpoints == {prefix for prefix, _, _ in router.registry}


def test_no_portal_page_shows_a_distributor_a_draft_or_what_hangs_under_one(
    world, client, distributor_member
):
    client.force_login(distributor_member)
    pages = ["/portal/", "/portal/?lang=de"]
    listings = Listing.objects.order_by("pk")
    visible = set(Listing.objects.visible_to(distributor_member).values_list("pk", flat=True))
    assert visible, "the published sibling is listed"
    for listing in listings:
        url = f"/portal/listings/{listing.pk}/"
        if listing.pk >= HIDDEN_FROM or listing.pk not in visible:
            assert client.get(url).status_code == 404, url
        else:
            pages += [url, f"{url}?lang=de"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARK not in response.content.decode(), url
    report("draft walk: distributor portal requests", len(pages) + len(listings))
