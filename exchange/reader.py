"""Uploaded files as sheets of rows, read as they stream: an XLSX workbook (openpyxl in
read-only mode, a row at a time) or a CSV file per sheet (named by its file name,
``items.csv``). What is wrong with a file as a whole is a ``FileProblem``: nothing of it is
imported, and the message says what to fix.

A CSV file is read twice, a row at a time both times: once when it is opened (is it UTF-8,
does it parse, is it within the row limit: all refused before anything is written), then for
the import. A workbook is refused as soon as its dimension says it is over the limit; a
formula, or a row past the limit its dimension did not declare, is found while its rows
stream, and refusing it then rolls the whole import back.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

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


# The first bytes of files people upload by mistake, and what to tell them.
SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 (.xls) or other old Office file"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
WANTED = 'Save it as an XLSX workbook (Excel 2007 or later) or as "CSV UTF-8".'


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
        head = data.read(8)
        data.seek(0)
        for signature, kind in SIGNATURES:
            if head.startswith(signature):
                raise FileProblem(f"{name} is {kind}, not a spreadsheet. {WANTED}")
        if head.startswith(b"PK"):
            found = read_xlsx(name, data)
        elif PurePath(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
            raise FileProblem(f"{name} is not an XLSX workbook. {WANTED}")
        else:
            found = [read_csv(name, data)]
        for sheet in found:
            if sheet.title in sheets:
                raise FileProblem(f"Two files give the sheet {sheet.title!r}.")
            sheets[sheet.title] = sheet
    return sheets


def sheet_title(text: str) -> str:
    """A sheet's title as the import knows it: "Items ", "ITEMS" and "items" are one."""
    return " ".join(text.split()).lower()


def header_text(value) -> str:
    return "" if value is None else " ".join(str(value).split()).lower()


def check_headers(where: str, headers: list[str]) -> list[str]:
    """The header row less its trailing blank cells; a row naming nothing, or a column
    without a name between named ones, is a FileProblem."""
    headers = list(headers)
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise FileProblem(f"{where} has no header row: its first row must name the columns.")
    if "" in headers:
        letter = get_column_letter(headers.index("") + 1)
        raise FileProblem(
            f"{where}: column {letter} has no name in the header row. Name it or delete it."
        )
    return headers


def over_limit(where: str, limit: int) -> FileProblem:
    return FileProblem(
        f"{where} has more than {limit:,} rows, the limit of one import. Split it into files "
        "of fewer rows."
    )


# XLSX ---------------------------------------------------------------------------------------


def read_xlsx(name: str, data: BinaryIO) -> list[SheetSource]:
    try:
        with zipfile.ZipFile(data) as archive:
            members = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in members else b""
    except zipfile.BadZipFile as exc:
        raise FileProblem(f"{name} is a damaged ZIP file, not a workbook. {WANTED}") from exc
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise FileProblem(f"{name} is an OpenDocument (.ods) spreadsheet. {WANTED}")
    if "xl/workbook.xml" not in members and "[Content_Types].xml" not in members:
        raise FileProblem(f"{name} is a ZIP archive, not an XLSX workbook. {WANTED}")
    data.seek(0)
    try:
        book = load_workbook(data, read_only=True, data_only=False)
        merged = merged_sheets(data)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError,
            InvalidFileException) as exc:  # fmt: skip
        raise FileProblem(f"{name} is not a readable XLSX workbook ({exc}). {WANTED}") from exc
    sheets = []
    for sheet in book.worksheets:
        where = f"Sheet {sheet.title!r} of {name}"
        if sheet_title(sheet.title) in merged:
            raise FileProblem(
                f"{where} has merged cells; unmerge them so each row holds its own values."
            )
        declared = sheet.max_row
        if declared and declared - 1 > max_rows():
            raise over_limit(where, max_rows())
        # Read every row the sheet holds, not only those its (maybe stale) dimension declares.
        sheet.reset_dimensions()
        header_row = next(sheet.iter_rows(max_row=1), ())
        names = [header_text(cell.value) for cell in header_row]
        if not any(names) and not known(sheet.title) and empty(sheet):
            continue  # a blank sheet the workbook was made with ("Sheet1"): nothing to import
        headers = check_headers(where, names)
        sheets.append(
            SheetSource(
                sheet_title(sheet.title),
                name,
                headers,
                (declared - 1) if declared else None,
                _xlsx_rows(name, sheet, headers),
            )
        )
    return sheets


