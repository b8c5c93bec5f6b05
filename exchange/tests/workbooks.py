"""Files for the import's tests, built in memory: workbooks (openpyxl), CSV bytes, and the
database's row counts to prove an import changed nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence

from django.apps import apps
from openpyxl import Workbook

from exchange.books import BOOKS, SHEETS


def xlsx(sheets: dict[str, Sequence[Sequence]], edit: Callable | None = None) -> bytes:
    """A workbook of ``sheets`` (title → rows, the header first); ``edit(book)`` may change
    it (merge cells, set formats) before it is saved."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    if edit:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def book_sheets(book: str, rows: dict[str, Sequence[Sequence]] | None = None) -> dict:
    """Every sheet of ``book`` ("catalog" or "prices") with its header row, and the data
    rows given for some of them."""
    rows = rows or {}
    return {s.title: [s.headers(), *rows.get(s.title, ())] for s in BOOKS[book]}


def headers(title: str) -> list[str]:
    return SHEETS[title].headers()


def csv_bytes(rows: Sequence[Sequence], *, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def rewrite(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """The ZIP ``data`` with ``old`` replaced by ``new`` in one of its members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == member:
                assert old in body, f"{old!r} not in {member}"
                body = body.replace(old, new)
            target.writestr(info, body)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Every catalog and pricing table's row count, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for app in ("catalog", "pricing")
        for model in apps.get_app_config(app).get_models()
    }


class CountingFile(io.BytesIO):
    """A file that remembers how many bytes were read from it."""

    bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line
