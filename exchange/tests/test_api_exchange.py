"""The spreadsheet endpoints on the demo data: workbooks and CSV sheets out, files in.

An import is a dry run unless ``dry_run=false``; a refused row or an unreadable file is a 400
in the API's error shape and writes nothing; importing what was exported changes nothing.
Who may: the vendor's staff and superusers; other vendors' staff and distributors get 404,
anonymous callers 401 (``exchange.access.vendor_for``).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from rest_framework.test import APIClient

from catalog.models import Product
from exchange.api import SHEET_NAMES, XLSX
from exchange.books import BOOKS, SHEETS
from exchange.importer import history_models

pytestmark = pytest.mark.django_db

API = "/api/v1/vendors"


def client_of(username: str | None) -> APIClient:
    client = APIClient()
    if username:
        client.force_authenticate(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def northwind(shared_demo):
    return client_of("northwind")


def history_count() -> int:
    return sum(model.objects.count() for model in history_models())


def upload(name: str, content: bytes):
    data = io.BytesIO(content)
    data.name = name
    return data


def post_import(client, files: list[tuple[str, bytes]], dry_run: str | None = None):
    url = f"{API}/northwind/import/"
    if dry_run is not None:
        url += f"?dry_run={dry_run}"
    body = {"files": [upload(name, content) for name, content in files]}
    return client.post(url, body, format="multipart")


def products_csv(client) -> str:
    return client.get(f"{API}/northwind/export/products.csv").content.decode("utf-8-sig")


def with_description(text: str, product: str, description: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["name"] == product:
            row["description"] = description
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# Export


@pytest.mark.parametrize("book", BOOKS)
def test_a_workbook_is_an_xlsx_download_with_a_sheet_per_kind(northwind, book):
    response = northwind.get(f"{API}/northwind/export/{book}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="northwind-{book}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [sheet.title for sheet in BOOKS[book]]


@pytest.mark.parametrize("name", SHEET_NAMES)
def test_a_sheet_is_a_csv_download_named_so_it_imports_back(northwind, name):
    response = northwind.get(f"{API}/northwind/export/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == SHEETS[name.replace("_", " ")].headers()


@pytest.mark.parametrize(
    "path", ["export/everything.xlsx", "export/nothing.csv", "export/items.pdf"]
)
def test_an_unknown_book_or_sheet_is_a_404_in_the_error_shape(northwind, path):
    response = northwind.get(f"{API}/northwind/{path}")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


# Import


def test_importing_the_export_is_a_dry_run_by_default_and_all_unchanged(northwind):
    catalog = northwind.get(f"{API}/northwind/export/catalog.xlsx").content
    prices = northwind.get(f"{API}/northwind/export/prices.xlsx").content
    before = history_count()
    response = post_import(northwind, [("catalog.xlsx", catalog), ("prices.xlsx", prices)])
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["dry_run"] is True and report["applied"] is False
    assert report["files"] == ["catalog.xlsx", "prices.xlsx"]
    assert report["counts"]["unchanged"] > 0
    assert {k: v for k, v in report["counts"].items() if k != "unchanged"} == {
        "created": 0,
        "changed": 0,
        "refused": 0,
    }
    assert {sheet["sheet"] for sheet in report["sheets"]} == set(SHEETS)
    assert history_count() == before


def test_a_dry_run_reports_the_changed_fields_and_writes_nothing(northwind):
    changed = with_description(products_csv(northwind), "Windows 10", "Now with more windows.")
    before = history_count()
    response = post_import(northwind, [("products.csv", changed)], dry_run="true")
    assert response.status_code == 200, response.json()
    (sheet,) = response.json()["sheets"]
    assert sheet["counts"]["changed"] == 1
    (row,) = [row for row in sheet["rows"] if row["result"] == "changed"]
    assert row["key"] == "Windows 10" and row["fields"] == ["description"]
    assert Product.objects.get(name="Windows 10").description != "Now with more windows."
    assert history_count() == before


def test_a_confirmed_import_applies_with_the_user_and_file_in_the_history(northwind):
    changed = with_description(products_csv(northwind), "Windows 10", "Now with more windows.")
    response = post_import(northwind, [("products.csv", changed)], dry_run="false")
    assert response.status_code == 200, response.json()
    assert response.json()["applied"] is True
    product = Product.objects.get(name="Windows 10")
    assert product.description == "Now with more windows."
    last = product.history.latest("history_id")
    assert last.history_user.username == "northwind"
    assert last.history_change_reason == "import products.csv"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(northwind):
    changed = with_description(products_csv(northwind), "Windows 10", "Twice.")
    assert post_import(northwind, [("products.csv", changed)], dry_run="false").status_code == 200
    before = history_count()
    response = post_import(northwind, [("products.csv", changed)], dry_run="false")
    assert response.status_code == 200
    counts = response.json()["counts"]
    assert counts["unchanged"] == Product.objects.filter(vendor__slug="northwind").count()
    assert counts["changed"] == counts["created"] == counts["refused"] == 0
    assert history_count() == before


def refused_items() -> bytes:
    header = ",".join(SHEETS["items"].headers())
    row = "No Such Product,XX-1,Ghost,,subscription,monthly,none,seat,published,"
    return f"{header}\n{row}\n".encode()


def test_a_refused_row_in_a_confirm_is_a_400_with_the_report_and_writes_nothing(northwind):
    changed = with_description(products_csv(northwind), "Windows 10", "Not written.")
    before = history_count()
    files = [("products.csv", changed), ("items.csv", refused_items())]
    response = post_import(northwind, files, dry_run="false")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "IMPORT_REFUSED"
    assert body["report"]["applied"] is False and body["report"]["counts"]["refused"] == 1
    assert list(body["errors"]) == ["items"] and "row 2" in body["errors"]["items"][0]
    assert Product.objects.get(name="Windows 10").description != "Not written."
    assert history_count() == before


def test_a_refused_row_in_a_dry_run_is_reported_with_its_reason(northwind):
    response = post_import(northwind, [("items.csv", refused_items())])
    assert response.status_code == 200
    (row,) = response.json()["sheets"][0]["rows"]
    assert row["result"] == "refused" and row["reason"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("catalog.xlsx", b"PK\x03\x04 not a zip", "damaged ZIP file, not a workbook"),
        ("nonsense.csv", b"a,b\n1,2\n", "Unknown sheet 'nonsense'"),
        ("products.csv", b"name,colour\nX,red\n", "lacks the column(s)"),
        ("products.csv", "name\n\xe9".encode("latin-1"), "not UTF-8"),
        ("products.csv", b"", "is empty"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_400_file_problem(northwind, name, content, message):
    before = history_count()
    response = post_import(northwind, [(name, content)], dry_run="false")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "FILE_PROBLEM" and message in body["detail"]
    assert history_count() == before


def test_a_file_over_the_size_limit_is_a_400_naming_the_limit(northwind, settings):
    settings.EXCHANGE_MAX_FILE_BYTES = 1_000_000
    response = post_import(northwind, [("products.csv", b"name\n" + b"x" * 1_000_000)])
    assert response.status_code == 400
    assert response.json()["code"] == "FILE_PROBLEM"
    assert "the limit is 1 MB" in response.json()["detail"]


def test_a_request_without_files_is_a_400_naming_the_field(northwind):
    response = northwind.post(f"{API}/northwind/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "files" in response.json()["errors"]


def test_a_dry_run_that_is_no_boolean_is_a_400(northwind):
    response = post_import(northwind, [("products.csv", b"name\n")], dry_run="perhaps")
    assert response.status_code == 400
    assert "dry_run" in response.json()["errors"]


def test_a_json_body_is_a_415(northwind):
    response = northwind.post(f"{API}/northwind/import/", {"files": []}, format="json")
    assert response.status_code == 415
    assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"


# Who may


ROLES = {
    "northwind": 200,  # the vendor's own staff
    "admin": 200,  # a superuser
    "fabrikam": 404,  # another vendor's staff
    "distributor": 404,
    None: 401,  # anonymous
}


@pytest.mark.parametrize("username, expected", ROLES.items())
@pytest.mark.parametrize("path", ["export/catalog.xlsx", "export/prices.xlsx", "export/items.csv"])
def test_who_may_export(shared_demo, username, expected, path):
    response = client_of(username).get(f"{API}/northwind/{path}")
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["code"] in ("NOT_FOUND", "NOT_AUTHENTICATED")


@pytest.mark.parametrize("username, expected", ROLES.items())
def test_who_may_import(shared_demo, username, expected):
    vendor_client = client_of("northwind")
    changed = with_description(products_csv(vendor_client), "Windows 10", "By whom?")
    before = history_count()
    response = post_import(client_of(username), [("products.csv", changed)], dry_run="false")
    assert response.status_code == expected
    written = Product.objects.get(name="Windows 10").description == "By whom?"
    assert written == (expected == 200)
    if expected != 200:
        assert history_count() == before


def test_an_unknown_vendor_is_a_404(shared_demo):
    admin = client_of("admin")
    assert admin.get(f"{API}/nobody/export/catalog.xlsx").status_code == 404
    assert post_import_to(admin, "nobody").status_code == 404


def post_import_to(client, slug: str):
    body = {"files": [upload("products.csv", b"name\n")]}
    return client.post(f"{API}/{slug}/import/", body, format="multipart")


# Query counts

EXPORTS = (*(f"{book}.xlsx" for book in BOOKS), *(f"{name}.csv" for name in SHEET_NAMES))


def test_exports_run_a_fixed_number_of_queries_whatever_the_catalog_size(
    db, django_assert_max_num_queries
):
    """Counted with a small catalog, then each export of one five times the size runs no more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from catalog.tests.factories import VendorFactory, build_catalog, vendor_staff
    from pricing.tests.factories import priced_offering

    vendor = VendorFactory(slug="grown")
    client = APIClient()
    token = Token.objects.create(user=vendor_staff(vendor))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def grow(size: int) -> None:
        build_catalog(vendor, size)
        for _ in range(size):
            priced_offering(vendor, items=2, rates=2, intervals=2, tiers=2)

    grow(1)
    small = {}
    for path in EXPORTS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/grown/export/{path}").status_code == 200
        small[path] = len(queries.captured_queries)
    grow(4)
    for path in EXPORTS:
        with django_assert_max_num_queries(small[path]):
            response = client.get(f"{API}/grown/export/{path}")
        assert response.status_code == 200
