"""Uploaded files as sheets of rows, read as they stream: an XLSX workbook (openpyxl in
read-only mode, a row at a time) or a CSV file per sheet (named by its file name,
``items.csv``). What is wrong with a file as a whole is a ``FileProblem``: nothing of it is
imported, and the message says what to fix."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from openpyxl import load_workbook

from exchange.columns import is_blank


class FileProblem(Exception):
    """A file that cannot be imported at all."""


def max_bytes() -> int:
    return settings.EXCHANGE_MAX_FILE_BYTES


def max_rows() -> int:
    return settings.EXCHANGE_MAX_ROWS


@dataclass
class SheetSource:
    """A sheet's header and a way to stream its rows (number, {column: cell value})."""

    title: str
    file_name: str
    headers: list[str]
    total: int | None  # the rows the file says it holds, when it says (for progress)
    _rows: object

    def rows(self) -> Iterator[tuple[int, dict]]:
        yield from self._rows()


def size_of(data: BinaryIO) -> int:
    data.seek(0, io.SEEK_END)
    size = data.tell()
    data.seek(0)
    return size


def open_files(files: Sequence[tuple[str, BinaryIO]]) -> dict[str, SheetSource]:
    """Every sheet of the uploaded files by title; a title twice is a FileProblem."""
    sheets: dict[str, SheetSource] = {}
    for name, data in files:
        size = size_of(data)
        if size > max_bytes():
            raise FileProblem(
                f"{name} is {size / 1e6:.1f} MB; the limit is {max_bytes() / 1e6:.0f} MB. "
                "Split it, or import the sheets as CSV files."
            )
        if size == 0:
            raise FileProblem(f"{name} is empty.")
        head = data.read(4)
        data.seek(0)
        if head.startswith(b"PK"):
            found = read_xlsx(name, data)
        elif PurePath(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
            raise FileProblem(f"{name} is not an XLSX workbook (Excel 2007 or later).")
        else:
            found = [read_csv(name, data)]
        for sheet in found:
            if sheet.title in sheets:
                raise FileProblem(f"Two files give the sheet {sheet.title!r}.")
            sheets[sheet.title] = sheet
    return sheets


def read_xlsx(name: str, data: BinaryIO) -> list[SheetSource]:
    try:
        book = load_workbook(data, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"{name} is not an XLSX workbook ({exc}).") from exc
    merged = merged_sheets(data)
    sheets = []
    for sheet in book.worksheets:
        if sheet.title in merged:
            raise FileProblem(
                f"Sheet {sheet.title!r} of {name} has merged cells; unmerge them so each row "
                "holds its own values."
            )
        rows = sheet.iter_rows()
        header_row = next(rows, None)
        headers = [header_text(cell.value) for cell in header_row or ()]
        while headers and not headers[-1]:
            headers.pop()
        sheets.append(
            SheetSource(
                sheet.title.strip(),
                name,
                headers,
                (sheet.max_row - 1) if sheet.max_row else None,
                _xlsx_rows(name, sheet, headers),
            )
        )
    return sheets


def merged_sheets(data: BinaryIO) -> set[str]:
    """The titles of sheets with merged cells: read-only openpyxl does not list merges, so
    the sheets' XML is scanned for a mergeCells element, a chunk at a time."""
    from openpyxl.reader.excel import ExcelReader

    data.seek(0)
    reader = ExcelReader(data, read_only=True)
    reader.read_manifest()
    reader.read_workbook()
    found = set()
    with zipfile.ZipFile(data) as archive:
        for sheet, rel in reader.parser.find_sheets():
            path = rel.target.lstrip("/")
            if path not in archive.namelist():
                continue
            with archive.open(path) as part:
                tail = b""
                while chunk := part.read(1 << 16):
                    if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
                        found.add(sheet.name.strip())
                        break
                    tail = chunk[-32:]
    data.seek(0)
    return found


def header_text(value) -> str:
    return "" if value is None else str(value).strip().lower()


def _xlsx_rows(name, sheet, headers):
    def rows():
        limit = max_rows()
        for count, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
            if count - 1 > limit:
                raise FileProblem(f"Sheet {sheet.title!r} has more than {limit:,} rows.")
            values = {}
            for header, cell in zip(headers, cells, strict=False):
                if cell.data_type == "f":
                    raise FileProblem(
                        f"Sheet {sheet.title!r}, row {count}, column {header!r} holds a formula "
                        f"({cell.value}); paste its value instead."
                    )
                values[header] = cell.value
            extra = [cell for cell in cells[len(headers) :] if not is_blank(cell.value)]
            if extra:
                raise FileProblem(
                    f"Sheet {sheet.title!r}, row {count} has a value outside the named columns "
                    f"(column {extra[0].column_letter})."
                )
            if all(is_blank(value) for value in values.values()):
                continue  # an empty row between others
            yield count, values

    return rows


def read_csv(name: str, data: BinaryIO) -> SheetSource:
    title = PurePath(name).stem.replace("_", " ").strip().lower()
    raw = data.read()
    try:
        text = codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f'{name} is not UTF-8 text (byte {exc.start} cannot be read). Save it as "CSV UTF-8".'
        ) from exc
    if "\x00" in text:
        raise FileProblem(f"{name} is not a CSV file.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    headers = [header_text(cell) for cell in next(reader, [])]
    while headers and not headers[-1]:
        headers.pop()

    def rows():
        limit = max_rows()
        for count, cells in enumerate(reader, start=2):
            if count - 1 > limit:
                raise FileProblem(f"{name} has more than {limit:,} rows.")
            if any(not is_blank(cell) for cell in cells[len(headers) :]):
                raise FileProblem(f"{name}, row {count} has more cells than the header names.")
            values = dict(zip(headers, cells, strict=False))
            if all(is_blank(value) for value in values.values()):
                continue
            yield count, values

    return SheetSource(title, name, headers, text.count("\n"), rows)
