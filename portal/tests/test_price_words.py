"""Prices in words, from the engine's view of a price (no database)."""

from decimal import Decimal

import pytest

from pricing import pricebook as engine
from pricing.pricebook.wording import Wording, price_sentence, weekday_words

D = Decimal
NBSP = "\xa0"


def book(model, *intervals, currency="USD", weekdays=()):
    return engine.PriceBook(
        charge_model=model,
        intervals=tuple(intervals),
        currency=currency,
        delivery_weekdays=frozenset(weekdays),
    )


def forever(price="0", **fields):
    return engine.Interval(duration_unit=engine.DurationUnit.INFINITY, price=D(price), **fields)


def days(n, price):
    return engine.Interval(duration_unit=engine.DurationUnit.DAY, duration=n, price=D(price))


def months(n, price):
    return engine.Interval(duration_unit=engine.DurationUnit.MONTH, duration=n, price=D(price))


def tiers(*bands, flat=()):
    return tuple(
        engine.Tier(
            start_unit=D(start),
            end_unit=None if end is None else D(end),
            price=D(price),
            price_format=engine.PriceFormat.FLAT if index in flat else engine.PriceFormat.PER_UNIT,
        )
        for index, (start, end, price) in enumerate(bands)
    )


def words(
    price_book,
    *,
    unit="user",
    kind="subscription",
    frequency="monthly",
    locale="en",
    currency=None,
):
    return price_sentence(
        price_book,
        Wording(
            currency=currency or price_book.currency,
            locale=locale,
            unit=unit,
            item_kind=kind,
            billing_frequency=frequency,
        ),
    )


def test_a_regular_per_unit_price():
    assert words(book("per_unit", forever("12.00"))) == "$12.00 per user per month"


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [("monthly", "per month"), ("quarterly", "per quarter"), ("yearly", "per year")],
)
def test_the_rates_billing_frequency_is_the_period(frequency, expected):
    assert words(book("per_unit", forever("5")), frequency=frequency).endswith(expected)


def test_seed_003_interval_price_is_spelled_out():
    price = book("delivery", days(365, "4.75"), forever("9.50"), weekdays=[6])
    assert words(price, unit="delivery") == (
        "$4.75 per delivery for 365 days, then $9.50 per delivery; delivered on Sundays"
    )


def test_weekday_deliveries_keep_an_unrounded_price():
    price = book("delivery", days(365, "0.875"), forever("1.75"), weekdays=range(5))
    assert words(price) == (
        "$0.875 per delivery for 365 days, then $1.75 per delivery; delivered on weekdays"
    )


def test_monthly_intervals_and_a_finite_end():
    price = book("per_unit", months(1, "0"), months(12, "10"))
    assert words(price) == (
        "$0.00 per user per month for 1 month, then $10.00 per user for 12 months, "
        "then no further charges"
    )


def test_a_flat_fee_and_a_one_time_item():
    assert words(book("flat_fee", forever("1500"))) == "$1,500.00 per month"
    assert (
        words(book("flat_fee", forever("1500")), kind="one_time", unit="project")
        == "$1,500.00, one-time"
    )
    assert (
        words(book("per_unit", forever("199"), days(30, "1")), kind="one_time", unit="license")
        == "$199.00 per license, one-time"
    )


def test_tiered_prices_name_each_band():
    price = book(
        "tiered",
        engine.Interval(
            duration_unit="infinity",
            tiers=tiers(("0", "100", "0.10"), ("100", "1000", "0.08"), ("1000", None, "0.05")),
        ),
    )
    assert words(price, unit="GB") == (
        "Tiered price, per month: $0.10 per GB up to 100, $0.08 per GB from 100 to 1,000, "
        "$0.05 per GB above 1,000 (each band prices the units inside it)"
    )


def test_volume_prices_say_the_band_prices_every_unit():
    price = book(
        "volume",
        engine.Interval(
            duration_unit="infinity",
            tiers=tiers(("0", "10", "100"), ("10", None, "8"), flat={0}),
        ),
    )
    assert words(price, unit="seat") == (
        "Volume price, per month: $100.00 flat up to 10, $8.00 per seat above 10 "
        "(the band the quantity falls in prices every unit)"
    )


def test_tiered_with_overage_adds_the_overage_price():
    price = book(
        "tiered_with_overage",
        engine.Interval(
            duration_unit="infinity",
            overage_price=D("2"),
            tiers=tiers(("0", "50", "1"), ("50", "100", "0.5")),
        ),
    )
    assert words(price, unit="GB").endswith(
        "(each band prices the units inside it), then $2.00 per GB above 100"
    )


def test_overage_names_the_included_units():
    price = book(
        "overage",
        engine.Interval(duration_unit="infinity", included_units=D("100"), overage_price=D("0.09")),
    )
    assert words(price, unit="GB") == "$0.09 per GB per month beyond 100 included"


def test_percent_of_total_and_minimum_commitment():
    assert (
        words(book("flat_fee", forever("15")), kind="percent_of_total", unit="percent")
        == "15 % of the total of the items it covers"
    )
    assert (
        words(book("flat_fee", forever("1000")), kind="minimum_commit", unit="USD")
        == "$1,000.00 minimum commitment per month"
    )


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("en", "USD", "$4.75"),
        ("de", "EUR", f"4,75{NBSP}€"),
        ("de", "USD", f"4,75{NBSP}$"),
        ("fr_CA", "USD", f"4,75{NBSP}$"),
        ("en", "JPY", "¥5"),  # yen have no minor unit
    ],
)
def test_money_follows_the_readers_locale_and_the_currency(locale, currency, expected):
    amount = "5" if currency == "JPY" else "4.75"
    text = words(book("per_unit", forever(amount), currency=currency), locale=locale)
    assert text.startswith(expected)


def test_an_empty_tier_list_is_refused():
    with pytest.raises(ValueError):
        words(book("tiered", forever("1")))


@pytest.mark.parametrize(
    ("weekdays", "expected"),
    [
        ({6}, "on Sundays"),
        ({0, 2}, "on Mondays and Wednesdays"),
        ({0, 2, 4}, "on Mondays, Wednesdays and Fridays"),
        ({5, 6}, "at weekends"),
        (set(range(7)), "every day"),
    ],
)
def test_weekday_words(weekdays, expected):
    assert weekday_words(frozenset(weekdays)) == expected


def test_a_later_interval_names_the_unit_like_the_first():
    price = book("per_unit", months(3, "16.50"), forever("22.00"))
    assert words(price) == "$16.50 per user per month for 3 months, then $22.00 per user"