def known(title: str) -> bool:
    from exchange.books import SHEETS

    return sheet_title(title) in SHEETS


def empty(sheet) -> bool:
    return all(is_blank(cell.value) for row in sheet.iter_rows() for cell in row)


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
                        found.add(sheet_title(sheet.name))
                        break
                    tail = chunk[-32:]
    data.seek(0)
    return found


def _xlsx_rows(name, sheet, headers):
    where = f"Sheet {sheet.title!r}"

    def rows():
        limit = max_rows()
        stream = sheet.iter_rows(min_row=2)
        count = 1
        while True:
            try:
                cells = next(stream, None)
            except (KeyError, ValueError, ParseError, zipfile.BadZipFile) as exc:
                raise FileProblem(
                    f"{where} of {name} cannot be read after row {count}: {exc}"
                ) from exc
            if cells is None:
                return
            count += 1
            if count - 1 > limit:
                raise over_limit(f"{where} of {name}", limit)
            values = {}
            for header, cell in zip(headers, cells, strict=False):
                if cell.data_type == "f":
                    raise FileProblem(
                        f"{where}, row {count}, column {header!r} holds a formula "
                        f"({cell.value}); paste its value instead."
                    )
                if cell.data_type == "e":
                    raise FileProblem(
                        f"{where}, row {count}, column {header!r} holds the error {cell.value}; "
                        "put a value there."
                    )
                values[header] = cell.value
            extra = [cell for cell in cells[len(headers) :] if not is_blank(cell.value)]
            if extra:
                raise FileProblem(
                    f"{where}, row {count} has a value outside the named columns "
                    f"(column {extra[0].column_letter})."
                )
            if all(is_blank(value) for value in values.values()):
                continue  # an empty row between others
            yield count, values

    return rows


# CSV ----------------------------------------------------------------------------------------


# A line ends at "\n", "\r\n" or a lone "\r" (old Mac files), as in universal-newline mode.
LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _lines(name: str, data: BinaryIO) -> Iterator[str]:
    """The file's lines as text, decoded as UTF-8 (a byte-order mark dropped) a line at a
    time, so a byte UTF-8 does not use is reported with its line."""
    data.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    number = 0
    for raw in iter(data.readline, b""):
        try:
            text = decoder.decode(raw)
        except UnicodeDecodeError as exc:
            raise FileProblem(
                f"{name} is not UTF-8 text: line {number + 1} holds the byte "
                f'0x{exc.object[exc.start]:02x}, which UTF-8 does not use. Save it as "CSV UTF-8".'
            ) from exc
        if "\x00" in text:  # no text file holds one, and no database column takes one
            raise FileProblem(
                f"{name} is not a text file: line {number + 1} holds a NUL byte. {WANTED}"
            )
        for line in LONE_CR.split(text) if "\r" in text else (text,):
            if line:
                number += 1
                yield line
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f'{name} is not UTF-8 text: it ends mid-character. Save it as "CSV UTF-8".'
        ) from exc


def csv_rows(name: str, data: BinaryIO) -> Iterator[list[str]]:
    """The file's records; the delimiter (comma, semicolon or tab) is the one the header
    line uses most."""
    lines = _lines(name, data)
    first = next(lines, "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(
        itertools.chain([first], lines), delimiter=delimiter if first.count(delimiter) else ","
    )
    try:
        yield from reader
    except csv.Error as exc:
        raise FileProblem(f"{name}, line {reader.line_num} cannot be read as CSV: {exc}.") from exc


def read_csv(name: str, data: BinaryIO) -> SheetSource:
    title = sheet_title(PurePath(name).stem.replace("_", " "))
    records = csv_rows(name, data)
    header = next(records, [])
    headers = check_headers(name, [header_text(cell) for cell in header])
    limit = max_rows()
    total = 0
    for total, _record in enumerate(records, start=1):
        if total > limit:
            raise over_limit(name, limit)

    def rows():
        stream = csv_rows(name, data)
        next(stream, None)
        for count, cells in enumerate(stream, start=2):
            if count - 1 > limit:  # pragma: no cover - the count above refused it
                raise over_limit(name, limit)
            if any(not is_blank(cell) for cell in cells[len(headers) :]):
                raise FileProblem(f"{name}, row {count} has more cells than the header names.")
            values = dict(zip(headers, cells, strict=False))
            if all(is_blank(value) for value in values.values()):
                continue
            yield count, values

    return SheetSource(title, name, headers, total, rows)
