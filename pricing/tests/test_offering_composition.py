"""An offering's items must fit its type; a refused change saves nothing."""

import pytest

from catalog.models import Item
from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import services
from pricing.errors import InvalidOfferingComposition
from pricing.models import Offering, OfferingItem, OfferingItemScope
from pricing.tests.factories import OfferingFactory, PriceBookItemFactory, RateFactory

pytestmark = pytest.mark.django_db
K = Item.Kind
T = Offering.Type


@pytest.fixture
def product(vendor):
    return ProductFactory(vendor=vendor)


@pytest.fixture
def make_item(product):
    def make(kind, mpn=None):
        return ItemFactory(product=product, kind=kind, **({"mpn": mpn} if mpn else {}))

    return make


def offering_of(vendor, offering_type):
    return services.offering_create(
        vendor=vendor, name=f"{offering_type} offering", type=offering_type
    )


def test_seats_with_implementation_fee(vendor, make_item):
    """Seed 002: one-time fee × 1 and seats × 10 monthly, a Subscription offering."""
    offering = offering_of(vendor, T.SUBSCRIPTION)
    seats = make_item(K.SUBSCRIPTION, "SEATS")
    fee = make_item(K.ONE_TIME, "IMPL-FEE")
    services.offering_add_item(offering=offering, item=seats, default_quantity=10, required=True)
    services.offering_add_item(offering=offering, item=fee, default_quantity=1, required=True)
    assert sorted(offering.offering_items.values_list("item__mpn", "default_quantity")) == [
        ("IMPL-FEE", 1),
        ("SEATS", 10),
    ]


def test_subscription_offering_needs_a_subscription_item_first(vendor, make_item):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_add_item(offering=offering, item=make_item(K.USAGE))
    assert excinfo.value.code == "INVALID_OFFERING_COMPOSITION"
    assert "at least one subscription item" in str(excinfo.value)
    assert not OfferingItem.objects.exists()


@pytest.mark.parametrize(
    ("offering_type", "kind"),
    [
        (T.SUBSCRIPTION, K.MINIMUM_COMMIT),
        (T.SUBSCRIPTION, K.PERCENT_OF_TOTAL),
        (T.ONE_TIME, K.USAGE),
        (T.ONE_TIME, K.MINIMUM_COMMIT),
        (T.MINIMUM_COMMIT, K.SUBSCRIPTION),
        (T.PERCENT_OF_TOTAL, K.USAGE),
    ],
)
def test_kinds_a_type_does_not_allow_are_refused(vendor, make_item, offering_type, kind):
    offering = offering_of(vendor, offering_type)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_add_item(offering=offering, item=make_item(kind))
    assert "cannot contain" in str(excinfo.value) or "exactly one" in str(excinfo.value)
    assert not OfferingItem.objects.exists()


def test_one_time_offering_takes_subscription_and_one_time_items(vendor, make_item):
    offering = offering_of(vendor, T.ONE_TIME)
    services.offering_add_item(offering=offering, item=make_item(K.ONE_TIME))
    services.offering_add_item(offering=offering, item=make_item(K.SUBSCRIPTION))
    assert offering.offering_items.count() == 2


def test_minimum_commit_offering_holds_its_commitment_scoped_to_usage_sold_elsewhere(
    vendor, make_item
):
    """Seed 002: the commit offering holds the commitment alone; the usage it applies to is
    sold in the vendor's other offerings."""
    offering = offering_of(vendor, T.MINIMUM_COMMIT)
    storage, calls = make_item(K.USAGE), make_item(K.USAGE)
    commit_item = make_item(K.MINIMUM_COMMIT)
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(
                item=commit_item, default_quantity=1, required=True, applies_to=(storage, calls)
            )
        ],
    )
    commit = offering.offering_items.get()
    assert commit.item == commit_item
    assert set(commit.applies_to.all()) == {storage, calls}


@pytest.mark.parametrize(
    ("offering_type", "anchor", "other"),
    [
        (T.MINIMUM_COMMIT, K.MINIMUM_COMMIT, K.USAGE),
        (T.PERCENT_OF_TOTAL, K.PERCENT_OF_TOTAL, K.SUBSCRIPTION),
    ],
)
def test_a_commit_or_percent_offering_holds_nothing_but_its_one_item(
    vendor, make_item, offering_type, anchor, other
):
    offering = offering_of(vendor, offering_type)
    services.offering_add_item(offering=offering, item=make_item(anchor))
    extra = make_item(other, "WHAT-IT-APPLIES-TO")
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_add_item(offering=offering, item=extra)
    assert f"cannot contain {K(other).label.lower()} item WHAT-IT-APPLIES-TO" in str(excinfo.value)
    assert offering.offering_items.count() == 1


def test_a_second_commit_item_is_refused(vendor, make_item):
    offering = offering_of(vendor, T.MINIMUM_COMMIT)
    services.offering_add_item(offering=offering, item=make_item(K.MINIMUM_COMMIT))
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_add_item(offering=offering, item=make_item(K.MINIMUM_COMMIT))
    assert "exactly one minimum commitment item (it has 2)" in str(excinfo.value)
    assert offering.offering_items.count() == 1


