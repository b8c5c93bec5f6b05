"""The portal's own words are translated: every message the portal's templates and code use,
and every price-sentence message the pricebook marks, has a finished German and French
translation, no template holds untranslated words, and the compiled .mo files are the .po
files as they are."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation
from django.utils.translation.template import templatize

from portal.labels import MARKED, SHOWN_CHOICES

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates" / "portal").glob("*.html"))
CODE = sorted(path for path in (ROOT / "portal").rglob("*.py") if "tests" not in path.parts)
# The price sentences' messages: marked in the pricebook, shown by the portal.
PRICEBOOK = sorted((ROOT / "pricing" / "pricebook").glob("*.py"))
LANGUAGES = ("de", "fr")
CONTEXT = "portal"
PRICE_CONTEXT = "price"
KEYWORDS = {
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "_": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    # The pricebook's no-op markers (``pricing.pricebook.messages``).
    "pgettext_noop": ((1, "c"), 2),
    "npgettext_noop": ((1, "c"), 2, 3),
}
# What a template may show outside {% translate %}: markup, punctuation and symbols.
NOT_WORDS = re.compile(r"[^\W\d_]{2,}")
TAG = re.compile(r"<[^>]*>")
PLACEHOLDER = "\x00"
ATTRIBUTE = re.compile(r'\b(?:aria-label|title|alt|placeholder|data-label)="([^"]*)"')


def catalog(language: str):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def extracted(source: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of each message of Python source or a templatized template (the
    singular of a plural)."""
    found = extract_python(io.BytesIO(source.encode()), KEYWORDS, [], {})
    ids = set()
    for _line, function, message, _comments in found:
        arguments = message if isinstance(message, tuple) else (message,)
        context = None
        if function.startswith(("pgettext", "npgettext")):
            context, arguments = arguments[0], arguments[1:]
        if arguments and isinstance(arguments[0], str) and arguments[0]:
            ids.add((context, arguments[0]))
    return ids


def frozen(value):
    """A plural's forms as a tuple (Babel reads them from .mo files as lists)."""
    return tuple(value) if isinstance(value, list | tuple) else value


def text(value):
    """A context as text (Babel reads contexts from .mo files as bytes)."""
    return value.decode() if isinstance(value, bytes) else value


def portal_msgids() -> set[tuple[str | None, str]]:
    ids = set()
    for path in TEMPLATES:
        ids |= extracted(templatize(path.read_text(), origin=str(path)))
    for path in CODE:
        ids |= extracted(path.read_text())
    return ids


def price_msgids() -> set[tuple[str | None, str]]:
    ids = set()
    for path in PRICEBOOK:
        ids |= extracted(path.read_text())
    return ids


def unfinished(messages: Catalog, ids) -> list[str]:
    """What keeps a catalogue's messages from being shown translated: missing, fuzzy or
    empty (a plural with any empty form)."""
    problems = []
    for context, msgid in sorted(ids, key=str):
        message = messages.get(msgid, context=context)
        if message is None:
            problems.append(f"missing: {msgid!r}")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            problems.append(f"{'fuzzy' if message.fuzzy else 'empty'}: {msgid!r}")
    return problems


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


def untranslated_template_text(source: str) -> list[str]:
    """Words a template shows outside {% translate %} and {% blocktranslate %}: in its text
    (markup aside) and in the attributes people read (labels, titles)."""
    parts, inside_block = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT and not inside_block:
            parts.append(token.contents)
            continue
        parts.append(PLACEHOLDER)  # a variable, a tag, or translated text
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in ("blocktranslate", "blocktrans", "comment"):
                inside_block = name
            elif inside_block and name == f"end{inside_block}":
                inside_block = None
    text = "".join(parts)
    attributes = [
        f"attribute {value!r}"
        for value in ATTRIBUTE.findall(text)
        if PLACEHOLDER not in value and NOT_WORDS.search(value)
    ]
    return NOT_WORDS.findall(TAG.sub(" ", text)) + attributes


def test_the_portal_has_messages_to_check():
    assert len(TEMPLATES) >= 5 and len(CODE) >= 5
    wanted = {"Listings", "Price on request", "Log in", "All vendors", "One-time"}
    assert {(CONTEXT, msgid) for msgid in wanted} <= portal_msgids()


