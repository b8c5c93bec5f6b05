"""The admin's spreadsheet pages: export, import with a dry run and a confirm, who may."""

from __future__ import annotations

import csv
import io
import os
import re
import time
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import Item, Product, Vendor
from catalog.tests.factories import build_catalog
from exchange.admin_views import KEEP_SECONDS, upload_dir
from exchange.export import sheet_csv
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp_path(settings, tmp_path):
    settings.EXCHANGE_UPLOAD_DIR = tmp_path / "uploads"


def signed_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def staff(client, northwind):
    return signed_in(client, "northwind")


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def page_text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def items_csv(vendor, edit=None, extra=()) -> SimpleUploadedFile:
    """The vendor's items sheet as exported, its first row passed through ``edit``, and
    ``extra`` rows ({column: value}, the rest copied from the first row) added."""
    rows = list(csv.DictReader(io.StringIO(sheet_csv(vendor, "items").decode("utf-8-sig"))))
    first = dict(rows[0])
    if edit:
        rows[0] = edit(dict(rows[0]))
    rows += [{**first, **row} for row in extra]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("items.csv", out.getvalue().encode(), content_type="text/csv")


def renamed(row):
    return {**row, "name": row["name"] + " (renamed)"}


def dry_run(client, vendor, *files):
    response = client.post(url("exchange_import", vendor.slug), {"files": list(files)})
    assert response.status_code == 200
    return page_text(response)


def confirm_fields(text) -> dict:
    """The hidden fields of the report's Confirm form."""
    return dict(re.findall(r'name="(token|clean_run)" value="([^"]*)"', text))


def last_message(response) -> str:
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def report_counts(text, sheet) -> list[int]:
    row = re.search(rf'<th scope="row"><a href="#sheet-\d+">{sheet}</a></th>(.*?)</tr>', text)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row.group(1))]


# --- Export -------------------------------------------------------------------------------


def test_the_export_page_offers_both_workbooks_and_each_sheet_as_csv(staff, northwind):
    text = page_text(staff.get(url("exchange_export", "northwind")))
    assert url("exchange_export_book", "northwind", "catalog") in text
    assert url("exchange_export_book", "northwind", "prices") in text
    assert url("exchange_export_sheet", "northwind", "item_translations") in text


def test_a_workbook_downloads_as_xlsx_with_its_sheets(staff, northwind):
    response = staff.get(url("exchange_export_book", "northwind", "prices"))
    assert response["Content-Disposition"] == 'attachment; filename="northwind-prices.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["offerings", "offering items", "rates", "prices"]


def test_a_sheet_downloads_as_csv(staff, northwind):
    response = staff.get(url("exchange_export_sheet", "northwind", "items"))
    assert response["Content-Disposition"] == 'attachment; filename="northwind-items.csv"'
    assert response.content == sheet_csv(northwind, "items")


def test_an_unknown_sheet_or_workbook_is_not_found(staff, northwind):
    assert staff.get(url("exchange_export_sheet", "northwind", "nothing")).status_code == 404
    assert staff.get(url("exchange_export_book", "northwind", "nothing")).status_code == 404


def test_the_export_pages_queries_do_not_grow_with_the_catalog(
    staff, northwind, django_assert_max_num_queries
):
    pages = [
        url("exchange_export", "northwind"),
        url("exchange_export_book", "northwind", "catalog"),
        url("exchange_export_book", "northwind", "prices"),
    ]
    limits = {pages[0]: 6, pages[1]: 22, pages[2]: 12}  # as measured on the demo
    for _size in ("demo", "demo and more"):
        for page in pages:
            with django_assert_max_num_queries(limits[page]):
                assert staff.get(page).status_code == 200
        build_catalog(northwind, 4)
        priced_offering(northwind, items=3, rates=2, intervals=2, tiers=2)


# --- Import -------------------------------------------------------------------------------


