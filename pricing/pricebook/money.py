"""Money and numbers: finite Decimals in, amounts rounded half-up to the currency's minor unit.

Money stays unrounded inside the engine (in the current decimal context: 28 significant
digits by default, ample for money) and is rounded once, per output line.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# ISO 4217 minor-unit exponents that differ from the usual 2 (fund and metal codes left out).
_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
_DEFAULT_EXPONENT = 2
# One quantizer per exponent, built once: quantize() is the only rounding the engine does.
QUANTUM = {exponent: Decimal(1).scaleb(-exponent) for exponent in range(5)}


def decimal(value: object, name: str) -> Decimal:
    """A finite Decimal from a Decimal, int or numeric string; floats are refused as inexact."""
    if type(value) is Decimal:
        result = value
    elif isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        result = Decimal(value)
    else:
        raise TypeError(f"{name} must be a Decimal, int or str, not {type(value).__name__}.")
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, not {result}.")
    return result


def currency_code(code: str) -> str:
    """Normalize an ISO 4217 code: three ASCII letters, upper case."""
    if not isinstance(code, str) or len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"A currency is a three-letter ISO 4217 code, not {code!r}.")
    return code.upper()


# Codes already checked, as given, so rounding a line costs one dict lookup. Only valid
# three-letter spellings are kept (8 × 26³ at the very most), so the cache stays bounded.
_SEEN_EXPONENTS: dict[str, int] = {}


def minor_unit(currency: str) -> int:
    """The ISO 4217 exponent of a currency (2 unless the table says otherwise)."""
    exponent = _SEEN_EXPONENTS.get(currency)
    if exponent is None:
        exponent = _EXPONENTS.get(currency_code(currency), _DEFAULT_EXPONENT)
        _SEEN_EXPONENTS[currency] = exponent
    return exponent


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up (away from zero on a tie) to the currency's minor unit, once, at the end."""
    return amount.quantize(QUANTUM[minor_unit(currency)], rounding=ROUND_HALF_UP)


def trimmed(amount: Decimal, currency: str | None) -> Decimal:
    """An amount as people write it: the currency's minor unit at least (4.75, 12.00, 1,500 JPY),
    more decimals only where it has them (0.875), never a column's trailing zeros (4.750000).
    Without a currency, two decimals at least."""
    exponent = minor_unit(currency) if currency else _DEFAULT_EXPONENT
    return _at_least(amount, exponent)


def exact(value: Decimal) -> Decimal:
    """A number of units without a column's trailing zeros: 100.0000 is 100, 0.5000 is 0.5."""
    return _at_least(value, 0)


def _at_least(amount: Decimal, exponent: int) -> Decimal:
    digits = -amount.normalize().as_tuple().exponent
    return amount.quantize(Decimal(1).scaleb(-max(exponent, digits, 0)))
