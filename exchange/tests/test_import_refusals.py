"""A refused row says why, and a confirm with any refused row writes nothing at all: the
lock, a duplicate price, a bad interval, an unknown item, another vendor's row."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Item
from exchange.outcomes import REFUSED
from exchange.tests.books import append, edit, outcomes, run
from exchange.tests.workbooks import row_counts
from pricing.models import LockRefusal

pytestmark = pytest.mark.django_db


def refusals(report):
    return [(row.sheet, row.reason) for row in outcomes(report, REFUSED)]


def assert_refused_and_nothing_written(northwind, expected_sheet, expected_reason, **files):
    dry = run(northwind, **files)
    assert [sheet for sheet, _reason in refusals(dry)] == [expected_sheet] * len(refusals(dry))
    assert refusals(dry), "the dry run refused nothing"
    assert all(expected_reason in reason for _sheet, reason in refusals(dry)), refusals(dry)
    before = row_counts()
    staff = get_user_model().objects.get(username="northwind")
    confirmed = run(northwind, dry_run=False, by=staff, **files)
    assert not confirmed.applied
    assert row_counts() == before


# The other rows of the same files are fine: a second, unrelated change rides along, and is
# not written either.
def with_a_good_change(catalog: bytes) -> bytes:
    return edit(catalog, "products", {"name": "Northwind Cloud Platform"}, {"category": "X"})


def test_a_locked_offerings_items_cannot_change(books, northwind):
    prices = edit(
        books[1],
        "offering items",
        {"offering": "Seats with implementation fee", "mpn": "NW-SEATS"},
        {"default quantity": 7},
    )
    assert_refused_and_nothing_written(
        northwind,
        "offering items",
        "is locked",
        catalog=with_a_good_change(books[0]),
        prices=prices,
    )


def test_a_locked_rates_price_cannot_change(books, northwind):
    prices = edit(
        books[1],
        "prices",
        {"offering": "Seats with implementation fee", "mpn": "NW-SEATS"},
        {"price": 1},
    )
    assert_refused_and_nothing_written(northwind, "prices", "is locked", prices=prices)


def test_a_refused_import_leaves_no_lock_refusal_record_behind(books, northwind):
    """The import's refusals are the report's; the lock's record of refused writes is for
    the writes that were tried, and a dry run tried none."""
    prices = edit(
        books[1],
        "prices",
        {"offering": "Seats with implementation fee", "mpn": "NW-SEATS"},
        {"price": 1},
    )
    before = LockRefusal.objects.count()
    run(northwind, prices=prices)
    assert LockRefusal.objects.count() == before


def test_a_second_price_of_the_same_item_currency_and_frequency_is_a_duplicate(books, northwind):
    # A new rate beside "USD monthly" of the same offering, in the same currency and
    # frequency, pricing the same item: the service's duplicate rule.
    prices = append(
        books[1],
        "rates",
        {
            "offering": "Platform in packages",
            "rate": "USD monthly again",
            "currency": "USD",
            "billing frequency": "monthly",
            "status": "draft",
        },
    )
    prices = append(
        prices,
        "prices",
        {
            "offering": "Platform in packages",
            "rate": "USD monthly again",
            "product": "Northwind Cloud Platform",
            "mpn": "NW-SEATS",
            "charge model": "per_unit",
            "pricing type": "regular",
            "interval": 1,
            "duration unit": "infinity",
            "price": 5,
        },
    )
    assert_refused_and_nothing_written(northwind, "prices", "already has a price", prices=prices)


def test_an_interval_without_its_duration_is_refused(books, northwind):
    prices = append(
        books[1],
        "rates",
        {
            "offering": "Platform in packages",
            "rate": "EUR trial",
            "currency": "EUR",
            "billing frequency": "monthly",
        },
    )
    prices = append(
        prices,
        "prices",
        {
            "offering": "Platform in packages",
            "rate": "EUR trial",
            "product": "Northwind Cloud Platform",
            "mpn": "NW-SEATS",
            "charge model": "per_unit",
            "pricing type": "interval",
            "interval": 1,
            "duration unit": "month",
            "price": 5,
        },
    )
    dry = run(northwind, prices=prices)
    (reason,) = [reason for sheet, reason in refusals(dry) if sheet == "prices"]
    assert "duration" in reason.lower() or "interval" in reason.lower(), reason


def test_a_price_of_an_unknown_item_is_refused(books, northwind):
    prices = edit(
        books[1],
        "prices",
        {"offering": "Platform in packages", "mpn": "NW-SEATS"},
        {"mpn": "NW-NOPE"},
    )
    assert_refused_and_nothing_written(northwind, "prices", "has no item 'NW-NOPE'", prices=prices)


def test_a_row_naming_another_vendors_product_is_refused(books, northwind):
    assert Item.objects.filter(product__name="Shirt").exclude(product__vendor=northwind).exists()
    catalog = append(
        books[0],
        "items",
        {"product": "Shirt", "mpn": "SHIRT-NEW", "name": "A new shirt", "kind": "one_time"},
    )
    assert_refused_and_nothing_written(
        northwind, "items", "'Shirt' belongs to another vendor", catalog=catalog
    )


def test_a_bad_cell_names_its_column(books, northwind):
    catalog = edit(books[0], "items", {"mpn": "NW-SEATS"}, {"kind": "forever"})
    assert_refused_and_nothing_written(
        northwind, "items", "kind: 'forever' is not one of", catalog=catalog
    )


def test_an_mpn_twice_in_one_file_is_refused_on_its_second_row(books, northwind):
    catalog = append(
        books[0],
        "items",
        {"product": "Northwind Cloud Platform", "mpn": "NW-SEATS", "name": "Again"},
    )
    assert_refused_and_nothing_written(northwind, "items", "is on row", catalog=catalog)


def test_a_feature_translation_with_a_description_is_refused(books, northwind):
    catalog = append(
        books[0],
        "offer translations",
        {
            "product": "Northwind Cloud Platform",
            "offer": "Pay as you grow",
            "part": "feature group",
            "of": "Usage",
            "locale": "de",
            "name": "Nutzung",
            "description": "Feature groups have none.",
        },
    )
    assert_refused_and_nothing_written(
        northwind, "offer translations", "has no description", catalog=catalog
    )


def test_an_unknown_locale_is_refused(books, northwind):
    catalog = edit(
        books[0],
        "item translations",
        {"mpn": "O365-BUS-APPS", "locale": "de"},
        {"locale": "xx-nowhere"},
    )
    assert_refused_and_nothing_written(
        northwind, "item translations", "not a known locale", catalog=catalog
    )