def test_a_dry_run_shows_each_rows_result_and_changes_nothing(staff, northwind):
    before = list(Item.objects.filter(product__vendor=northwind).values_list("mpn", "name"))
    upload = items_csv(northwind, renamed, extra=[{"mpn": "NEW-MPN-1", "name": "New item"}])
    text = dry_run(staff, northwind, upload)
    assert "Dry run: nothing is written yet" in text
    created, changed, unchanged, refused = report_counts(text, "Items")
    assert (created, changed, refused) == (1, 1, 0)
    assert unchanged == len(before) - 1
    assert re.search(r"<td>changed</td>\s*<td>name</td>", text)
    assert re.search(r"NEW-MPN-1</td><td>created</td>", text)
    assert '<progress value="' in text
    assert 'id="exchange-confirm"' in text
    after = list(Item.objects.filter(product__vendor=northwind).values_list("mpn", "name"))
    assert after == before


def test_confirm_applies_the_dry_runs_upload_with_the_user_and_file_name(staff, northwind):
    text = dry_run(staff, northwind, items_csv(northwind, renamed))
    response = staff.post(url("exchange_import_confirm", "northwind"), confirm_fields(text))
    applied = page_text(response)
    assert "Imported: every row below is written." in applied
    item = Item.objects.get(product__vendor=northwind, name__endswith="(renamed)")
    last = item.history.first()
    assert (last.history_user.username, last.history_change_reason) == (
        "northwind",
        "import items.csv",
    )
    again = staff.post(url("exchange_import_confirm", "northwind"), confirm_fields(text))
    assert again.status_code == 302  # the applied upload is gone: nothing is applied twice
    assert "no longer kept" in last_message(again)
    assert list(upload_dir().iterdir()) == []  # the applied upload's files are removed


def test_a_confirm_after_a_refused_dry_run_is_refused(staff, northwind):
    unknown = {"product": "No such product", "mpn": "ORPHAN-1"}
    text = dry_run(staff, northwind, items_csv(northwind, renamed, extra=[unknown]))
    assert "1 row refused: nothing can be imported" in text
    assert re.search(r"<td>refused</td>\s*<td>[^<]*No such product", text)
    assert 'id="exchange-confirm"' not in text
    token = re.search(r'name="token" value="([^"]*)"', text)
    assert token is None  # nothing to confirm on the page; a forged confirm is refused:
    session_token = next(iter(staff.session["exchange_imports"]))
    for forged in ("", "x:y"):
        response = staff.post(
            url("exchange_import_confirm", "northwind"),
            {"token": session_token, "clean_run": forged},
        )
        assert response.status_code == 302
        assert "its dry run refused rows" in last_message(response)
    assert not Item.objects.filter(name__endswith="(renamed)").exists()
    assert not Item.objects.filter(mpn="ORPHAN-1").exists()


def test_a_confirm_of_another_uploads_signature_is_refused(staff, northwind):
    clean = confirm_fields(dry_run(staff, northwind, items_csv(northwind, renamed)))
    dry_run(staff, northwind, items_csv(northwind, renamed, extra=[{"product": "Nope"}]))
    refused_token = list(staff.session["exchange_imports"])[-1]
    response = staff.post(
        url("exchange_import_confirm", "northwind"),
        {"token": refused_token, "clean_run": clean["clean_run"]},
    )
    assert response.status_code == 302
    assert not Item.objects.filter(name__endswith="(renamed)").exists()


def test_a_file_problem_shows_as_a_form_error(staff, northwind):
    bad = SimpleUploadedFile("items.csv", b"mpn,colour\nA,red\n", content_type="text/csv")
    text = dry_run(staff, northwind, bad)
    assert 'class="errorlist nonfield"' in text
    assert "Sheet &#x27;items&#x27; lacks the column(s)" in text
    assert 'id="exchange-confirm"' not in text
    assert 'id="exchange-import-form"' in text
    assert list(upload_dir().iterdir()) == []  # nothing to confirm: nothing kept


def test_a_file_that_is_no_spreadsheet_is_a_form_error(staff, northwind):
    text = dry_run(staff, northwind, SimpleUploadedFile("notes.txt", b"hello"))
    assert "notes.txt is neither an XLSX workbook nor a CSV file." in text
    assert "exchange_imports" not in staff.session


def test_uploads_nobody_confirmed_are_swept_after_a_day(staff, northwind):
    dry_run(staff, northwind, items_csv(northwind, renamed))
    (waiting,) = upload_dir().iterdir()
    day_old = time.time() - KEEP_SECONDS - 1
    os.utime(waiting, (day_old, day_old))
    dry_run(staff, northwind, items_csv(northwind, renamed))
    assert waiting not in list(upload_dir().iterdir())
    assert len(list(upload_dir().iterdir())) == 1


