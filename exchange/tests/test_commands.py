"""``catalog_export`` and ``catalog_import`` on the demo data.

The export writes the workbooks and CSV sheets the import reads; the import is a dry run
that prints the report unless ``--confirm``, draws a progress bar on stderr, and fails (exit
1, nothing written) on a file it cannot read or any refused row.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from catalog.models import Product
from exchange.books import BOOKS, SHEETS
from exchange.importer import history_models

pytestmark = pytest.mark.django_db


def history_count() -> int:
    return sum(model.objects.count() for model in history_models())


def run(name: str, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export(tmp_path, *args) -> bytes:
    target = tmp_path / "out"
    run("catalog_export", "--vendor", "northwind", *args, "--out", str(target))
    return target.read_bytes()


@pytest.fixture
def products_csv(shared_demo, tmp_path):
    """The exported products sheet with Windows 10's description changed."""
    text = export(tmp_path, "--sheet", "products").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["name"] == "Windows 10":
            row["description"] = "Now with more windows."
    path = tmp_path / "products.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def description() -> str:
    return Product.objects.get(name="Windows 10").description


# catalog_export


@pytest.mark.parametrize("book", BOOKS)
def test_export_writes_a_book_as_a_workbook(shared_demo, tmp_path, book):
    content = export(tmp_path, "--book", book)
    sheets = load_workbook(io.BytesIO(content), read_only=True).sheetnames
    assert sheets == [sheet.title for sheet in BOOKS[book]]


def test_export_writes_a_sheet_as_csv_named_for_the_import(shared_demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, _err = run("catalog_export", "--vendor", "northwind", "--sheet", "item translations")
    path = tmp_path / "item_translations.csv"
    assert f"Wrote {path.name}" in out
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert header == SHEETS["item translations"].headers()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--vendor", "nobody", "--book", "catalog"], "No vendor 'nobody'. The vendors are:"),
        (["--vendor", "northwind", "--book", "everything"], "No book 'everything'."),
        (["--vendor", "northwind", "--sheet", "nothing"], "No sheet 'nothing'."),
    ],
)
def test_export_refuses_a_bad_vendor_book_or_sheet(shared_demo, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run("catalog_export", *args, "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_export_from_the_command_line_exits_non_zero_with_the_message(
    shared_demo, capsys, monkeypatch
):
    # A command run from the command line closes every connection when it ends: the test's
    # own (its transaction, on PostgreSQL) must stay open for the tests after it.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    argv = ["manage.py", "catalog_export", "--vendor", "nobody", "--book", "catalog"]
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(argv).execute()
    assert exit_.value.code == 1
    assert "No vendor 'nobody'" in capsys.readouterr().err


# catalog_import


def test_importing_the_export_is_a_dry_run_with_all_unchanged(shared_demo, tmp_path):
    catalog, prices = tmp_path / "catalog.xlsx", tmp_path / "prices.xlsx"
    catalog.write_bytes(export(tmp_path, "--book", "catalog"))
    prices.write_bytes(export(tmp_path, "--book", "prices"))
    before = history_count()
    out, _err = run("catalog_import", "--vendor", "northwind", str(catalog), str(prices))
    for title in SHEETS:
        assert f"\n{title}: 0 created, 0 changed, " in f"\n{out}"
    assert ", 0 refused" in out and "Dry run: nothing written." in out
    assert history_count() == before


def test_a_dry_run_prints_the_changed_rows_and_fields_and_writes_nothing(products_csv):
    before = history_count()
    out, _err = run("catalog_import", "--vendor", "northwind", str(products_csv))
    assert "products: 0 created, 1 changed," in out
    assert "Windows 10: changed (description)" in out
    assert description() != "Now with more windows."
    assert history_count() == before


def test_confirm_applies_with_the_user_and_file_in_the_history(products_csv):
    args = ["--vendor", "northwind", str(products_csv), "--confirm", "--user", "northwind"]
    out, _err = run("catalog_import", *args)
    assert "Imported." in out
    assert description() == "Now with more windows."
    last = Product.objects.get(name="Windows 10").history.latest("history_id")
    assert last.history_user.username == "northwind"
    assert last.history_change_reason == "import products.csv"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(products_csv):
    run("catalog_import", "--vendor", "northwind", str(products_csv), "--confirm")
    before = history_count()
    out, _err = run("catalog_import", "--vendor", "northwind", str(products_csv), "--confirm")
    assert "products: 0 created, 0 changed, " in out and ", 0 refused" in out
    assert history_count() == before


def test_the_import_draws_a_progress_bar_on_stderr(products_csv):
    _out, err = run("catalog_import", "--vendor", "northwind", str(products_csv))
    assert "\rproducts" in err and "[" + "#" * 30 + "]" in err


def refused_items(tmp_path):
    path = tmp_path / "items.csv"
    header = ",".join(SHEETS["items"].headers())
    row = "No Such Product,XX-1,Ghost,,subscription,monthly,none,seat,published,"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("confirm", [[], ["--confirm"]])
def test_a_refused_row_fails_with_its_reason_and_writes_nothing(products_csv, tmp_path, confirm):
    before = history_count()
    out = io.StringIO()
    args = ["--vendor", "northwind", str(products_csv), str(refused_items(tmp_path)), *confirm]
    with pytest.raises(CommandError, match=r"1 row\(s\) refused; nothing was imported"):
        call_command("catalog_import", *args, stdout=out, stderr=io.StringIO())
    assert "row 2 No Such Product / XX-1: refused: " in out.getvalue()
    assert description() != "Now with more windows."
    assert history_count() == before


def test_a_file_that_cannot_be_imported_fails_with_the_problem(shared_demo, tmp_path):
    path = tmp_path / "nonsense.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Unknown sheet 'nonsense'.* Nothing was imported"):
        run("catalog_import", "--vendor", "northwind", str(path), "--confirm")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--vendor", "nobody"], "No vendor 'nobody'"),
        (["--vendor", "northwind", "--user", "ghost"], "No user 'ghost'"),
        (["--vendor", "northwind", "--user", "fabrikam"], "'fabrikam' may not import"),
        (["--vendor", "northwind", "--user", "distributor"], "'distributor' may not import"),
    ],
)
def test_import_refuses_a_bad_vendor_or_user(products_csv, args, message):
    before = history_count()
    with pytest.raises(CommandError, match=message):
        run("catalog_import", *args, str(products_csv), "--confirm")
    assert history_count() == before


def test_import_refuses_a_missing_file(shared_demo, tmp_path):
    with pytest.raises(CommandError, match="No file"):
        run("catalog_import", "--vendor", "northwind", str(tmp_path / "gone.xlsx"))
