"""The pricebook's translation hook: a price sentence is put together from whole marked
messages, translated by the ``Wording``'s ``gettext``/``ngettext`` (English by default), so
a translation can reorder the words; the vendor's unit gets an English plural only in
English; and the pricebook still imports no Django."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pricing import pricebook as engine
from pricing.pricebook.wording import Wording, price_sentence

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
# A made-up language that puts the amount last, to show the templates can be reordered.
BACKWARDS = {
    "{amount} per {unit}": "each {unit} for {amount}",
    "{price} {period}": "{period}: {price}",
    "per month": "monthly",
    "{price} for {duration}": "{duration} long {price}",
    "{before}, then {after}": "{before}; after that {after}",
}


def backwards_gettext(message):
    return BACKWARDS.get(message, message)


def backwards_ngettext(singular, plural, count):
    return {"{count} month": "month×{count}"}.get(singular, plural)


def per_unit_then(unit="user", **hook):
    book = engine.PriceBook(
        "per_unit",
        (
            engine.Interval("month", 3, D("16.50")),
            engine.Interval("infinity", price=D("22.00")),
        ),
        "USD",
    )
    return price_sentence(book, Wording("USD", "en", unit, "subscription", "monthly", **hook))


def test_without_a_hook_the_sentence_is_english():
    assert per_unit_then() == "$16.50 per user per month for 3 months, then $22.00 per user"


def test_the_hook_translates_each_part_and_may_reorder_the_words():
    sentence = per_unit_then(gettext=backwards_gettext, ngettext=backwards_ngettext, language="xx")
    assert sentence == "Month×3 long monthly: each user for $16.50; after that each user for $22.00"


def test_the_vendors_unit_gets_an_english_plural_only_in_english():
    book = engine.PriceBook(
        "package", (engine.Interval("infinity", price=D(4), package_size=D(1000)),), "USD"
    )

    def sentence(language):
        return price_sentence(
            book, Wording("USD", "en", "call", "usage", "monthly", language=language)
        )

    assert "per package of 1,000 calls per month" in sentence("en")
    assert "per package of 1,000 call per month" in sentence("de")


def test_the_pricebook_and_its_wording_import_no_django():
    code = (
        "import sys, pricing.pricebook, pricing.pricebook.wording, pricing.pricebook.messages;"
        "print('django' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
