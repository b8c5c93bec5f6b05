"""The charge models and options added with the registry, in words: packages, flat plus
unit tiers, a minimum and maximum per period, and a first tier billed at zero usage."""

from decimal import Decimal

from pricing import pricebook
from pricing.pricebook.wording import Wording, price_sentence

D = Decimal


def words(book, unit="call", kind="usage"):
    return price_sentence(book, Wording(book.currency, "en", unit, kind, "monthly"))


def test_a_package_price_names_the_package_and_the_free_units():
    interval = pricebook.Interval(
        "infinity", price=D(4), package_size=D(1000), included_units=D(1000)
    )
    assert words(pricebook.PriceBook("package", (interval,), "USD")) == (
        "$4.00 per package of 1,000 calls per month, the first 1,000 free "
        "(a started package is billed whole)"
    )


def test_a_tier_with_a_flat_amount_and_a_unit_price_says_both():
    tiers = (
        pricebook.Tier(D(0), D(100), D("0.10"), flat_amount=D(5)),
        pricebook.Tier(D(100), None, D("0.05")),
    )
    book = pricebook.PriceBook("tiered", (pricebook.Interval("infinity", tiers=tiers),), "USD")
    assert words(book, unit="GB") == (
        "Tiered price, per month: $5.00 + $0.10 per GB up to 100, $0.05 per GB above 100 "
        "(each band prices the units inside it)"
    )


def test_a_minimum_and_maximum_per_period_and_flat_at_zero_close_the_sentence():
    tiers = (pricebook.Tier(D(0), None, D(1), flat_amount=D(5)),)
    book = pricebook.PriceBook(
        "volume",
        (pricebook.Interval("infinity", tiers=tiers),),
        "EUR",
        minimum_amount=D(10),
        maximum_amount=D(500),
        flat_at_zero=True,
    )
    sentence = words(book)
    assert sentence.endswith(
        "; at least €10.00 and at most €500.00 per month; the first tier's flat amount is "
        "owed even at zero usage"
    )
