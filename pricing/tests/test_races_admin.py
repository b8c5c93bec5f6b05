"""The admin and the API race each other through the same services (PostgreSQL only).

Each test races an admin page against an API call, in threads with their own connections,
50 trials, and checks the invariant after every trial. ``RACE_UNLOCKED=1`` takes every
``FOR UPDATE`` out (see ``test_races``), to show the row locks are what keeps them.
"""

from __future__ import annotations

import time
from decimal import Decimal
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import vendor_staff
from catalog.tests.generated import report
from pricing import rates, selling
from pricing.models import OfferingItem, Quote, Rate
from pricing.tests.test_races import (  # noqa: F401  (the fixture is used by name)
    ROW_LOCK_RACES,
    TRIALS,
    _without_row_locks,
    race,
    sellable_quote,
)

pytestmark = ROW_LOCK_RACES


def clients(vendor):
    user = vendor_staff(vendor)
    admin = Client()
    admin.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return admin, api


def later(n: int, call, *args, **kwargs):
    """Start ``call`` 0 to 45 ms late, by trial, so that either side can win the race."""
    time.sleep((n % 10) * 0.005)
    return call(*args, **kwargs)


def assert_processed_once(quote_pk: int) -> Quote:
    """The invariant: processed, priced and frozen, once; every line recomputes."""
    quote = Quote.objects.get(pk=quote_pk)
    assert quote.status == Quote.Status.PROCESSED, "a stale admin save reverted the quote"
    assert quote.total is not None and quote.processed_at is not None
    lines = list(quote.lines.select_related("rate", "item", "quote"))
    assert all(line.amount is not None and line.price_snapshot for line in lines)
    assert quote.total == sum(line.amount for line in lines)
    assert all(selling.quote_line_recompute(line) == line.amount for line in lines)
    assert quote.history.filter(status=Quote.Status.PROCESSED).count() == 1
    return quote


@pytest.mark.parametrize("edit", ["customer", "line quantity"])
def test_an_admin_save_never_reverts_a_quote_the_api_processes(edit):
    outcomes = {"saved first": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        admin, api = clients(world["offering"].vendor)
        quote = world["quote"]
        url = reverse("admin:pricing_quote_change", args=[quote.pk])
        data = change_form_data(admin.get(url))
        if edit == "customer":
            data["customer"] = "Edited"
        else:
            data["lines-0-quantity"] = "4"
        saved, processed = race(
            partial(admin.post, url, data),
            partial(later, n, api.post, f"/api/v1/quotes/{quote.pk}/process/"),
        )
        assert saved[0] == processed[0] == "ok", (saved, processed)
        assert processed[1].status_code == 200, processed[1].content
        assert saved[1].status_code == 302
        quote = assert_processed_once(quote.pk)
        edited = quote.customer == "Edited" or quote.lines.get().quantity == 4
        outcomes["saved first" if edited else "refused"] += 1
    print(f"\nadmin quote save ({edit}) vs API process: {TRIALS} trials, {outcomes}")
    report(f"race: admin quote save ({edit}) vs API process", TRIALS)
    assert sum(outcomes.values()) == TRIALS


def test_an_active_rate_added_in_the_admin_and_an_added_item_serialize():
    outcomes = {"item first": 0, "refused": 0}
    for n in range(TRIALS):
        world = sellable_quote(n)
        offering = world["offering"]
        rates.rate_inactivate(rate=world["rate"])  # unlocked until the new rate lands
        admin, api = clients(offering.vendor)
        data = {
            "offering": offering.pk,
            "name": "Active EUR",
            "currency": "EUR",
            "billing_frequency": "monthly",
            "customer_group": "",
            "status": "active",
            "_activation_confirmed": "yes",  # the page that asks first was answered
            "price_book_items-TOTAL_FORMS": "0",
            "price_book_items-INITIAL_FORMS": "0",
        }
        added_rate, added_item = race(
            partial(admin.post, reverse("admin:pricing_rate_add"), data),
            partial(
                api.post,
                f"/api/v1/offerings/{offering.pk}/items/",
                {"item": world["extra"].pk},
                format="json",
            ),
        )
        assert added_rate[0] == "ok" and added_rate[1].status_code == 302, added_rate
        rate = Rate.objects.get(offering=offering, name="Active EUR")
        assert rate.status == Rate.Status.ACTIVE
        line = OfferingItem.objects.filter(offering=offering, item=world["extra"]).first()
        if line is None:
            assert added_item[1].status_code == 409, added_item[1].content
            outcomes["refused"] += 1
            continue
        # The invariant: the item went in while the offering was still unlocked.
        assert line.history.earliest().history_date < rate.history.earliest().history_date
        outcomes["item first"] += 1
    print(f"\nadmin add active rate vs add item: {TRIALS} trials, {outcomes}")
    report("race: admin add active rate vs API add item", TRIALS)
    assert sum(outcomes.values()) == TRIALS


def test_one_idempotency_key_processes_once_and_both_get_its_answer():
    for n in range(TRIALS):
        world = sellable_quote(n)
        _, api = clients(world["offering"].vendor)
        url = f"/api/v1/quotes/{world['quote'].pk}/process/"
        first, second = race(
            partial(api.post, url, HTTP_IDEMPOTENCY_KEY=f"process-{n}"),
            partial(api.post, url, HTTP_IDEMPOTENCY_KEY=f"process-{n}"),
        )
        assert first[0] == second[0] == "ok", (first, second)
        answers = [first[1], second[1]]
        assert [a.status_code for a in answers] == [200, 200], [a.content for a in answers]
        assert answers[0].json() == answers[1].json()
        assert Decimal(answers[0].json()["total"]) == Decimal("30")
        assert_processed_once(world["quote"].pk)
    report("race: one Idempotency-Key, two processing requests", TRIALS)
