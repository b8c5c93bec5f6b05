"""Change impact (``insights.impact``), checked against quotes and contracts built here: a
proposed price moves each draft that it prices from its total now to its total then, and no
other; a processed quote keeps what it recorded and locks the rate; a rate that would be
inactive or active re-prices the drafts by the selector's rules; listings show a price only
where the portal's selector picks it; clones hold a copy the change does not reach."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Listing
from catalog.tests.factories import ListingFactory, MarketplaceFactory
from insights.impact import offering_impact, price_impact, rate_impact
from insights.tests.impact_builders import build_scene, quote
from insights.tests.paths_data import module_rows
from pricing.errors import InvalidPriceBookItem
from pricing.models import PriceBookItem, Rate
from pricing.pricebook.validation import IntervalSpec, PriceSpec, TierSpec
from pricing.selling import quote_process
from pricing.tests.factories import PriceBookItemFactory, PriceIntervalFactory, RateFactory

pytestmark = pytest.mark.django_db
D = Decimal
AT_12 = PriceSpec(charge_model="per_unit", intervals=(IntervalSpec(price=D("12.00")),))


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    from catalog.tests.factories import VendorFactory

    with module_rows(django_db_blocker):
        yield build_scene(VendorFactory(name="Northwind", slug="northwind-impact"))


def drafts(impact) -> dict[str, tuple]:
    return {
        d.reference: (d.before, d.after, bool(d.problem_before), bool(d.problem_after))
        for d in impact.drafts
    }


def test_a_proposed_price_moves_each_draft_it_prices_from_its_total_to_the_new_one(scene):
    impact = price_impact(scene.standard_basic, user=scene.user, proposed=AT_12)

    # 3 BASIC a month for 12 months: 360.00 at 10.00, 432.00 at 12.00.
    assert drafts(impact)[scene.draft_basic.reference] == (D("360.00"), D("432.00"), False, False)
    # The PRO draft does not sell BASIC; the marketplace's draft sells it at the channel's rate.
    assert scene.draft_pro.reference not in drafts(impact)
    assert scene.draft_on_channel.reference not in drafts(impact)
    # A draft that cannot be priced (attributes no price has) is not touched by it.
    assert scene.draft_unpriced.reference not in drafts(impact)
    assert impact.changed_drafts == 1
    assert impact.draft_count == 3  # the drafts quoting BASIC in the offering
    assert impact.proposal == "the proposed price"


def test_the_totals_are_the_totals_processing_would_record(scene):
    impact = price_impact(scene.standard_basic, user=scene.user)
    total = next(d.before for d in impact.drafts if d.quote == scene.draft_basic.pk)
    sold = quote_process(quote=quote(scene.catalog, (scene.catalog.basic, 3)))
    assert total == sold.total


def test_without_a_proposal_nothing_changes_and_no_amounts_are_drawn(scene):
    impact = price_impact(scene.standard_basic, user=scene.user)
    assert impact.proposal == ""
    assert impact.changed_drafts == 0
    assert all(d.before == d.after for d in impact.drafts)
    assert impact.amounts == ()


def test_the_processed_quote_keeps_its_recorded_total_and_locks_the_rate(scene):
    impact = price_impact(scene.standard_basic, user=scene.user, proposed=AT_12)
    [held] = impact.held_by
    assert (held.quote, held.contract) == (scene.processed.pk, scene.contract.pk)
    assert held.total == scene.processed.total == D("240")  # 2 BASIC × 10.00 × 12
    assert impact.held_count == 1
    assert impact.lock_reasons == (
        f"priced processed quote {scene.processed.reference}",
        f"priced contract C-{scene.contract.pk}",
    )


def test_the_amounts_at_each_quantity_before_and_after(scene):
    tiered = PriceSpec(
        charge_model="tiered",
        intervals=(
            IntervalSpec(
                tiers=(
                    TierSpec(start_unit=D(0), end_unit=D(5), price=D("10.00")),
                    TierSpec(start_unit=D(5), end_unit=None, price=D("6.00")),
                )
            ),
        ),
    )
    impact = price_impact(scene.standard_basic, user=scene.user, proposed=tiered)
    [interval] = impact.amounts
    rows = {row.quantity: (row.before, row.after) for row in interval.rows}
    assert rows[D(1)] == (D("10.00"), D("10.00"))
    assert rows[D(5)] == (D("50.00"), D("50.00"))
    assert rows[D(6)] == (D("60.00"), D("56.00"))  # 5 × 10.00 + 1 × 6.00
    assert {D(4), D(5), D(6)} <= set(rows)  # each side of the new tier edge
    assert [row.changed for row in interval.rows if row.quantity == D(6)] == [True]


def test_a_proposal_the_rules_refuse_is_refused_with_the_words_of_a_save(scene):
    no_tiers = PriceSpec(charge_model="tiered", intervals=(IntervalSpec(),))
    with pytest.raises(InvalidPriceBookItem) as refused:
        price_impact(scene.standard_basic, user=scene.user, proposed=no_tiers)
    assert "tier" in str(refused.value).lower()


def test_a_listing_shows_the_price_its_marketplace_selector_picks(scene):
    basic = price_impact(scene.standard_basic, user=scene.user)
    pro_price = scene.catalog.rate.price_book_items.get(item=scene.catalog.pro)
    pro = price_impact(pro_price, user=scene.user)
    [listing] = basic.listings
    assert (listing.marketplace, listing.status) == ("Northwind Market", Listing.Status.LISTED)
    assert not listing.shows  # the marketplace's own rate prices BASIC there
    assert [shown.shows for shown in pro.listings] == [True]


def test_a_draft_listing_shows_nothing(scene):
    elsewhere = MarketplaceFactory(currency="USD", name="Quiet Market")
    offer = scene.catalog.offering.plans.get().offer
    ListingFactory(offer=offer, marketplace=elsewhere, status=Listing.Status.DRAFT)
    pro_price = scene.catalog.rate.price_book_items.get(item=scene.catalog.pro)
    shown = {s.marketplace: s.shows for s in price_impact(pro_price, user=scene.user).listings}
    assert shown == {"Northwind Market": True, "Quiet Market": False}


def test_a_clone_holds_a_copy_the_change_does_not_reach(scene):
    impact = price_impact(scene.standard_basic, user=scene.user, proposed=AT_12)
    [clone] = impact.relatives
    copy = PriceBookItem.objects.get(pk=clone.copy)
    assert (clone.offering, clone.relation) == (scene.clone.pk, "clone")
    assert (copy.rate.offering_id, copy.item_id) == (scene.clone.pk, scene.catalog.basic.pk)
    [source] = offering_impact(scene.clone, user=scene.user).relatives
    assert (source.offering, source.relation) == (scene.catalog.offering.pk, "source")


def test_an_inactivated_rate_leaves_its_drafts_without_a_price(scene):
    impact = rate_impact(scene.catalog.rate, user=scene.user, status=Rate.Status.INACTIVE)
    found = drafts(impact)
    assert found[scene.draft_basic.reference] == (D("360.00"), None, False, True)
    assert found[scene.draft_pro.reference] == (D("120.00"), None, False, True)
    assert scene.draft_on_channel.reference not in found  # priced by the channel's rate
    assert impact.proposal == "if inactive"
    assert [held.quote for held in impact.held_by] == [scene.processed.pk]


def test_an_activated_channel_rate_takes_over_the_drafts_on_its_channel(scene):
    cheaper = RateFactory(
        offering=scene.catalog.offering,
        name="Market USD 2",
        sales_channel=MarketplaceFactory(currency="USD"),
        status=Rate.Status.DRAFT,
    )
    channel = cheaper.sales_channel
    price = PriceBookItemFactory(rate=cheaper, item=scene.catalog.pro)
    PriceIntervalFactory(price_book_item=price, sequence=1, price=D("5.00"))
    on_channel = quote(scene.catalog, (scene.catalog.pro, 1), channel=channel)

    impact = rate_impact(cheaper, user=scene.user, status=Rate.Status.ACTIVE)

    assert drafts(impact) == {on_channel.reference: (D("120.00"), D("60.00"), False, False)}
    assert rate_impact(cheaper, user=scene.user).drafts == ()  # as it is, it prices nothing


def test_the_offering_lists_what_holds_it_its_drafts_listings_and_clones(scene):
    impact = offering_impact(scene.catalog.offering, user=scene.user)
    assert impact.lock_reasons[:2] == (
        f"used by processed quote {scene.processed.reference}",
        f"held by contract C-{scene.contract.pk}",
    )
    assert [held.quote for held in impact.held_by] == [scene.processed.pk]
    assert {d.quote for d in impact.drafts} == {
        scene.draft_basic.pk,
        scene.draft_pro.pk,
        scene.draft_on_channel.pk,
        scene.draft_unpriced.pk,
    }
    assert drafts(impact)[scene.draft_on_channel.reference][0] == D("96.00")  # 8.00 × 12
    assert [(r.offering, r.relation) for r in impact.relatives] == [(scene.clone.pk, "clone")]
    assert [s.shows for s in impact.listings] == [True]


def test_another_vendors_user_sees_no_quote_listing_or_clone(scene, other_vendor):
    from catalog.tests.factories import vendor_staff

    stranger = vendor_staff(other_vendor)
    impact = offering_impact(scene.catalog.offering, user=stranger)
    assert (impact.held_by, impact.drafts, impact.listings, impact.relatives) == ((),) * 4
    assert (impact.held_count, impact.draft_count) == (0, 0)
