"""Bad input is refused with a clear message and changes nothing, whoever writes it."""

import pytest
from django.core.exceptions import ValidationError

from catalog import services
from catalog.models import (
    AddOnRequirement,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    PlanItem,
)
from catalog.tests.factories import (
    ItemFactory,
    ItemGroupFactory,
    ListingFactory,
    OfferFactory,
    PlanFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_duplicate_mpn_in_a_product_is_refused():
    item = ItemFactory(mpn="O365-BASIC")
    with pytest.raises(ValidationError) as excinfo:
        services.item_create(product=item.product, mpn="O365-BASIC", name="Again")
    assert "already has an item with this MPN" in messages_of(excinfo)
    assert Item.objects.count() == 1


def test_same_mpn_in_another_product_is_fine():
    item = ItemFactory(mpn="SKU-1")
    other = services.item_create(
        product=ProductFactory(vendor=item.product.vendor), mpn="SKU-1", name="Other"
    )
    assert other.pk


def test_one_time_item_with_a_recurring_billing_period_is_refused():
    product = ProductFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.item_create(
            product=product,
            mpn="X",
            name="X",
            kind=Item.Kind.ONE_TIME,
            billing_period=Item.BillingPeriod.MONTHLY,
        )
    assert "One-time items are billed once" in messages_of(excinfo)
    assert not Item.objects.exists()


def test_upgrade_path_to_itself_is_refused():
    item = ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.item_add_path(source=item, target=item)
    assert "cannot upgrade or downgrade to itself" in messages_of(excinfo)
    assert not ItemPath.objects.exists()


def test_upgrade_path_across_products_is_refused():
    item = ItemFactory()
    elsewhere = ItemFactory(product=ProductFactory(vendor=item.product.vendor))
    with pytest.raises(ValidationError) as excinfo:
        services.item_add_path(source=item, target=elsewhere)
    assert "stay inside one product" in messages_of(excinfo)
    assert not ItemPath.objects.exists()


def test_upgrade_path_inside_a_product_is_kept_with_its_kind():
    basic = ItemFactory()
    standard = ItemFactory(product=basic.product)
    services.item_add_path(source=basic, target=standard)
    services.item_add_path(source=standard, target=basic, kind=ItemPath.Kind.DOWNGRADE)
    assert list(basic.paths.values_list("target", "kind")) == [(standard.pk, "upgrade")]
    assert list(standard.paths.values_list("target", "kind")) == [(basic.pk, "downgrade")]


def test_addon_that_requires_itself_is_refused():
    item = ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.item_require_base(addon=item, base=item)
    assert "cannot require itself" in messages_of(excinfo)
    assert not AddOnRequirement.objects.exists()


def test_addon_requiring_another_vendors_item_is_refused():
    addon = ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.item_require_base(addon=addon, base=ItemFactory())
    assert "belongs to another vendor" in messages_of(excinfo)
    assert not AddOnRequirement.objects.exists()


def test_addon_may_require_an_item_of_another_product_of_its_vendor():
    # Seed 001: Windows 10 add-ons sit beside the Office 365 home subscriptions they need.
    base = ItemFactory()
    addon = ItemFactory(product=ProductFactory(vendor=base.product.vendor))
    services.item_require_base(addon=addon, base=base)
    assert list(addon.requires_one_of.all()) == [base]
    assert list(base.addons.all()) == [addon]


def test_a_group_cannot_move_under_its_own_descendant():
    root = ItemGroupFactory(name="Red")
    child = ItemGroupFactory(product=root.product, parent=root, name="M")
    grandchild = ItemGroupFactory(product=root.product, parent=child, name="Slim")
    with pytest.raises(ValidationError) as excinfo:
        services.item_group_move(group=root, parent=grandchild)
    assert "cannot sit under itself" in messages_of(excinfo)
    root.refresh_from_db()
    assert root.parent is None


def test_a_group_cannot_be_its_own_parent():
    group = ItemGroupFactory()
    with pytest.raises(ValidationError):
        services.item_group_move(group=group, parent=group)
    group.refresh_from_db()
    assert group.parent is None


def test_a_group_cannot_sit_under_another_products_group():
    group = ItemGroupFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.item_group_create(product=group.product, name="X", parent=ItemGroupFactory())
    assert "belongs to another product" in messages_of(excinfo)
    assert ItemGroup.objects.count() == 2


def test_an_item_cannot_sit_in_another_products_group():
    with pytest.raises(ValidationError) as excinfo:
        services.item_create(product=ProductFactory(), mpn="X", name="X", group=ItemGroupFactory())
    assert "belongs to another product" in messages_of(excinfo)
    assert not Item.objects.exists()


@pytest.mark.parametrize("locale", ["xx", "english", "de-XX", "", "fr_CA_extra"])
def test_unknown_locale_code_is_refused(locale):
    item = ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.item_translate(item=item, locale=locale, name="Name")
    assert excinfo.value.message_dict["locale"]
    assert not ItemTranslation.objects.exists()


@pytest.mark.parametrize(
    ("written", "stored"), [("de", "de"), ("fr_ca", "fr-CA"), ("pt-BR", "pt-BR")]
)
def test_known_locale_codes_are_stored_in_canonical_form(written, stored):
    translation = services.item_translate(item=ItemFactory(), locale=written, name="Name")
    assert translation.locale == stored


def test_translating_twice_replaces_the_translation():
    item = ItemFactory()
    services.item_translate(item=item, locale="de", name="Erste")
    services.item_translate(item=item, locale="DE", name="Zweite")
    assert list(item.translations.values_list("locale", "name")) == [("de", "Zweite")]


def test_plan_that_includes_another_vendors_item_is_refused():
    plan = PlanFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.plan_add_item(plan=plan, item=ItemFactory(), quantity=2)
    assert "its own vendor's items" in messages_of(excinfo)
    assert not PlanItem.objects.exists()


def test_plan_item_needs_a_positive_quantity():
    plan = PlanFactory()
    item = ItemFactory(product=plan.offer.product)
    with pytest.raises(ValidationError):
        services.plan_add_item(plan=plan, item=item, quantity=0)
    assert not PlanItem.objects.exists()


def test_listing_an_offer_on_a_marketplace_twice_is_refused():
    listing = ListingFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.listing_publish(offer=listing.offer, marketplace=listing.marketplace)
    market = listing.marketplace
    assert f"This offer is already on {market.name} ({market.currency})." in messages_of(excinfo)
    assert Listing.objects.count() == 1


def test_marketplace_with_unknown_currency_or_country_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        services.validated_save(
            Marketplace(name="Nowhere", code="nw", currency="XYZ", countries="US, ZZ")
        )
    errors = excinfo.value.message_dict
    assert "not an ISO 4217 currency code" in errors["currency"][0]
    assert "ZZ" in errors["countries"][0]
    assert not Marketplace.objects.exists()


def test_offer_names_are_unique_per_product():
    offer = OfferFactory(name="For home")
    with pytest.raises(ValidationError):
        services.validated_save(type(offer)(product=offer.product, name="For home"))


def test_service_writes_record_history_with_the_acting_user(vendor_user):
    item = services.item_create(
        product=ProductFactory(vendor=vendor_user.membership.vendor),
        mpn="H-1",
        name="Tracked",
        by=vendor_user,
    )
    record = item.history.get()
    assert record.history_type == "+"
    assert record.history_user == vendor_user