def test_an_application_list_names_the_vendors_items_anywhere_of_the_right_kind(
    vendor, other_vendor, make_item
):
    """Seed 002: a percent-of-total (or commitment) item applies to the vendor's items in any
    of its offerings; never to another vendor's, never to the wrong kind."""
    from catalog.tests.factories import ItemFactory, ProductFactory

    offering = offering_of(vendor, T.PERCENT_OF_TOTAL)
    percent = services.offering_add_item(
        offering=offering, item=make_item(K.PERCENT_OF_TOTAL, "SUPPORT-PCT")
    )
    seats = make_item(K.SUBSCRIPTION, "SEATS")
    services.offering_add_item(offering=offering_of(vendor, T.SUBSCRIPTION), item=seats)
    elsewhere = make_item(K.SUBSCRIPTION, "ELSEWHERE")  # in no offering yet
    stranger = ItemFactory(product=ProductFactory(vendor=other_vendor), kind=K.SUBSCRIPTION)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_set_scope(line=percent, applies_to=[stranger])
    assert "not this vendor's" in str(excinfo.value)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_set_scope(line=percent, applies_to=[make_item(K.USAGE, "CALLS")])
    assert "applies only to subscription items, not to CALLS" in str(excinfo.value)
    services.offering_set_scope(line=percent, applies_to=[seats, elsewhere])
    assert sorted(OfferingItemScope.objects.values_list("item__mpn", flat=True)) == [
        "ELSEWHERE",
        "SEATS",
    ]


def test_the_anchor_item_comes_first(vendor, make_item):
    offering = offering_of(vendor, T.PERCENT_OF_TOTAL)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_add_item(offering=offering, item=make_item(K.SUBSCRIPTION))
    assert "add it first" in str(excinfo.value)


def test_scope_on_an_ordinary_item_is_refused(vendor, make_item):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    seats = make_item(K.SUBSCRIPTION)
    services.offering_add_item(offering=offering, item=seats)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_add_item(
            offering=offering, item=make_item(K.SUBSCRIPTION), applies_to=[seats]
        )
    assert "Only a minimum-commit or percent-of-total item has a scope" in str(excinfo.value)


def test_commit_scope_on_a_subscription_item_is_refused(vendor, make_item):
    offering = offering_of(vendor, T.MINIMUM_COMMIT)
    commit = services.offering_add_item(offering=offering, item=make_item(K.MINIMUM_COMMIT))
    usage = make_item(K.USAGE)
    services.offering_set_scope(line=commit, applies_to=[usage])
    with pytest.raises(InvalidOfferingComposition):
        services.offering_set_scope(line=commit, applies_to=[make_item(K.SUBSCRIPTION)])
    assert list(commit.applies_to.all()) == [usage]


def test_removing_the_last_subscription_item_is_refused(vendor, make_item):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    seats = make_item(K.SUBSCRIPTION)
    services.offering_add_item(offering=offering, item=seats)
    services.offering_add_item(offering=offering, item=make_item(K.USAGE))
    with pytest.raises(InvalidOfferingComposition):
        services.offering_remove_item(offering=offering, item=seats)
    assert offering.offering_items.count() == 2


def test_removing_a_priced_item_is_refused(vendor, make_item):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    seats, extra = make_item(K.SUBSCRIPTION), make_item(K.SUBSCRIPTION)
    services.offering_add_item(offering=offering, item=seats)
    services.offering_add_item(offering=offering, item=extra)
    PriceBookItemFactory(rate=RateFactory(offering=offering), item=extra)
    with pytest.raises(InvalidOfferingComposition) as excinfo:
        services.offering_remove_item(offering=offering, item=extra)
    assert "still has prices" in str(excinfo.value)
    services.offering_remove_item(offering=offering, item=seats)
    assert list(offering.offering_items.values_list("item", flat=True)) == [extra.pk]


def test_changing_type_must_fit_the_items(vendor, make_item):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    services.offering_add_item(offering=offering, item=make_item(K.SUBSCRIPTION))
    services.offering_add_item(offering=offering, item=make_item(K.USAGE))
    with pytest.raises(InvalidOfferingComposition):
        services.offering_update(offering=offering, type=T.ONE_TIME)
    offering.refresh_from_db()
    assert offering.type == T.SUBSCRIPTION


def test_another_vendors_item_is_refused(vendor, other_vendor):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    foreign = ItemFactory(product=ProductFactory(vendor=other_vendor))
    with pytest.raises(Exception) as excinfo:
        services.offering_add_item(offering=offering, item=foreign)
    assert "its vendor's items" in str(excinfo.value)
    assert not OfferingItem.objects.exists()


def test_required_item_needs_a_quantity(vendor, make_item):
    offering = offering_of(vendor, T.SUBSCRIPTION)
    with pytest.raises(Exception) as excinfo:
        services.offering_add_item(
            offering=offering, item=make_item(K.SUBSCRIPTION), required=True, default_quantity=0
        )
    assert "at least 1" in str(excinfo.value)


def test_end_date_before_start_date_is_refused(vendor):
    from datetime import date

    with pytest.raises(Exception) as excinfo:
        services.offering_create(
            vendor=vendor, name="Backwards", start_date=date(2026, 5, 1), end_date=date(2026, 4, 30)
        )
    assert "end date cannot be before the start date" in str(excinfo.value)
    assert not Offering.objects.exists()


def test_available_means_active_and_inside_its_dates(vendor):
    from datetime import date

    current = OfferingFactory(vendor=vendor, start_date=date(2026, 1, 1))
    OfferingFactory(vendor=vendor, start_date=date(2026, 1, 1), status="inactive")
    OfferingFactory(vendor=vendor, start_date=date(2027, 1, 1))
    OfferingFactory(vendor=vendor, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    assert list(Offering.objects.available(on=date(2026, 6, 1))) == [current]
    assert current.is_available(on=date(2026, 6, 1))
