"""The portal's own words are translated: every message the portal's templates and code use
has a finished German and French translation, no template holds untranslated words, and
the compiled .mo files are the .po files as they are."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

from portal.labels import MARKED, SHOWN_CHOICES

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates" / "portal").glob("*.html"))
CODE = sorted(path for path in (ROOT / "portal").rglob("*.py") if "tests" not in path.parts)
LANGUAGES = ("de", "fr")
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


def extracted(source: str) -> set[str]:
    """The msgids (the singular of a plural) of Python source or a templatized template."""
    found = extract_python(io.BytesIO(source.encode()), KEYWORDS, [], {})
    ids = set()
    for _line, _function, message, _comments in found:
        first = message[0] if isinstance(message, tuple) else message
        if isinstance(first, str) and first:
            ids.add(first)
    return ids


def frozen(value):
    """A plural's forms as a tuple (Babel reads them from .mo files as lists)."""
    return tuple(value) if isinstance(value, list | tuple) else value


def portal_msgids() -> set[str]:
    ids = set()
    for path in TEMPLATES:
        ids |= extracted(templatize(path.read_text(), origin=str(path)))
    for path in CODE:
        ids |= extracted(path.read_text())
    return ids


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
    assert {"Listings", "Price on request", "Log in", "All vendors"} <= portal_msgids()


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
    messages = catalog(language)
    problems = []
    for msgid in sorted(portal_msgids()):
        message = messages.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r}")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            problems.append(f"{'fuzzy' if message.fuzzy else 'empty'}: {msgid!r}")
    assert problems == [], f"locale/{language}: run makemessages, translate, compilemessages"


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
    wanted = {frozen(m.id): frozen(m.string) for m in po if m.id and m.string and not m.fuzzy}
    compiled = {frozen(m.id): frozen(m.string) for m in mo if m.id}
    assert compiled == wanted, "run `manage.py compilemessages` and commit the .mo files"


def test_every_choice_label_the_portal_shows_is_marked_for_translation():
    labels = {str(label) for field in SHOWN_CHOICES for _value, label in field.choices}
    assert labels - MARKED == set()
