"""factory-boy factories for the catalog; each builds a valid row of one vendor."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from catalog import models
from catalog.roles import DISTRIBUTOR, VENDOR_STAFF


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")


class MarketplaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Marketplace

    name = factory.Sequence(lambda n: f"Marketplace {n}")
    code = factory.Sequence(lambda n: f"mp{n}")
    currency = "USD"
    countries = "US"


class DistributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Distributor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Distributor {n}")
    slug = factory.Sequence(lambda n: f"distributor-{n}")

    @factory.post_generation
    def marketplaces(self, create, extracted, **kwargs):
        if create and extracted:
            self.marketplaces.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


def vendor_staff(vendor, **kwargs):
    """A staff user of ``vendor`` in the Vendor staff group."""
    user = UserFactory(is_staff=True, **kwargs)
    models.Membership.objects.create(user=user, vendor=vendor)
    user.groups.add(Group.objects.get(name=VENDOR_STAFF))
    return user


def distributor_user(distributor, **kwargs):
    user = UserFactory(is_staff=False, **kwargs)
    models.Membership.objects.create(user=user, distributor=distributor)
    user.groups.add(Group.objects.get(name=DISTRIBUTOR))
    return user


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Product

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    status = models.Product.Status.PUBLISHED


class ItemGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ItemGroup

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Item

    product = factory.SubFactory(ProductFactory)
    mpn = factory.Sequence(lambda n: f"MPN-{n:05d}")
    name = factory.Sequence(lambda n: f"Item {n}")
    kind = models.Item.Kind.SUBSCRIPTION
    billing_period = factory.LazyAttribute(
        lambda i: (
            models.Item.BillingPeriod.ONE_TIME
            if i.kind == models.Item.Kind.ONE_TIME
            else models.Item.BillingPeriod.MONTHLY
        )
    )


class ItemTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ItemTranslation

    item = factory.SubFactory(ItemFactory)
    locale = "de"
    name = factory.LazyAttribute(lambda t: f"{t.item.name} ({t.locale})")


class ItemPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ItemPath

    source = factory.SubFactory(ItemFactory)
    target = factory.SubFactory(ItemFactory, product=factory.SelfAttribute("..source.product"))
    kind = models.ItemPath.Kind.UPGRADE


class AddOnRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AddOnRequirement

    addon = factory.SubFactory(ItemFactory)
    base = factory.SubFactory(ItemFactory, product=factory.SelfAttribute("..addon.product"))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Offer

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Offer {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Plan

    offer = factory.SubFactory(OfferFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    position = factory.Sequence(int)


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanItem

    plan = factory.SubFactory(PlanFactory)
    item = factory.SubFactory(ItemFactory, product=factory.SelfAttribute("..plan.offer.product"))
    quantity = 1


class FeatureGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeatureGroup

    offer = factory.SubFactory(OfferFactory)
    name = factory.Sequence(lambda n: f"Feature group {n}")
    position = factory.Sequence(int)


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feature

    group = factory.SubFactory(FeatureGroupFactory)
    name = factory.Sequence(lambda n: f"Feature {n}")
    position = factory.Sequence(int)


class PlanFeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanFeature

    plan = factory.SubFactory(PlanFactory)
    feature = factory.SubFactory(
        FeatureFactory, group__offer=factory.SelfAttribute("...plan.offer")
    )
    included = True


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Listing

    offer = factory.SubFactory(OfferFactory)
    marketplace = factory.SubFactory(MarketplaceFactory)
    status = models.Listing.Status.LISTED


class OfferTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OfferTranslation

    offer = factory.SubFactory(OfferFactory)
    locale = "de"
    name = factory.LazyAttribute(lambda t: f"{t.offer.name} ({t.locale})")


class PlanTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanTranslation

    plan = factory.SubFactory(PlanFactory)
    locale = "de"
    name = factory.LazyAttribute(lambda t: f"{t.plan.name} ({t.locale})")


class FeatureGroupTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeatureGroupTranslation

    group = factory.SubFactory(FeatureGroupFactory)
    locale = "de"
    name = factory.LazyAttribute(lambda t: f"{t.group.name} ({t.locale})")


class FeatureTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeatureTranslation

    feature = factory.SubFactory(FeatureFactory)
    locale = "de"
    name = factory.LazyAttribute(lambda t: f"{t.feature.name} ({t.locale})")


def build_catalog(vendor, size: int, marketplace=None):
    """``size`` of everything for one vendor: products, items and all that hangs off them,
    published and listed on ``marketplace`` (so its distributors see all of it)."""
    marketplace = marketplace or MarketplaceFactory()
    for _ in range(size):
        product = ProductFactory(vendor=vendor)
        parent = ItemGroupFactory(product=product)
        group = ItemGroupFactory(product=product, parent=parent)
        base, addon = ItemFactory.create_batch(
            2, product=product, group=group, status=models.Item.Status.PUBLISHED
        )
        ItemTranslationFactory(item=base)
        ItemPathFactory(source=base, target=addon)
        AddOnRequirementFactory(addon=addon, base=base)
        offer = OfferFactory(product=product)
        plan = PlanFactory(offer=offer)
        PlanItemFactory(plan=plan, item=base)
        feature = FeatureFactory(group__offer=offer)
        PlanFeatureFactory(plan=plan, feature=feature)
        ListingFactory(offer=offer, marketplace=marketplace)
