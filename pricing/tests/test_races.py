"""Concurrent writers cannot slip past the offering and quote row locks (PostgreSQL only).

Each test races two service calls in threads, 50 trials, and checks the invariant after
every trial. On SQLite ``select_for_update`` does nothing and writers serialize on the
database file, so these tests are skipped there with the reason printed.
"""

from __future__ import annotations

import os
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import QuerySet

from catalog import prepared
from catalog.models import Item
from catalog.tests.factories import ItemFactory, ProductFactory, VendorFactory
from catalog.tests.generated import report
from catalog.tests.profiles import cases
from pricing import quote_lines, rates, selling, services
from pricing.errors import OfferingLocked, QuoteNotDraft
from pricing.models import PriceInterval, Quote
from pricing.pricebook import IntervalSpec

TRIALS = cases(50)  # 50 on the ci profile (catalog.tests.profiles)

# Every race module's marks: real transactions, on PostgreSQL only.
ROW_LOCK_RACES = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL (set DATABASE_URL); SQLite has no FOR UPDATE",
    ),
]
pytestmark = ROW_LOCK_RACES


@pytest.fixture(autouse=True)
def _without_row_locks(monkeypatch):
    """RACE_UNLOCKED=1 takes every FOR UPDATE out, to show these tests catch the races
    (prepared statements are built again without them, and again after)."""
    if os.environ.get("RACE_UNLOCKED") == "1":
        monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *a, **k: self)
        prepared.forget()
        yield
        monkeypatch.undo()
        prepared.forget()
    else:
        yield


