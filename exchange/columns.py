"""The cell types of the workbooks: how a value is written to a cell and read back from one.

Each is a django-import-export ``Widget``: ``render`` for export, ``clean`` for import.
``clean`` is strict where the library's widgets guess (``BooleanWidget`` reads "yes" as
False, ``DecimalWidget`` reads 1.1 typed as a float as 1.100000000000000088817...): a cell it
cannot read raises ``ValueError`` with the sentence the import shows next to the row.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal, InvalidOperation

from import_export.widgets import Widget

# A cell starting with one of these is a formula to a spreadsheet program (CSV injection):
# export writes it behind an apostrophe, and import takes the apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# What an escaping apostrophe stands before: a formula start, or a line feed (a workbook
# turns the "\r" of an escaped "\r…" into "\n"). Text that already starts with an apostrophe
# before one of these, or before another apostrophe, gets one more, so import gives it back.
ESCAPED = (*FORMULA_STARTS, "\n", ESCAPE)


def escape_formula(text: str) -> str:
    if text.startswith(FORMULA_STARTS) or (
        text.startswith(ESCAPE) and text[1:].startswith(ESCAPED)
    ):
        return ESCAPE + text
    return text


def unescape_formula(text: str) -> str:
    if text.startswith(ESCAPE) and text[1:].startswith(ESCAPED):
        return text[1:]
    return text


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Text(Widget):
    """Text; an empty cell is ""."""

    def __init__(self, required: bool = False):
        super().__init__(coerce_to_string=True)
        self.required = required

    def clean(self, value, row=None, **kwargs) -> str:
        if is_blank(value):
            if self.required:
                raise ValueError("This cell is required.")
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an MPN typed as a number: 1001, not 1001.0
        if isinstance(value, datetime.datetime | datetime.date):
            raise ValueError("A date where text was expected.")
        return unescape_formula(str(value).strip())

    def render(self, value, obj=None, **kwargs) -> str:
        return escape_formula("" if value is None else str(value))


NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a number.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A spreadsheet stores 12.5 as a binary float: its shortest repr is what was typed.
        return Decimal(repr(value))
    text = unescape_formula(str(value).strip()).replace("\u00a0", "").replace(" ", "")
    if not text or not NUMBER.match(text):
        raise ValueError(f"{str(value)!r} is not a number (write it like 1234.50).")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern lets none through
        raise ValueError(f"{str(value)!r} is not a number.") from exc


class Number(Widget):
    """A decimal number; an empty cell is None, or ``default`` when given."""

    def __init__(self, default=None, integer: bool = False):
        super().__init__(coerce_to_string=True)
        self.default = default
        self.integer = integer

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return self.default
        number = to_decimal(value)
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(f"{number} is not a whole number.")
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        """A number cell (Decimal, exact), without trailing zeros: 12.5, 1000."""
        if value is None:
            return ""
        return int(value) if self.integer else Decimal(format(Decimal(value).normalize(), "f"))


TRUE = {"yes", "y", "true", "1", "x", "✓"}
FALSE = {"no", "n", "false", "0", ""}


class Flag(Widget):
    """Yes or no."""

    def clean(self, value, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = "" if value is None else str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(f"{value!r} is not yes or no.")

    def render(self, value, obj=None, **kwargs) -> str:
        return "yes" if value else "no"


# Dates as people type them: ISO first, then day-first (most of the world), then the US.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%m/%d/%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y%m%d",
)
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class Date(Widget):
    """A date: a spreadsheet date, a date and time at midnight, an Excel serial number, or
    text in ISO (2026-01-31) or a common written form. An empty cell is None."""

    def clean(self, value, row=None, **kwargs) -> datetime.date | None:
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            if value.time() != datetime.time(0):
                raise ValueError(f"{value} has a time of day; give a date.")
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != int(value) or not 1 <= value <= 2958465:
                raise ValueError(f"{value} is not a date.")
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = str(value).strip()
        for pattern in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if pattern in ("%d/%m/%Y", "%m/%d/%Y") and ambiguous(text):
                raise ValueError(
                    f"{text!r} could be read day-first or month-first; write it as YYYY-MM-DD."
                )
            return parsed
        try:  # a date and time as text, as some programs write a date cell to CSV
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date (write it as YYYY-MM-DD).") from None
        if moment.time() != datetime.time(0):
            raise ValueError(f"{text!r} has a time of day; give a date.")
        return moment.date()

    def render(self, value, obj=None, **kwargs):
        return value or ""  # a date cell in a workbook, ISO 8601 in CSV


def ambiguous(text: str) -> bool:
    first, second, _year = text.split("/")
    return first != second and int(first) <= 12 and int(second) <= 12


class Choice(Widget):
    """One of a model field's choices, by its value ("subscription") or its label
    ("Subscription"), in any case."""

    def __init__(self, choices, default=None, blank: bool = False):
        super().__init__(coerce_to_string=True)
        self.values = {str(value).lower(): value for value, _label in choices}
        self.labels = {str(label).lower(): value for value, label in choices}
        self.default = default
        self.blank = blank  # an empty cell is "": the caller's default applies

    def clean(self, value, row=None, **kwargs) -> str:
        text = "" if value is None else str(value).strip().lower()
        if not text and self.default is not None:
            return self.default
        if not text and self.blank:
            return ""
        if text in self.values:
            return self.values[text]
        if text in self.labels:
            return self.labels[text]
        allowed = ", ".join(self.values.values())
        raise ValueError(f"{value!r} is not one of: {allowed}.")

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class Json(Widget):
    """A JSON object ("{}" when empty), written with sorted keys."""

    def clean(self, value, row=None, **kwargs) -> dict:
        if is_blank(value):
            return {}
        try:
            parsed = json.loads(unescape_formula(str(value)))
        except json.JSONDecodeError as exc:
            raise ValueError(f"Not JSON: {exc.msg} at character {exc.pos}.") from exc
        if not isinstance(parsed, dict):
            raise ValueError('Write an object, like {"region": "EU"}.')
        return parsed

    def render(self, value, obj=None, **kwargs) -> str:
        return json.dumps(value or {}, sort_keys=True, ensure_ascii=False) if value else ""


class Names(Widget):
    """A list of names separated by ";" (an item's MPNs, weekdays)."""

    SEPARATOR = ";"

    def clean(self, value, row=None, **kwargs) -> list[str]:
        if is_blank(value):
            return []
        text = unescape_formula(str(value))
        return [part.strip() for part in text.split(self.SEPARATOR) if part.strip()]

    def render(self, value, obj=None, **kwargs) -> str:
        return escape_formula(f"{self.SEPARATOR} ".join(str(v) for v in value or ()))
