"""Cells as spreadsheets hold them: dates in every format, numbers stored as text, and text
that a spreadsheet would run as a formula, escaped on export and read back as it was."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from catalog.models import ItemGroup, Product, Vendor
from exchange.columns import Date, Number, Text, escape_formula, unescape_formula
from exchange.export import sheet_csv, workbook
from exchange.importer import run_import
from exchange.tests.workbooks import book_sheets, csv_bytes, headers, row_counts, xlsx
from pricing.models import Offering

JAN_31 = datetime.date(2026, 1, 31)
SERIAL = (JAN_31 - datetime.date(1899, 12, 30)).days  # Excel's number for 2026-01-31


# Dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        JAN_31,
        datetime.datetime(2026, 1, 31),
        SERIAL,
        float(SERIAL),
        "2026-01-31",
        " 2026-01-31 ",
        "2026-01-31 00:00:00",
        "2026-01-31T00:00",
        "2026/01/31",
        "31.01.2026",
        "31/01/2026",
        "01/31/2026",
        "31-01-2026",
        "31 Jan 2026",
        "January 31, 2026",
    ],
)
def test_a_date_is_read_from_every_spreadsheet_format(cell):
    assert Date().clean(cell) == JAN_31


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("01/02/2026", "could be read day-first or month-first; write it as YYYY-MM-DD"),
        ("31/31/2026", "is not a date"),
        ("tomorrow", "is not a date"),
        (datetime.datetime(2026, 1, 31, 9, 30), "has a time of day"),
        ("2026-01-31 09:30", "has a time of day"),
        (SERIAL + 0.5, "is not a date"),
        (-1, "is not a date"),
    ],
)
def test_a_cell_that_is_no_single_date_is_refused_with_the_reason(cell, reason):
    with pytest.raises(ValueError, match=reason):
        Date().clean(cell)


def test_a_day_and_month_alike_is_no_ambiguity():
    assert Date().clean("02/02/2026") == datetime.date(2026, 2, 2)


# Numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("12.50", Decimal("12.50")),
        (" 1,234.50 ", Decimal("1234.50")),
        ("\u00a01 234.50", Decimal("1234.50")),
        ("-3", Decimal("-3")),
        ("'-3", Decimal("-3")),  # as export escapes a text cell starting with "-"
        (12.5, Decimal("12.5")),
        (1.1, Decimal("1.1")),
        (7, Decimal(7)),
    ],
)
def test_a_number_stored_as_text_or_a_float_reads_as_the_decimal_typed(cell, number):
    value = Number().clean(cell)
    assert value == number and str(value) == str(number)


@pytest.mark.parametrize("cell", ["1.234,50", "12,5", "$12", "12 EUR", "1e3", "yes", True])
def test_a_number_in_another_notation_is_refused_asking_for_1234_50(cell):
    with pytest.raises(ValueError, match="is not a number"):
        Number().clean(cell)


def test_a_whole_number_column_refuses_a_fraction():
    assert Number(integer=True).clean(" 1,234 ") == 1234
    with pytest.raises(ValueError, match=r"12\.50 is not a whole number"):
        Number(integer=True).clean("12.50")


# Formula escaping ---------------------------------------------------------------------------

DANGEROUS = [
    "=1+2",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "\tTabbed",
    "\rReturned",
    "'=quoted",
    "''twice",
    "'\nline",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_is_escaped_and_read_back_as_it_was(text):
    escaped = Text().render(text)
    assert escaped == "'" + text
    assert unescape_formula(escaped) == text == Text().clean(escaped)


@pytest.mark.parametrize("text", ["plain", "'quoted", "a=b", "12-3", ""])
def test_harmless_text_is_written_as_it_is(text):
    assert escape_formula(text) == text == unescape_formula(text)


# The same cells in files --------------------------------------------------------------------


def confirm(vendor, *files):
    return run_import(vendor=vendor, files=[(n, io.BytesIO(d)) for n, d in files], dry_run=False)


def offering(name: str, start) -> list:
    return [name, "", "", start, None, ""]


def start_dates(vendor) -> dict[str, datetime.date]:
    rows = Offering.objects.filter(vendor=vendor, name__startswith="Dated")
    return dict(rows.values_list("name", "start_date"))


@pytest.mark.django_db
def test_dates_in_every_format_import_from_a_workbook(northwind):
    cells = {
        "Dated cell": JAN_31,
        "Dated midnight": datetime.datetime(2026, 1, 31),
        "Dated serial": SERIAL,
        "Dated ISO text": "2026-01-31",
        "Dated dots": "31.01.2026",
        "Dated slashes": "31/01/2026",
    }
    rows = [offering(name, cell) for name, cell in cells.items()]
    report = confirm(northwind, ("prices.xlsx", xlsx(book_sheets("prices", {"offerings": rows}))))
    assert report.applied
    assert start_dates(northwind) == dict.fromkeys(cells, JAN_31)


@pytest.mark.django_db
def test_text_dates_import_from_csv(northwind):
    texts = ["2026-01-31", "31.01.2026", "31/01/2026", "01/31/2026", "2026-01-31 00:00:00"]
    rows = [offering(f"Dated {n}", text) for n, text in enumerate(texts)]
    report = confirm(northwind, ("offerings.csv", csv_bytes([headers("offerings"), *rows])))
    assert report.applied
    assert set(start_dates(northwind).values()) == {JAN_31}


@pytest.mark.django_db
def test_an_ambiguous_date_refuses_its_row_with_the_reason_and_nothing_is_written(northwind):
    rows = [offering("Dated clear", "2026-01-31"), offering("Dated ambiguous", "01/02/2026")]
    before = row_counts()
    report = confirm(northwind, ("offerings.csv", csv_bytes([headers("offerings"), *rows])))
    assert not report.applied and report.refused == 1
    [row] = [row for row in report.sheets["offerings"].rows if row.reason]
    assert (row.row, row.key) == (3, "Dated ambiguous")
    assert "start date: '01/02/2026' could be read day-first or month-first" in row.reason
    assert row_counts() == before


@pytest.mark.django_db
def test_numbers_stored_as_text_import_from_csv_and_from_text_cells(northwind):
    rows = [["Windows 10", "Text position", " 1,234 "], ["Windows 10", "Float position", 7.0]]
    book = xlsx(book_sheets("catalog", {"item groups": rows}))
    assert load_workbook(io.BytesIO(book))["item groups"]["C2"].data_type == "s"
    assert confirm(northwind, ("catalog.xlsx", book)).applied
    data = csv_bytes([headers("item groups"), ["Windows 10", "CSV position", "12"]])
    assert confirm(northwind, ("item_groups.csv", data)).applied
    positions = dict(
        ItemGroup.objects.filter(product__vendor=northwind, name__endswith="position").values_list(
            "name", "position"
        )
    )
    assert positions == {"Text position": 1234, "Float position": 7, "CSV position": 12}


@pytest.mark.django_db
def test_formula_like_text_is_escaped_on_export_and_round_trips(northwind):
    rows = [[text, "Imported", "draft", f"desc {text}"] for text in DANGEROUS[:4]]
    rows.append(["Tabbed", "Imported", "draft", "\tTabbed description"])
    rows.append(["Returned", "Imported", "draft", "Returned description"])
    assert confirm(northwind, ("products.csv", csv_bytes([headers("products"), *rows]))).applied
    # An import strips the whitespace around a cell; the admin and the API keep it.
    for name, description in (("Tabbed", "\tTabbed description"), ("Returned", "\rReturned")):
        Product.objects.filter(vendor=northwind, name=name).update(description=description)
        rows[[row[0] for row in rows].index(name)][3] = description
    originals = {row[0]: row[3] for row in rows}

    book = workbook(northwind, "catalog")
    sheet = load_workbook(io.BytesIO(book))["products"]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for name in DANGEROUS[:4]:
        name_cell, *_rest, description_cell = cells["'" + name]
        assert name_cell.data_type == description_cell.data_type == "s"
    assert cells["Tabbed"][3].value == "'\tTabbed description"
    assert cells["Returned"][3].value.startswith("'")
    text = sheet_csv(northwind, "products").decode("utf-8-sig")
    assert "'=1+2," in text and "'+SUM(A1)," in text and "'@cmd," in text

    # Back into the vendor: the same text, so nothing changes; into a new one: the same names.
    # (XML turns a carriage return into a line feed, so a workbook gives "\n" for "\r": a
    # change of line ending only is no change.)
    for name, data, changed in (
        ("catalog.xlsx", book, []),
        ("products.csv", text.encode(), []),
    ):
        report = run_import(vendor=northwind, files=[(name, io.BytesIO(data))], dry_run=True)
        outcomes = report.sheets["products"].rows
        assert [(row.key, row.fields) for row in outcomes if row.result != "unchanged"] == changed
    empty = Vendor.objects.create(name="Empty", slug="empty")
    confirm(empty, ("products.csv", text.encode()))
    imported = dict(Product.objects.filter(vendor=empty).values_list("name", "description"))
    assert {name: imported[name] for name in originals} == originals