def test_every_portal_message_has_the_portal_context():
    """So that the portal's catalogues never change a word of Django's own (the admin's
    "Search", "None", "Log in" are the same msgids)."""
    assert {msgid for context, msgid in portal_msgids() if context != CONTEXT} == set()


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_portal_template_shows_untranslated_words(path):
    assert untranslated_template_text(path.read_text()) == []


def test_the_check_finds_untranslated_words_and_attributes():
    source = '<p>{% translate "Fine" %} Oops</p><nav aria-label="Pages">{{ x }}</nav>'
    assert untranslated_template_text(source) == ["Oops", "attribute 'Pages'"]
    tagged = '<a href="{% url "x" %}" title="{% translate "Go" %}">{% translate "Go" %}</a>'
    assert untranslated_template_text(tagged) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_portal_message_has_a_finished_translation(language):
    problems = unfinished(catalog(language), portal_msgids())
    assert problems == [], f"locale/{language}: run makemessages, translate, compilemessages"


def test_the_pricebook_has_price_messages_to_check():
    wanted = {"{amount} per {unit}", "{amount} per delivery", "tiered price", "Sundays"}
    assert {(PRICE_CONTEXT, msgid) for msgid in wanted} <= price_msgids()
    assert (PRICE_CONTEXT, "{count} day") in price_msgids()  # a plural, by its singular


def test_every_price_message_has_the_price_context():
    """The portal passes ``pgettext`` bound to "price": a message without it is never found."""
    assert {msgid for context, msgid in price_msgids() if context != PRICE_CONTEXT} == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_price_message_has_a_finished_translation(language):
    problems = unfinished(catalog(language), price_msgids())
    assert problems == [], f"locale/{language}: run makemessages, translate, compilemessages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_price_translations_fill_in_the_same_placeholders(language):
    """Each form of a price message's translation names the msgid's placeholders, no more and
    no fewer (a missing one would drop an amount; an unknown one fails to format)."""
    messages = catalog(language)
    wrong = []
    for context, msgid in sorted(price_msgids(), key=str):
        message = messages.get(msgid, context=context)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(placeholders(text) for text in ids))
        wrong += [f"{msgid!r}: {form!r}" for form in forms if placeholders(form) != wanted]
    assert wrong == []


def test_the_check_finds_untranslated_fuzzy_and_missing_price_messages():
    messages = Catalog(locale="de")
    messages.add("{amount} per delivery", "", context=PRICE_CONTEXT)
    messages.add("tiered price", "Staffelpreis", context=PRICE_CONTEXT, flags=("fuzzy",))
    messages.add(("{count} day", "{count} days"), ("{count} Tag", ""), context=PRICE_CONTEXT)
    messages.add("per month", "pro Monat", context=PRICE_CONTEXT)
    ids = {
        (PRICE_CONTEXT, msgid)
        for msgid in ("{amount} per delivery", "tiered price", "{count} day", "per month")
    } | {(PRICE_CONTEXT, "Sundays"), (CONTEXT, "per month")}
    assert sorted(unfinished(messages, ids)) == [
        "empty: '{amount} per delivery'",
        "empty: '{count} day'",
        "fuzzy: 'tiered price'",
        "missing: 'Sundays'",
        "missing: 'per month'",  # in the portal's context, not the price's
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    errors = [
        f"{message.id!r}: {error}"
        for message, errors in catalog(language).check()
        for error in errors
    ]
    assert errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language):
    po = catalog(language)
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        mo = read_mo(handle)
    wanted = {
        (m.context, frozen(m.id)): frozen(m.string) for m in po if m.id and m.string and not m.fuzzy
    }
    compiled = {(text(m.context), frozen(m.id)): frozen(m.string) for m in mo if m.id}
    assert compiled == wanted, "run `manage.py compilemessages` and commit the .mo files"


def test_every_choice_label_the_portal_shows_is_marked_for_translation():
    labels = {str(label) for field in SHOWN_CHOICES for _value, label in field.choices}
    with translation.override(settings.LANGUAGE_CODE):
        marked = {str(label) for label in MARKED}
    assert labels - marked == set()


def test_the_portal_catalogues_leave_djangos_own_words_alone():
    with translation.override("de"):
        assert translation.gettext("Search") == "Suchen"  # the admin's search button
        assert translation.pgettext(CONTEXT, "Search") == "Suche"
    with translation.override("fr"):
        assert translation.gettext("Log in") == "Connexion"
        assert translation.pgettext(CONTEXT, "Log in") == "Se connecter"
