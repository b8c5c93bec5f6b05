"""A vendor's catalog and prices as spreadsheets: a workbook per book, a CSV per sheet.

The rows come from each sheet's ``Resource.export`` (django-import-export), the files from
tablib (openpyxl for XLSX). Text that a spreadsheet would run as a formula is escaped by
the sheets' columns (``exchange.columns.escape_formula``).
"""

from __future__ import annotations

import tablib

from exchange.books import BOOKS, SHEETS


def dataset(vendor, title: str) -> tablib.Dataset:
    sheet = SHEETS[title]()
    data = sheet.export(queryset=sheet.rows_of(vendor))
    data.title = title
    return data


def workbook(vendor, book: str) -> bytes:
    """The XLSX workbook of ``book`` ("catalog" or "prices"), a sheet per kind of row."""
    databook = tablib.Databook([dataset(vendor, sheet.title) for sheet in BOOKS[book]])
    return databook.export("xlsx")


def sheet_csv(vendor, title: str) -> bytes:
    """One sheet as CSV (UTF-8 with a byte-order mark, which Excel needs to read UTF-8)."""
    return dataset(vendor, title).export("csv").encode("utf-8-sig")


def file_name(vendor, book: str, extension: str = "xlsx") -> str:
    return f"{vendor.slug}-{book}.{extension}"
