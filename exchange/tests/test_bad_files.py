"""Bad files are refused with a message that says what to fix, and change nothing: each
import here is a confirm (``dry_run=False``) into the demo's Northwind, and the database's
row counts (history included) are the same after it."""

from __future__ import annotations

import io
import zipfile

import pytest

from catalog.models import Product
from exchange.importer import run_import
from exchange.reader import FileProblem
from exchange.tests.workbooks import (
    CountingFile,
    book_sheets,
    csv_bytes,
    headers,
    rewrite,
    row_counts,
    xlsx,
)

pytestmark = pytest.mark.django_db

PRODUCTS = headers("products")  # name, category, status, description


def confirm(vendor, *files):
    return run_import(vendor=vendor, files=[(n, io.BytesIO(d)) for n, d in files], dry_run=False)


def refused(vendor, *files, match: str):
    """The files are refused as a whole with a message matching ``match``; nothing changed."""
    before = row_counts()
    with pytest.raises(FileProblem, match=match) as caught:
        confirm(vendor, *files)
    assert row_counts() == before
    return str(caught.value)


def new_product(name: str) -> list:
    return [name, "Imported", "draft", ""]


def catalog(products=(), edit=None) -> bytes:
    return xlsx(book_sheets("catalog", {"products": products}), edit)


# The wrong kind of file ---------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("catalog.xlsx", PDF, "is a PDF document, not a spreadsheet"),
        ("catalog.xlsx", PNG, "is a PNG image, not a spreadsheet"),
        ("products.csv", PNG, "is a PNG image, not a spreadsheet"),
        ("catalog.xls", XLS, r"is an Excel 97-2003 \(.xls\)"),
        ("catalog.ods", ODS, r"is an OpenDocument \(.ods\) spreadsheet"),
        ("catalog.xlsx", zipped({"readme.txt": b"hello"}), "is a ZIP archive, not an XLSX"),
        ("catalog.xlsx", b"PK\x03\x04 cut short", "is a damaged ZIP file"),
        ("catalog.xlsx", b"name,category\n", "is not an XLSX workbook"),
        ("products.csv", "a,b\n".encode("utf-16"), "is UTF-16 text"),
        ("products.csv", b"", "is empty"),
        ("products.csv", b"name,category\nA\x00B,x\n", "line 2 holds a NUL byte"),
        ("catalog.xlsx", zipped({"[Content_Types].xml": b"<Types/>"}), "not a readable XLSX"),
    ],
)
def test_a_file_that_is_not_a_workbook_or_csv_is_refused_by_its_kind(northwind, name, data, match):
    message = refused(northwind, (name, data), match=match)
    assert "XLSX" in message or "empty" in message, message


