"""``visible_to(user)``: one place decides which rows each organization sees."""

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.models import (
    Feature,
    Item,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanFeature,
    Product,
    Vendor,
)
from catalog.tests.factories import (
    FeatureFactory,
    ItemFactory,
    ListingFactory,
    MarketplaceFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vendor, other_vendor, marketplace):
    """Vendor's offer listed on the distributor's marketplace; everything else is not."""
    elsewhere = MarketplaceFactory(code="eu", currency="EUR")
    listed = OfferFactory(product=ProductFactory(vendor=vendor, name="Listed product"))
    ListingFactory(offer=listed, marketplace=marketplace, status=Listing.Status.LISTED)
    draft = OfferFactory(product=ProductFactory(vendor=vendor, name="Draft product"))
    ListingFactory(offer=draft, marketplace=marketplace, status=Listing.Status.DRAFT)
    unlisted = OfferFactory(product=ProductFactory(vendor=vendor, name="Unlisted product"))
    ListingFactory(offer=unlisted, marketplace=marketplace, status=Listing.Status.UNLISTED)
    foreign_market = OfferFactory(product=ProductFactory(vendor=other_vendor, name="EU product"))
    ListingFactory(offer=foreign_market, marketplace=elsewhere, status=Listing.Status.LISTED)
    for offer in (listed, draft, unlisted, foreign_market):
        ItemFactory(product=offer.product, status=Item.Status.PUBLISHED)
        plan = PlanFactory(offer=offer)
        PlanFeatureFactory(plan=plan, feature=FeatureFactory(group__offer=offer))
    return {"listed": listed, "elsewhere": elsewhere}


def test_distributor_sees_only_what_is_listed_on_its_marketplaces(distributor_member, world):
    listed = world["listed"]
    user = distributor_member
    assert list(Offer.objects.visible_to(user)) == [listed]
    assert list(Product.objects.visible_to(user)) == [listed.product]
    assert list(Item.objects.visible_to(user)) == list(listed.product.items.all())
    assert list(Plan.objects.visible_to(user)) == list(listed.plans.all())
    assert Feature.objects.visible_to(user).get().group.offer == listed
    assert PlanFeature.objects.visible_to(user).get().plan.offer == listed
    assert [listing.offer for listing in Listing.objects.visible_to(user)] == [listed]
    assert list(Marketplace.objects.visible_to(user)) == list(
        distributor_member.membership.distributor.marketplaces.all()
    )
    assert not Vendor.objects.visible_to(user).exists()


def test_vendor_sees_its_own_rows_whatever_their_status(vendor_user, vendor, world):
    names = set(Product.objects.visible_to(vendor_user).values_list("name", flat=True))
    assert names == {"Listed product", "Draft product", "Unlisted product"}
    assert set(Offer.objects.visible_to(vendor_user)) == set(
        Offer.objects.filter(product__vendor=vendor)
    )
    assert list(Vendor.objects.visible_to(vendor_user)) == [vendor]
    assert Marketplace.objects.visible_to(vendor_user).count() == 2


def test_superuser_sees_everything(superuser, world):
    assert Offer.objects.visible_to(superuser).count() == 4


def test_users_without_an_organization_see_nothing(world):
    for user in (AnonymousUser(), UserFactory(), UserFactory(is_staff=True, is_active=False)):
        assert not Product.objects.visible_to(user).exists()
        assert not Marketplace.objects.visible_to(user).exists()
        assert not Listing.objects.visible_to(user).exists()


def test_inactive_vendor_staff_see_nothing(vendor_user, world):
    vendor_user.is_active = False
    assert not Product.objects.visible_to(vendor_user).exists()
