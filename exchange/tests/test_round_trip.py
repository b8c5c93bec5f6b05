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


def test_offer_plan_and_feature_translations_survive_the_trip(shared_demo):
    from catalog.models import Feature, FeatureGroup, Offer
    from catalog.services import Translation, plan_save, translated_save

    source = Vendor.objects.get(slug="northwind")
    offer = Offer.objects.filter(product__vendor=source).order_by("pk").first()
    plan = offer.plans.order_by("pk").first()
    group = FeatureGroup.objects.filter(offer=offer).order_by("pk").first()
    feature = Feature.objects.filter(group=group).order_by("pk").first()
    translated_save(row=offer, translations=[Translation("de", "Angebot", "Beschreibung.")])
    plan_save(plan=plan, translations=[Translation("fr-CA", "Forfait", "Le forfait.")])
    translated_save(row=group, translations=[Translation("de", "Gruppe")])
    translated_save(row=feature, translations=[Translation("de", "Merkmal")])
    catalog, prices = workbook(source, "catalog"), workbook(source, "prices")
    rows = cells(catalog)["offer translations"]
    assert [row[2:6] for row in rows[1:]] == [
        ("offer", None, "de", "Angebot"),
        ("plan", plan.name, "fr-CA", "Forfait"),
        ("feature group", group.name, "de", "Gruppe"),
        ("feature", f"{group.name} / {feature.name}", "de", "Merkmal"),
    ]
    empty = Vendor.objects.create(name="Empty", slug="empty")
    assert import_both(empty, catalog, prices, dry_run=False).applied
    assert cells(workbook(empty, "catalog")) == cells(catalog)