def test_a_workbook_cut_short_is_refused(northwind):
    whole = catalog([new_product("Cut")])
    refused(northwind, ("catalog.xlsx", whole[: len(whole) // 2]), match="damaged ZIP")


# Sheets and columns -------------------------------------------------------------------------


def test_a_workbook_missing_a_sheet_is_refused_naming_it(northwind):
    sheets = book_sheets("catalog", {"products": [new_product("Lonely")]})
    del sheets["listings"]
    refused(northwind, ("catalog.xlsx", xlsx(sheets)), match="lacks .* sheet.*: listings")


def test_a_sheet_missing_a_column_is_refused_naming_it(northwind):
    data = csv_bytes([["name", "status", "description"], ["Shirt", "draft", ""]])
    refused(northwind, ("products.csv", data), match="lacks the column.*: category")


def test_extra_columns_are_refused_by_name(northwind):
    data = csv_bytes([[*PRODUCTS, "Colour", "size"], [*new_product("Shirt"), "red", "M"]])
    refused(northwind, ("products.csv", data), match="does not know: colour, size")


def test_a_value_beyond_the_named_columns_is_refused_naming_its_column(northwind):
    rows = [new_product("Fine"), [*new_product("Spill"), None, "stray"]]
    refused(northwind, ("catalog.xlsx", catalog(rows)), match=r"row 3 .*outside.*column F")
    data = csv_bytes([PRODUCTS, new_product("Fine"), [*new_product("Spill"), "stray"]])
    refused(northwind, ("products.csv", data), match="row 3 has more cells than the header")


def test_a_column_without_a_name_between_named_ones_is_refused(northwind):
    data = csv_bytes([["name", "", "status", "description"], ["Shirt", "x", "draft", ""]])
    refused(northwind, ("products.csv", data), match="column B has no name")


def test_a_column_named_twice_is_refused(northwind):
    data = csv_bytes([[*PRODUCTS, "Name"], [*new_product("Shirt"), "Shirt"]])
    refused(northwind, ("products.csv", data), match="names column.* twice: name")


def test_a_sheet_without_a_header_row_is_refused(northwind):
    refused(northwind, ("products.csv", b"\n\n"), match="has no header row")
    refused(northwind, ("products.csv", b"\xef\xbb\xbf"), match="has no header row")
    sheets = book_sheets("catalog")
    sheets["products"] = []
    refused(northwind, ("catalog.xlsx", xlsx(sheets)), match="'products'.* has no header row")


def test_sheet_titles_and_headers_are_matched_whatever_their_case_and_spaces(northwind):
    sheets = {title.upper() + " ": rows for title, rows in book_sheets("catalog").items()}
    sheets["PRODUCTS "] = [
        [f" {name.title()} " for name in PRODUCTS],
        new_product("Cased"),
    ]
    report = confirm(northwind, ("catalog.xlsx", xlsx(sheets)))
    assert report.applied and report.sheets["products"].counts["created"] == 1
    assert Product.objects.filter(vendor=northwind, name="Cased").exists()


def test_a_blank_sheet_of_another_name_is_ignored_and_one_with_values_refused(northwind):
    sheets = book_sheets("catalog", {"products": [new_product("Beside a blank sheet")]})
    report = confirm(northwind, ("catalog.xlsx", xlsx({**sheets, "Sheet1": []})))
    assert report.applied and report.sheets["products"].counts["created"] == 1
    notes = xlsx({**sheets, "Notes": [["remember"]]})
    refused(northwind, ("catalog.xlsx", notes), match="Unknown sheet 'notes' in catalog.xlsx")
    data = csv_bytes([PRODUCTS, new_product("Renamed")])
    refused(northwind, ("export (1).csv", data), match=r"Unknown sheet 'export \(1\)'")


def test_a_workbook_of_headers_only_imports_nothing_and_says_so(northwind):
    before = row_counts()
    report = confirm(northwind, ("catalog.xlsx", catalog()))
    assert report.ok and sum(report.counts.values()) == 0
    assert row_counts() == before


# Cells --------------------------------------------------------------------------------------


def test_a_formula_is_refused_naming_sheet_row_and_column_and_rows_before_it_roll_back(
    northwind,
):
    rows = [new_product("Before the formula"), ['=A2&" copy"', "Imported", "draft", ""]]
    message = refused(northwind, ("catalog.xlsx", catalog(rows)), match="holds a formula")
    assert "'products', row 3, column 'name'" in message
    assert not Product.objects.filter(name="Before the formula").exists()


def test_merged_cells_are_refused_naming_the_sheet(northwind):
    rows = [new_product("Merged"), new_product("Merged")]
    data = catalog(rows, edit=lambda book: book["products"].merge_cells("B2:B3"))
    refused(northwind, ("catalog.xlsx", data), match="'products' .* has merged cells")


def test_empty_rows_are_skipped_and_the_rows_around_them_imported(northwind):
    rows = [new_product("Above"), [None, None, None, None], ["", " ", "", ""], new_product("Below")]
    report = confirm(northwind, ("catalog.xlsx", catalog(rows)))
    assert [row.row for row in report.sheets["products"].rows] == [2, 5]
    blank = ["", "", "", ""]
    data = csv_bytes([PRODUCTS, new_product("Above CSV"), [], blank, new_product("Below CSV")])
    report = confirm(northwind, ("products.csv", data))
    assert [row.row for row in report.sheets["products"].rows] == [2, 5]
    names = set(Product.objects.filter(vendor=northwind).values_list("name", flat=True))
    assert {"Above", "Below", "Above CSV", "Below CSV"} <= names


# Size and rows ------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(northwind, settings):
    settings.EXCHANGE_MAX_FILE_BYTES = 1000
    data = csv_bytes([PRODUCTS, new_product("Padded"), *([""] * 4 for _ in range(300))])
    refused(northwind, ("products.csv", data), match=r"is 0\.0 MB; the limit is 0 MB")


def test_the_default_size_limit_refuses_a_50_mb_file(northwind, tmp_path):
    path = tmp_path / "products.csv"
    with path.open("wb") as out:
        out.write(csv_bytes([PRODUCTS, new_product("Padded")]))
        out.write((b" " * 1023 + b"\n") * (50 * 1024))
    before = row_counts()
    with path.open("rb") as data, pytest.raises(FileProblem, match=r"is 52\.\d MB; the limit"):
        run_import(vendor=northwind, files=[("products.csv", data)], dry_run=False)
    assert row_counts() == before


def test_a_million_rows_are_refused_with_the_limit_before_the_file_is_read_through(northwind):
    # The default limit (100,000 rows); the last byte is not UTF-8, and it is never reached.
    body = csv_bytes([headers("items")]) + b"x\n" * 1_000_000 + b"\xff\n"
    data = CountingFile(body)
    before = row_counts()
    with pytest.raises(FileProblem, match="more than 100,000 rows, the limit"):
        run_import(vendor=northwind, files=[("items.csv", data)], dry_run=False)
    assert data.bytes_read < len(body) / 4
    assert row_counts() == before


def test_a_workbook_whose_dimension_is_over_the_row_limit_is_refused_before_its_rows(
    northwind, settings
):
    settings.EXCHANGE_MAX_ROWS = 3
    rows = [new_product(f"Row {n}") for n in range(4)]
    refused(northwind, ("catalog.xlsx", catalog(rows)), match="'products' .* more than 3 rows")


def test_a_workbook_declaring_a_million_rows_is_refused_by_the_default_limit(northwind):
    data = rewrite(catalog([new_product("One")]), "xl/worksheets/sheet1.xml", b'ref="A1:D2"',
                   b'ref="A1:D1000001"')  # fmt: skip
    refused(northwind, ("catalog.xlsx", data), match="more than 100,000 rows")


def test_rows_past_a_stale_dimension_are_read_and_counted_against_the_limit(northwind, settings):
    settings.EXCHANGE_MAX_ROWS = 3
    rows = [new_product(f"Row {n}") for n in range(4)]
    data = rewrite(catalog(rows), "xl/worksheets/sheet1.xml", b'ref="A1:D5"', b'ref="A1:D2"')
    refused(northwind, ("catalog.xlsx", data), match="'products' .* more than 3 rows")
    assert not Product.objects.filter(name="Row 0").exists()
    settings.EXCHANGE_MAX_ROWS = 10
    report = confirm(northwind, ("catalog.xlsx", data))
    assert report.sheets["products"].counts["created"] == 4


# Encodings and separators -------------------------------------------------------------------


def test_a_csv_that_is_not_utf8_is_refused_naming_utf8_and_the_line(northwind):
    rows = [PRODUCTS, new_product("Plain"), new_product("Café crème")]
    for encoding in ("cp1252", "latin-1"):
        data = csv_bytes(rows, encoding=encoding)
        message = refused(northwind, ("products.csv", data), match="is not UTF-8 text")
        assert "line 3 holds the byte 0xe9" in message and 'Save it as "CSV UTF-8"' in message


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"bom": True}, "With a BOM"),
        ({"delimiter": ";"}, "Semicolons; and commas, in text"),
        ({"delimiter": "\t"}, "Tabs"),
    ],
)
def test_csv_with_a_bom_or_semicolons_or_tabs_is_read(northwind, options, name):
    data = csv_bytes([PRODUCTS, [name, "Imported", "draft", "a; b, c"]], **options)
    report = confirm(northwind, ("products.csv", data))
    assert report.applied
    assert Product.objects.get(vendor=northwind, name=name).description == "a; b, c"


def test_csv_line_endings_of_every_system_and_line_breaks_in_cells_are_read(northwind):
    rows = [PRODUCTS, ["Mac", "Imported", "draft", "two\rlines"], ["Unix", "", "draft", "a\nb"]]
    for ending in ("\r", "\n", "\r\n"):
        text = csv_bytes(rows).decode().replace("\r\n", ending)
        report = run_import(
            vendor=northwind, files=[("products.csv", io.BytesIO(text.encode()))], dry_run=True
        )
        assert report.sheets["products"].counts["created"] == 2, ending
    confirm(northwind, ("products.csv", csv_bytes(rows)))
    descriptions = Product.objects.filter(vendor=northwind, name__in=["Mac", "Unix"])
    assert dict(descriptions.values_list("name", "description")) == {
        "Mac": "two\rlines",
        "Unix": "a\nb",
    }
