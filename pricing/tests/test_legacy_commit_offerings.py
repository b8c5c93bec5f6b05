"""Minimum-commit and percent-of-total offerings built before migration 0007 held the items
they applied to. The migration takes those items out of the offerings nobody bought and keeps
them in the sold ones; a sold one prices its old quotes as sold, sells no new line of those
items, and its clone holds the one item only."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from pricing import clone, errors, quote_lines, rates, selling, services
from pricing.models import OfferingItem, PriceBookItem, PriceInterval
from pricing.pricebook import IntervalSpec
from pricing.tests.factories import legacy_percent_of_total_offering, rules_before_0007

pytestmark = pytest.mark.django_db
D = Decimal
MIGRATION = importlib.import_module("pricing.migrations.0007_commitment_holds_its_item_only")


def migrate():
    """Run the migration's data step with the models as they were at 0006."""
    state = MigrationLoader(connection).project_state(("pricing", "0006_quote_line_breakdown"))
    MIGRATION.hold_the_one_item(state.apps, None)


def legacy(vendor, *, sold: bool):
    """A legacy support offering (10 % of seats at 12.00); sold: a processed quote of it."""
    world = legacy_percent_of_total_offering(
        vendor, seat_price=12, seats=10, percents=[IntervalSpec(price=D(10))]
    )
    if sold:
        with rules_before_0007():
            world["quote"] = sell(
                vendor,
                [(world, world["seats"], 10), (world, world["percent"], 1)],
            )
    return world


def sell(vendor, lines, customer="Contoso"):
    quote = selling.quote_create(
        vendor=vendor, customer=customer, currency="USD", start_date=date(2026, 1, 1), periods=3
    )
    for world, item, quantity in lines:
        quote_lines.quote_add_line(
            quote=quote,
            offering=world["offering"],
            rate=world["rate"],
            item=item,
            quantity=quantity,
        )
    return selling.quote_process(quote=quote, on=date(2026, 1, 1))


def test_an_unsold_offering_loses_what_it_applied_to_and_the_history_says_why(vendor):
    world = legacy(vendor, sold=False)
    seat_price = PriceBookItem.objects.get(rate=world["rate"], item=world["seats"])
    seat_interval = seat_price.intervals.get()

    migrate()

    assert list(world["offering"].offering_items.values_list("item__mpn", flat=True)) == ["SUPPORT"]
    assert list(world["offering"].offering_items.get().applies_to.all()) == [world["seats"]]
    assert not PriceBookItem.objects.filter(pk=seat_price.pk).exists()
    assert not PriceInterval.objects.filter(pk=seat_interval.pk).exists()
    for model, pk in (
        (PriceBookItem, seat_price.pk),
        (PriceInterval, seat_interval.pk),
        (OfferingItem, OfferingItem.history.get(item=world["seats"], history_type="+").id),
    ):
        deleted = model.history.get(id=pk, history_type="-")
        assert deleted.history_change_reason.startswith(
            "left its percent of total offering: it holds its one item only"
        )


def test_a_sold_offering_keeps_its_items_and_prices_its_quotes_as_sold(vendor):
    world = legacy(vendor, sold=True)
    sold = dict(world["quote"].lines.values_list("item__mpn", "amount"))
    assert sold == {"SEATS": D("360.00"), "SUPPORT": D("36.00")}
    rows = sorted(world["offering"].offering_items.values_list("item__mpn", flat=True))

    migrate()

    assert sorted(world["offering"].offering_items.values_list("item__mpn", flat=True)) == rows
    recomputed = selling.quote_recompute(world["quote"])
    for line in world["quote"].lines.select_related("item"):
        assert recomputed[line.pk] == sold[line.item.mpn]


def test_a_sold_offering_sells_no_new_line_of_what_it_no_longer_holds(vendor):
    world = legacy(vendor, sold=True)
    migrate()

    with pytest.raises(errors.InvalidOfferingComposition) as excinfo:
        sell(vendor, [(world, world["seats"], 5), (world, world["percent"], 1)], "Fabrikam")

    assert "'Support' still holds SEATS" in str(excinfo.value)
    assert "clone the offering" in str(excinfo.value)


def test_its_clone_holds_the_one_item_and_applies_it_to_seats_sold_elsewhere(vendor):
    world = legacy(vendor, sold=True)
    migrate()

    copy = clone.offering_clone(offering=world["offering"], name="Support 2027")

    assert list(copy.offering_items.values_list("item__mpn", flat=True)) == ["SUPPORT"]
    assert list(copy.offering_items.get().applies_to.all()) == [world["seats"]]
    assert list(
        PriceBookItem.objects.filter(rate__offering=copy).values_list("item__mpn", flat=True)
    ) == ["SUPPORT"]
    assert "left out SEATS" in copy.history.get().history_change_reason
    # The copy sells: its rate activated, the seats from an offering that sells them.
    rates.rate_activate(rate=copy.rates.get())
    made = services.offering_create(
        vendor=vendor, name="Seats", type="subscription", start_date=date(2026, 1, 1)
    )
    seats = {"offering": made}
    services.offering_add_item(offering=seats["offering"], item=world["seats"])
    seats["rate"] = rates.rate_create(offering=seats["offering"], name="USD", currency="USD")
    rates.price_book_item_save(
        rate=seats["rate"],
        item=world["seats"],
        charge_model="per_unit",
        intervals=[IntervalSpec(price=D(12))],
    )
    rates.rate_activate(rate=seats["rate"])
    copied = {"offering": copy, "rate": copy.rates.get()}
    quote = sell(vendor, [(seats, world["seats"], 10), (copied, world["percent"], 1)])
    assert dict(quote.lines.values_list("item__mpn", "amount")) == {
        "SEATS": D("360.00"),
        "SUPPORT": D("36.00"),
    }
