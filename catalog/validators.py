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
