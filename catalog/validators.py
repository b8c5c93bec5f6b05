"""Field validators for codes that come from standards (ISO 4217, ISO 3166, BCP 47)."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from django.core.exceptions import ValidationError


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def country_codes() -> frozenset[str]:
    # CLDR also names regions that are not countries: unknown, EU, eurozone, UN, outlying Oceania.
    not_countries = {"ZZ", "EU", "EZ", "UN", "QO"}
    return frozenset(
        code for code in Locale("en").territories if code.isalpha() and code not in not_countries
    )


def validate_currency(value: str) -> None:
    if (value or "").upper() not in currency_codes():
        raise ValidationError(
            "%(value)s is not an ISO 4217 currency code.", code="currency", params={"value": value}
        )


def normalize_locale(value: str) -> str:
    """'fr_ca' → 'fr-CA'; raises ValidationError for a locale nobody speaks."""
    raw = (value or "").strip().replace("_", "-")
    try:
        locale = Locale.parse(raw, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(
            "%(value)s is not a known locale code (use e.g. en, de, fr-CA).",
            code="locale",
            params={"value": value},
        ) from None
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    normalized = "-".join(parts)
    if normalized.lower() != raw.lower():
        # Babel may fill in a likely region or script; we keep only what was written.
        raise ValidationError(
            "%(value)s is not a known locale code (use e.g. en, de, fr-CA).",
            code="locale",
            params={"value": value},
        )
    return normalized


def validate_locale(value: str) -> None:
    normalize_locale(value)


@cache
def locale_choices() -> tuple[tuple[str, str], ...]:
    """Every locale code ``normalize_locale`` accepts, as (code, "French (Canada) — fr-CA"),
    sorted by name: the list the admin offers instead of a text box."""
    from babel.localedata import locale_identifiers

    choices = {}
    for identifier in locale_identifiers():
        try:
            code = normalize_locale(identifier)
        except ValidationError:
            continue
        name = Locale.parse(identifier).get_display_name("en") or code
        choices[code] = f"{name} — {code}"
    return tuple(sorted(choices.items(), key=lambda choice: choice[1].casefold()))


def normalize_countries(value: str) -> str:
    """'us, ca' → 'CA,US'; raises ValidationError naming unknown codes."""
    codes = sorted({part.strip().upper() for part in (value or "").split(",") if part.strip()})
    unknown = [code for code in codes if code not in country_codes()]
    if unknown:
        raise ValidationError(
            "Unknown country code(s): %(codes)s.",
            code="country",
            params={"codes": ", ".join(unknown)},
        )
    return ",".join(codes)


# --- Untrusted JSON and text ---------------------------------------------------------------

MAX_JSON_DEPTH = 32  # levels of arrays and objects; our deepest body (a price) uses 5


def json_depth(value) -> int:
    """How many levels of lists and dicts ``value`` nests, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list | tuple):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def too_deep_message() -> str:
    return f"JSON may nest arrays and objects at most {MAX_JSON_DEPTH} levels deep."


def load_json(text: str | bytes, **kwargs):
    """``json.loads`` for untrusted text: nesting beyond MAX_JSON_DEPTH is a ValidationError.

    Python's parser recurses once per level, so a deeply nested body would otherwise end in a
    RecursionError (a server error) before any depth check could look at it.
    """
    import json

    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise ValidationError(too_deep_message(), code="json_depth") from None
    validate_json_depth(value)
    return value


def validate_json_depth(value) -> None:
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValidationError(too_deep_message(), code="json_depth")


NUL_MESSAGE = "Text cannot contain NUL (\\x00) characters."


def contains_nul(value) -> bool:
    """Whether text, or any key or string inside JSON-like data, holds a NUL character.

    PostgreSQL refuses NUL in text and JSON columns (an error at save) while SQLite stores it:
    refusing it everywhere keeps both databases holding the same rows.
    """
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False


def validate_no_nul(value) -> None:
    if contains_nul(value):
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
