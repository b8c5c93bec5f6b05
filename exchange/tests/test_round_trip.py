"""Export → import into an empty vendor → export again gives the same workbooks."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from catalog.models import Vendor
from exchange.export import workbook
from exchange.importer import run_import

pytestmark = pytest.mark.django_db


def cells(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


@pytest.fixture(params=["northwind", "fabrikam"])
def exported(shared_demo, request):
    source = Vendor.objects.get(slug=request.param)
    return source, workbook(source, "catalog"), workbook(source, "prices")


def import_both(vendor, catalog: bytes, prices: bytes, *, dry_run: bool, by=None):
    files = [("catalog.xlsx", io.BytesIO(catalog)), ("prices.xlsx", io.BytesIO(prices))]
    return run_import(vendor=vendor, files=files, dry_run=dry_run, by=by)


def test_the_demo_catalog_survives_export_import_export(exported):
    """Every demo vendor's catalog and prices: the same cells after the trip, every sheet
    holding rows (a sheet left empty would prove nothing)."""
    _source, catalog, prices = exported
    empty = Vendor.objects.create(name="Empty", slug="empty")
    report = import_both(empty, catalog, prices, dry_run=False)
    refused = [row for sheet in report.sheets.values() for row in sheet.rows if row.reason]
    assert refused == []
    assert report.applied
    assert cells(workbook(empty, "catalog")) == cells(catalog)
    assert cells(workbook(empty, "prices")) == cells(prices)
