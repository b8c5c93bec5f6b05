"""An import: the uploaded files' sheets written in ``IMPORT_ORDER``, in one transaction.

The dry run and the confirm are the same run: every row goes through its sheet's service
calls and gets its verdict; then a dry run rolls everything back, and so does a confirm
with any refused row (all or nothing). A confirm of a clean file commits it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.apps import apps
from django.db import transaction
from django.db.models import Max

from catalog.concurrency import retry_on_conflict
from exchange.books import BOOKS, IMPORT_ORDER, SHEETS
from exchange.context import ImportContext
from exchange.outcomes import ImportReport
from exchange.reader import FileProblem, SheetSource, open_files

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column


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


@dataclass(frozen=True)
class Step:
    """How far an import has come: ``done`` of ``total`` rows of ``sheet``."""

    sheet: str
    done: int
    total: int | None


STEP_ROWS = 500  # a step every this many rows, and one at the end of each sheet


def import_steps(
    *, vendor, files: Sequence[tuple[str, BinaryIO]], by=None, dry_run: bool = True
) -> Generator[Step, None, ImportReport]:
    """``run_import`` a step at a time, for a page or a command that shows progress: it
    yields a ``Step`` as it goes and returns the report. The caller drives it to its end;
    closing it early rolls the import back. A FileProblem is raised before anything is
    written, or, for a cell met on the way (a formula), while rolling it all back."""
    sheets = open_files(files)
    check_sheets(sheets)
    names = tuple(name for name, _data in files)
    reason = f"import {', '.join(names)}"[:REASON_MAX_LENGTH]
    report = ImportReport(files=names, dry_run=dry_run)
    ctx = ImportContext(vendor=vendor, by=by, reason=reason)
    with transaction.atomic(durable=True):
        before = {
            model: model.objects.aggregate(last=Max("history_id"))["last"]
            for model in history_models()
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
                if done % STEP_ROWS == 0:
                    yield Step(source.title, done, source.total)
            yield Step(source.title, done, done)
        if dry_run or not report.ok:
            transaction.set_rollback(True)
        else:
            stamp_history(before, by, reason)
            report.applied = True
    return report


@retry_on_conflict
def run_import(
    *,
    vendor,
    files: Sequence[tuple[str, BinaryIO]],
    by=None,
    dry_run: bool = True,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ImportReport:
    """Import ``files`` (name, binary file) into ``vendor``'s catalog: see the module. The
    whole run is one service: its own transaction, run again after a deadlock.
    ``progress(sheet, done, total)`` is called at each step."""
    steps = import_steps(vendor=vendor, files=files, by=by, dry_run=dry_run)
    while True:
        try:
            step = next(steps)
        except StopIteration as stop:
            return stop.value
        if progress is not None:
            progress(step.sheet, step.done, step.total)
