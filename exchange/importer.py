"""An import: the uploaded files' sheets written in ``IMPORT_ORDER``, in one transaction.

The dry run and the confirm are the same run: every row goes through its sheet's service
calls and gets its verdict; then a dry run rolls everything back, and so does a confirm
with any refused row (all or nothing). A confirm of a clean file commits it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import BinaryIO

from django.apps import apps
from django.db import transaction
from django.db.models import Max

from catalog.concurrency import service
from exchange.books import BOOKS, IMPORT_ORDER, SHEETS
from exchange.context import ImportContext
from exchange.outcomes import ImportReport
from exchange.reader import FileProblem, SheetSource, open_files

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column

Progress = Callable[[str, int, int | None], None]


def check_sheets(sheets: dict[str, SheetSource]) -> None:
    """Refuse unknown sheets, a workbook missing some of its book's sheets, and columns
    missing from or added to a sheet."""
    unknown = [title for title in sheets if title not in SHEETS]
    if unknown:
        raise FileProblem(
            f"Unknown sheet {unknown[0]!r} in {sheets[unknown[0]].file_name}. The sheets are: "
            f"{', '.join(SHEETS)}."
        )
    for book, members in BOOKS.items():
        files = {sheets[s.title].file_name for s in members if s.title in sheets}
        for name in files:
            if not name.lower().endswith(".csv"):
                missing = [s.title for s in members if s.title not in sheets]
                if missing:
                    raise FileProblem(
                        f"{name} lacks the {book} workbook's sheet(s): {', '.join(missing)}."
                    )
    for title, source in sheets.items():
        expected = SHEETS[title].headers()
        missing = [name for name in expected if name not in source.headers]
        extra = [name for name in source.headers if name not in expected]
        if duplicates := {name for name in source.headers if source.headers.count(name) > 1}:
            raise FileProblem(f"Sheet {title!r} names column(s) twice: {', '.join(duplicates)}.")
        if missing:
            raise FileProblem(f"Sheet {title!r} lacks the column(s): {', '.join(missing)}.")
        if extra:
            raise FileProblem(
                f"Sheet {title!r} has column(s) the import does not know: "
                f"{', '.join(e or '(no name)' for e in extra)}. Remove them."
            )


def history_models():
    """simple-history's history models of the catalog and pricing."""
    return [
        model
        for app in ("catalog", "pricing")
        for model in apps.get_app_config(app).get_models()
        if any(field.name == "history_change_reason" for field in model._meta.fields)
    ]


def stamp_history(before: dict, by, reason: str) -> None:
    """Give every history row this import wrote (bulk writes included) its user and reason."""
    for model, last in before.items():
        rows = model.objects.filter(history_id__gt=last or 0)
        rows.filter(history_change_reason__isnull=True).update(history_change_reason=reason)
        rows.filter(history_change_reason="").update(history_change_reason=reason)
        if by is not None:
            rows.filter(history_user__isnull=True).update(history_user=by)


def run_import(
    *,
    vendor,
    files: Sequence[tuple[str, BinaryIO]],
    by=None,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``files`` (name, binary file) into ``vendor``'s catalog; see the module."""
    sheets = open_files(files)
    check_sheets(sheets)
    names = tuple(name for name, _data in files)
    reason = f"import {', '.join(names)}"[:REASON_MAX_LENGTH]
    return _run(vendor, sheets, by, reason, names, dry_run, progress)


@service
def _run(vendor, sheets, by, reason, names, dry_run, progress) -> ImportReport:
    report = ImportReport(files=names, dry_run=dry_run)
    ctx = ImportContext(vendor=vendor, by=by, reason=reason)
    before = {
        model: model.objects.aggregate(last=Max("history_id"))["last"] for model in history_models()
    }
    for sheet_class in IMPORT_ORDER:
        source = sheets.get(sheet_class.title)
        if source is None:
            continue
        report.sheet(source.title)
        done = 0
        for outcome in sheet_class().apply(ctx, source.rows()):
            report.add(outcome)
            done += 1
            if progress and done % 500 == 0:
                progress(source.title, done, source.total)
        if progress:
            progress(source.title, done, done)
    if dry_run or not report.ok:
        transaction.set_rollback(True)
    else:
        stamp_history(before, by, reason)
        report.applied = True
    return report