def test_an_unexpected_error_during_a_run_ends_the_page_with_a_message(
    staff, northwind, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("exchange.admin_views.import_steps", broken)
    text = dry_run(staff, northwind, items_csv(northwind, renamed))
    assert "The import stopped on an unexpected error: nothing was written." in text
    assert text.rstrip().endswith("</html>")
    assert "boom" in caplog.text


def test_the_confirm_checks_the_rules_again_and_applies_nothing_if_a_row_fails_now(
    staff, northwind
):
    upload = items_csv(northwind, renamed)
    product_name = next(csv.DictReader(io.StringIO(upload.read().decode())))["product"]
    upload.seek(0)
    text = dry_run(staff, northwind, upload)
    Product.objects.filter(vendor=northwind, name=product_name).update(name="Gone meanwhile")
    response = staff.post(url("exchange_import_confirm", "northwind"), confirm_fields(text))
    applied = page_text(response)
    assert "refused: nothing was imported" in applied
    assert not Item.objects.filter(name__endswith="(renamed)").exists()


def test_the_exported_workbooks_import_back_unchanged(staff, northwind):
    files = [
        SimpleUploadedFile(
            f"northwind-{book}.xlsx",
            staff.get(url("exchange_export_book", "northwind", book)).content,
        )
        for book in ("catalog", "prices")
    ]
    text = dry_run(staff, northwind, *files)
    created, changed, unchanged, refused = [
        int(n) for n in re.findall(r"<td>(\d+)</td>", text.split("<tfoot>")[1].split("</tfoot>")[0])
    ]
    assert (created, changed, refused) == (0, 0, 0)
    assert unchanged > 100


# --- Who may ------------------------------------------------------------------------------

VENDOR_PAGES = [
    ("exchange_export", ()),
    ("exchange_export_book", ("catalog",)),
    ("exchange_export_sheet", ("items",)),
    ("exchange_import", ()),
]


@pytest.mark.parametrize(("username", "status"), [("fabrikam", 404), ("distributor", 403)])
def test_only_the_vendors_staff_and_superusers_export_and_import(
    client, northwind, username, status
):
    signed_in(client, username)
    for name, args in VENDOR_PAGES:
        assert client.get(url(name, "northwind", *args)).status_code == status, name
    upload = items_csv(northwind, renamed)
    assert client.post(url("exchange_import", "northwind"), {"files": [upload]}).status_code == (
        status
    )
    confirm = client.post(url("exchange_import_confirm", "northwind"), {"token": "t"})
    assert confirm.status_code == status
    assert not Item.objects.filter(name__endswith="(renamed)").exists()


def test_vendor_staff_go_to_their_vendor_and_a_superuser_picks_one(client, northwind):
    response = signed_in(client, "northwind").get(url("exchange_index"))
    assert response.url == url("exchange_export", "northwind")
    text = page_text(signed_in(client, "admin").get(url("exchange_index")))
    assert url("exchange_import", "fabrikam") in text
    assert signed_in(client, "admin").get(url("exchange_export", "fabrikam")).status_code == 200
    index = page_text(client.get(url("index")))
    assert url("exchange_index") in index


# --- The Vendor changelist's action -------------------------------------------------------


def test_the_vendor_action_downloads_the_vendors_workbooks(client, northwind):
    signed_in(client, "admin")
    fabrikam = Vendor.objects.get(slug="fabrikam")
    response = client.post(
        reverse("admin:catalog_vendor_changelist"),
        {"action": "export_catalog_and_prices", "_selected_action": [northwind.pk, fabrikam.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(bundle.namelist()) == [
        "fabrikam-catalog.xlsx",
        "fabrikam-prices.xlsx",
        "northwind-catalog.xlsx",
        "northwind-prices.xlsx",
    ]
    book = load_workbook(io.BytesIO(bundle.read("northwind-catalog.xlsx")), read_only=True)
    assert "items" in book.sheetnames


def test_vendor_staff_export_their_own_vendor_from_the_list(staff, northwind):
    response = staff.post(
        reverse("admin:catalog_vendor_changelist"),
        {"action": "export_catalog_and_prices", "_selected_action": [northwind.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="northwind.zip"'
