"""Exported workbooks, edited in tests the way a person edits them in a spreadsheet."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from exchange.importer import run_import


def edit(data: bytes, sheet: str, match: dict, changes: dict) -> bytes:
    """The workbook with ``changes`` (column → value) on the rows of ``sheet`` matching
    ``match`` (column → value); at least one row must match."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    headers = [cell.value for cell in ws[1]]
    hit = 0
    for row in ws.iter_rows(min_row=2):
        values = dict(zip(headers, (cell.value for cell in row), strict=False))
        if all(values.get(name) == value for name, value in match.items()):
            hit += 1
            for name, value in changes.items():
                row[headers.index(name)].value = value
    assert hit, f"no row of {sheet} matches {match}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append(data: bytes, sheet: str, values: dict) -> bytes:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    headers = [cell.value for cell in ws[1]]
    ws.append([values.get(name) for name in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(vendor, *, catalog=None, prices=None, dry_run=True, by=None):
    files = []
    if catalog is not None:
        files.append(("catalog.xlsx", io.BytesIO(catalog)))
    if prices is not None:
        files.append(("prices.xlsx", io.BytesIO(prices)))
    return run_import(vendor=vendor, files=files, dry_run=dry_run, by=by)


def outcomes(report, result=None):
    return [
        row
        for sheet in report.sheets.values()
        for row in sheet.rows
        if result is None or row.result == result
    ]
