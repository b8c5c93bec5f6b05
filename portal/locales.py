"""Which language the portal shows item names and descriptions in, and formats money for.

The user picks it with ``?lang=de`` (kept in the portal's links) or, without that, the
browser's Accept-Language header decides. Nothing is stored: no session, no database row.
Translations are looked up along a chain ("fr-CA", then "fr"); the item's own name and
description are the default language (``settings.LANGUAGE_CODE``) and end the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.core.exceptions import ValidationError

from catalog.validators import normalize_locale

# Django reads at most this much of Accept-Language; so do we.
MAX_HEADER_LENGTH = 500
MAX_TAGS = 10
LANG_PARAM = "lang"


@dataclass(frozen=True)
class ContentLocale:
    """The content language of one request."""

    chosen: str | None  # the ?lang= value, normalized, when the user picked one
    chain: tuple[str, ...] = field(default=())  # translation locales to try, best first
    babel: str = "en"  # the Babel locale for money and numbers ("de", "fr_CA")

    @property
    def language(self) -> str:
        """The base language the page is shown in ("fr" for "fr-CA")."""
        return self.chain[0].split("-")[0] if self.chain else default_language()

    @property
    def query(self) -> str:
        """``?lang=..`` for links when the user picked a language, else nothing."""
        return f"?{LANG_PARAM}={self.chosen}" if self.chosen else ""


def default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def _normalized(tag: str) -> str | None:
    try:
        return normalize_locale(tag)
    except ValidationError:
        return None


def accepted_tags(header: str) -> list[str]:
    """Accept-Language tags by preference (q-value, then order); '*' and q=0 left out."""
    weighted = []
    for position, part in enumerate(header[:MAX_HEADER_LENGTH].split(",")[: MAX_TAGS * 2]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if not 0 < quality <= 1:
            continue
        weighted.append((-quality, position, tag))
    return [tag for *_, tag in sorted(weighted)][:MAX_TAGS]


def translation_chain(tags: list[str]) -> tuple[str, ...]:
    """Locales to look up, best first: each tag then its base language, up to the default."""
    default = default_language()
    chain: list[str] = []
    for tag in tags:
        locale = _normalized(tag)
        if locale is None:
            continue
        for candidate in (locale, locale.split("-")[0]):
            if candidate == default:
                return tuple(chain)  # the default language: the item's own text
            if candidate not in chain:
                chain.append(candidate)
    return tuple(chain)


def babel_locale(tags: list[str]) -> str:
    """The first tag Babel knows, as a Babel identifier; the default language otherwise."""
    for tag in tags:
        locale = _normalized(tag)
        if locale is None:
            continue
        try:
            return str(Locale.parse(locale, sep="-"))
        except (UnknownLocaleError, ValueError):
            continue
    return default_language()


def content_locale(request) -> ContentLocale:
    """The request's content language: ``?lang=`` if valid, else Accept-Language."""
    chosen = (
        _normalized(request.GET.get(LANG_PARAM, "")[:20]) if LANG_PARAM in request.GET else None
    )
    tags = [chosen] if chosen else accepted_tags(request.headers.get("Accept-Language", ""))
    return ContentLocale(chosen=chosen, chain=translation_chain(tags), babel=babel_locale(tags))