def race(*calls):
    """Start the calls together in threads; each answers ("ok", value) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=60)
            results[index] = ("ok", call())
        except Exception as exc:
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(result is not None for result in results), "a racer did not finish"
    return results


def sellable_quote(n: int):
    """A fresh vendor, offering with an active rate and a draft quote ready to process."""
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor)
    seats = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION)
    extra = ItemFactory(product=product, kind=Item.Kind.SUBSCRIPTION)
    offering = services.offering_create(
        vendor=vendor, name=f"Race {n}", start_date=date(2026, 1, 1)
    )
    services.offering_add_item(offering=offering, item=seats, default_quantity=1, required=True)
    rate = rates.rate_create(offering=offering, name="USD", currency="USD")
    pbi = rates.price_book_item_save(
        rate=rate,
        item=seats,
        charge_model="per_unit",
        intervals=[IntervalSpec(price=Decimal("10"))],
    )
    rates.rate_activate(rate=rate)
    quote = selling.quote_create(
        vendor=vendor, customer="Race", currency="USD", start_date=date(2026, 1, 1), periods=1
    )
    quote_lines.quote_add_line(quote=quote, offering=offering, rate=rate, item=seats, quantity=3)
    return {
        "offering": offering,
        "rate": rate,
        "pbi": pbi,
        "quote": quote,
        "seats": seats,
        "extra": extra,
    }


def test_processing_and_adding_an_item_never_both_win():
    outcomes = {"added": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        rates.rate_inactivate(rate=world["rate"])  # unlocked until the quote is processed...
        rates.rate_activate(rate=world["rate"])  # ...which needs the rate active: locked
        process, add = race(
            lambda w=world: selling.quote_process(quote=w["quote"]),
            lambda w=world: services.offering_add_item(offering=w["offering"], item=w["extra"]),
        )
        assert process[0] == "ok", process
        offering_items = set(world["offering"].offering_items.values_list("item", flat=True))
        if add[0] == "ok":
            outcomes["added"] += 1
        else:
            assert isinstance(add[1], OfferingLocked), add
            outcomes["refused"] += 1
        # The invariant: a locked offering never gained the item.
        assert world["extra"].pk not in offering_items
    print(f"\nprocess vs add item: {TRIALS} trials, {outcomes}")
    report("race: process quote vs add item", TRIALS)
    assert outcomes["refused"] == TRIALS


def test_activating_a_rate_and_adding_an_item_serialize():
    """Activation locks the offering: an add that wins must have committed before it."""
    outcomes = {"added before activation": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        rates.rate_inactivate(rate=world["rate"])
        activate, add = race(
            lambda w=world: rates.rate_activate(rate=w["rate"]),
            lambda w=world: services.offering_add_item(offering=w["offering"], item=w["extra"]),
        )
        assert activate[0] == "ok", activate
        if add[0] == "error":
            assert isinstance(add[1], OfferingLocked), add
            outcomes["refused"] += 1
            continue
        added = world["offering"].offering_items.get(item=world["extra"]).history.earliest()
        activated = world["rate"].history.latest()
        # The invariant: the item went in while the offering was still unlocked.
        assert added.history_date < activated.history_date, "item added to a locked offering"
        outcomes["added before activation"] += 1
    print(f"\nactivate rate vs add item: {TRIALS} trials, {outcomes}")
    report("race: activate rate vs add item", TRIALS)
    assert sum(outcomes.values()) == TRIALS


def test_a_price_change_and_processing_agree_on_the_price():
    outcomes = {"changed first": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        process, change = race(
            lambda w=world: selling.quote_process(quote=w["quote"]),
            lambda w=world: rates.price_book_item_save(
                rate=w["rate"],
                item=w["seats"],
                instance=w["pbi"],
                charge_model="per_unit",
                intervals=[IntervalSpec(price=Decimal("11"))],
            ),
        )
        assert process[0] == "ok", process
        line = world["quote"].lines.get()
        current = PriceInterval.objects.get(price_book_item=world["pbi"]).price
        # The invariant: what the quote froze is the price as it stands, and it recomputes.
        assert Decimal(line.price_snapshot["intervals"][0]["price"]) == current
        assert selling.quote_line_recompute(line) == line.amount == current * 3
        outcomes["changed first" if change[0] == "ok" else "refused"] += 1
    print(f"\nprocess vs price change: {TRIALS} trials, {outcomes}")
    report("race: process quote vs price change", TRIALS)
    assert sum(outcomes.values()) == TRIALS


def test_the_same_quote_is_processed_once():
    outcomes = {"processed once": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        first, second = race(
            lambda w=world: selling.quote_process(quote=w["quote"]),
            lambda w=world: selling.quote_process(quote=w["quote"]),
        )
        oks = [r for r in (first, second) if r[0] == "ok"]
        errors = [r[1] for r in (first, second) if r[0] == "error"]
        assert len(oks) == 1, (first, second)
        assert len(errors) == 1 and isinstance(errors[0], QuoteNotDraft), errors
        quote = Quote.objects.get(pk=world["quote"].pk)
        processed = quote.history.filter(status=Quote.Status.PROCESSED).count()
        assert processed == 1
        outcomes["processed once"] += 1
    print(f"\nsame quote twice: {TRIALS} trials, {outcomes}")
    report("race: same quote processed twice", TRIALS)
    assert outcomes["processed once"] == TRIALS


def test_activating_a_rate_and_changing_an_offering_item_serialize():
    """Activation locks the offering: a change that wins must have committed before it."""
    outcomes = {"changed before activation": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        rates.rate_inactivate(rate=world["rate"])
        activate, change = race(
            lambda w=world: rates.rate_activate(rate=w["rate"]),
            lambda w=world: services.offering_update_item(
                offering=w["offering"], item=w["seats"], default_quantity=7
            ),
        )
        assert activate[0] == "ok", activate
        line = world["offering"].offering_items.get(item=world["seats"])
        if change[0] == "error":
            assert isinstance(change[1], OfferingLocked), change
            assert line.default_quantity == 1
            outcomes["refused"] += 1
            continue
        changed = line.history.latest()
        activated = world["rate"].history.latest()
        # The invariant: the item changed while the offering was still unlocked.
        assert changed.default_quantity == 7
        assert changed.history_date < activated.history_date, "a locked offering's item changed"
        outcomes["changed before activation"] += 1
    print(f"\nactivate rate vs change offering item: {TRIALS} trials, {outcomes}")
    report("race: activate rate vs change offering item", TRIALS)
    assert sum(outcomes.values()) == TRIALS


def test_a_line_change_and_processing_agree_on_the_quantity():
    outcomes = {"changed first": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        line = world["quote"].lines.get()
        process, change = race(
            lambda w=world: selling.quote_process(quote=w["quote"]),
            lambda w=world, pk=line.pk: quote_lines.quote_change_line(
                quote=w["quote"], line_id=pk, quantity=Decimal(5)
            ),
        )
        assert process[0] == "ok", process
        line.refresh_from_db()
        # The invariant: the processed line's amount is for the quantity it holds.
        assert line.amount == line.quantity * 10
        if change[0] == "ok":
            assert line.quantity == 5
            outcomes["changed first"] += 1
        else:
            assert isinstance(change[1], QuoteNotDraft), change
            assert line.quantity == 3
            outcomes["refused"] += 1
    print(f"\nprocess vs change quote line: {TRIALS} trials, {outcomes}")
    report("race: process quote vs change quote line", TRIALS)
    assert sum(outcomes.values()) == TRIALS
