"""The admin's spreadsheet pages: export a vendor's workbooks or a sheet as CSV, and import
them with a dry run first, then a confirm of the same bytes.

Who may: ``exchange.access.vendor_for`` (the vendor's staff, superusers; 404 for anyone
else; a signed-in user without admin access is refused 403 by the admin site's wrapper).
The uploaded files stay on the server between the dry run and the confirm, in
``EXCHANGE_UPLOAD_DIR`` (a temporary folder by default; unconfirmed ones are swept after a
day), named in the session under a random token per import; the confirm re-runs
````import_steps`` with ``dry_run=False`` on those bytes, so every rule is checked again when it is
applied. A dry run or a confirm streams its page: a ``<progress>`` bar per sheet while the
rows go through, then the report.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import tempfile
import time
import zipfile
from contextlib import ExitStack, suppress
from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from catalog.models import Vendor
from catalog.querysets import vendor_of
from exchange.access import vendor_for
from exchange.books import BOOKS, SHEETS
from exchange.export import file_name, sheet_csv, workbook
from exchange.forms import ConfirmForm, ImportForm, confirm_signature
from exchange.importer import import_steps
from exchange.outcomes import RESULTS, UNCHANGED, ImportReport
from exchange.reader import FileProblem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "exchange_imports"
KEPT_IMPORTS = 5  # uploads a session keeps waiting for their confirm; older ones are removed
KEEP_SECONDS = 24 * 3600  # an upload nobody confirmed is removed after a day
KEPT_NAME = re.compile(r"[A-Za-z0-9_-]+-\d+\.upload")
MARKER = "<!--exchange-run-->"
UNEXPECTED = (
    '<p class="errornote" id="exchange-verdict">The import stopped on an unexpected error: '
    "nothing was written. The error is logged for the site's administrators.</p>"
)

logger = logging.getLogger(__name__)


def sheet_slug(title: str) -> str:
    """A sheet's title as its CSV file is named: "item translations" -> "item_translations"."""
    return title.replace(" ", "_")


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def page_context(site, request, title: str, vendor=None, **extra) -> dict:
    return {**site.each_context(request), "title": title, "vendor": vendor, **extra}


# --- Pages ------------------------------------------------------------------------------


def index(site, request):
    """Vendor staff go to their vendor's page; a superuser picks the vendor."""
    if (own := vendor_of(request.user)) is not None:
        vendor = vendor_for(request.user, own.slug)
        return HttpResponseRedirect(reverse("admin:exchange_export", args=[vendor.slug]))
    if not request.user.is_superuser:
        raise Http404("No vendor whose spreadsheets you may exchange.")
    vendors = Vendor.objects.visible_to(request.user).order_by("name")
    context = page_context(site, request, "Spreadsheets: pick a vendor", vendors=vendors)
    return render(request, "exchange/index.html", context)


def export_page(site, request, slug):
    vendor = vendor_for(request.user, slug)
    books = [
        {
            "name": book,
            "file": file_name(vendor, book),
            "sheets": [
                {
                    "title": s.title,
                    "file": f"{sheet_slug(s.title)}.csv",
                    "slug": sheet_slug(s.title),
                }
                for s in sheets
            ],
        }
        for book, sheets in BOOKS.items()
    ]
    context = page_context(
        site, request, f"Export {vendor.name}'s spreadsheets", vendor, books=books
    )
    return render(request, "exchange/export.html", context)


def export_book(site, request, slug, book):
    vendor = vendor_for(request.user, slug)
    if book not in BOOKS:
        raise Http404("No such workbook.")
    return attachment(workbook(vendor, book), file_name(vendor, book), XLSX)


def export_sheet(site, request, slug, sheet):
    vendor = vendor_for(request.user, slug)
    title = sheet.replace("_", " ")
    if title not in SHEETS:
        raise Http404("No such sheet.")
    name = f"{vendor.slug}-{sheet_slug(title)}.csv"
    return attachment(sheet_csv(vendor, title), name, "text/csv; charset=utf-8")


def import_page(site, request, slug):
    """The upload form; a posted upload is kept and dry-run, its report streamed."""
    vendor = vendor_for(request.user, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = keep_upload(request, vendor, form.cleaned_data["files"])
        return run_page(site, request, vendor, token, dry_run=True)
    return render(request, "exchange/import.html", import_context(site, request, vendor, form))


def import_confirm(site, request, slug):
    """Apply a dry run's upload: refused unless that dry run refused no row."""
    vendor = vendor_for(request.user, slug)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("admin:exchange_import", args=[vendor.slug]))
    form = ConfirmForm(request.POST, vendor_slug=vendor.slug)
    kept = form.is_valid() and kept_upload(request, vendor, form.cleaned_data["token"])
    if not form.is_valid() or not kept:
        problem = (
            " ".join(form.non_field_errors())
            if form.errors
            else "This upload is no longer kept; upload the files again."
        )
        messages.error(request, f"Nothing was imported. {problem}")
        return HttpResponseRedirect(reverse("admin:exchange_import", args=[vendor.slug]))
    return run_page(site, request, vendor, form.cleaned_data["token"], dry_run=False)


def import_context(site, request, vendor, form, problem: str = "") -> dict:
    """The upload form's page; ``problem`` is a FileProblem the run met, shown as its error."""
    title = f"Import {vendor.name}'s spreadsheets"
    return page_context(site, request, title, vendor, form=form, problem=problem)


# --- The uploads kept between the dry run and the confirm -------------------------------


def upload_dir() -> Path:
    """Where uploads wait for their confirm: ``EXCHANGE_UPLOAD_DIR``, by default a folder of
    the system's temporary directory."""
    configured = settings.EXCHANGE_UPLOAD_DIR
    return Path(configured or Path(tempfile.gettempdir()) / "catalog-exchange-uploads")


def sweep(folder: Path) -> None:
    """Remove the uploads nobody confirmed within ``KEEP_SECONDS``."""
    expired = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        with suppress(OSError):
            if path.stat().st_mtime < expired:
                path.unlink()


def keep_upload(request, vendor, uploads) -> str:
    """Store the uploaded files server-side, a chunk at a time, and name them in the session
    under a new random token."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    sweep(folder)
    token = secrets.token_urlsafe(24)
    files = []
    for number, upload in enumerate(uploads):
        kept_as = f"{token}-{number}.upload"
        with (folder / kept_as).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        files.append([upload.name, kept_as])
    kept = dict(request.session.get(SESSION_KEY, {}))
    while len(kept) >= KEPT_IMPORTS:
        forget(kept.pop(next(iter(kept))))
    kept[token] = {"vendor": vendor.slug, "files": files}
    request.session[SESSION_KEY] = kept
    return token


def kept_path(kept_as: str) -> Path | None:
    if not KEPT_NAME.fullmatch(kept_as or ""):  # a name this module gave, in its folder only
        return None
    return upload_dir() / kept_as


def kept_upload(request, vendor, token: str) -> list[tuple[str, Path]] | None:
    """The (name, path) of the files kept under ``token`` for ``vendor``, or None."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("vendor") != vendor.slug:
        return None
    files = []
    for name, kept_as in entry["files"]:
        path = kept_path(kept_as)
        if path is None or not path.is_file():
            return None
        files.append((name, path))
    return files


def forget(entry: dict) -> None:
    for _name, kept_as in entry.get("files", ()):
        if (path := kept_path(kept_as)) is not None:
            path.unlink(missing_ok=True)


# --- A run, streamed --------------------------------------------------------------------


def run_page(site, request, vendor, token: str, *, dry_run: bool):
    """The page of a dry run or a confirm: its head at once, a progress bar per update of
    the importer, then the report (or the file's problem as the form's error)."""
    files = kept_upload(request, vendor, token)
    get_token(request)  # the report's Confirm form needs the CSRF cookie set now
    title = f"{'Dry run' if dry_run else 'Import'} into {vendor.name}"
    names = ", ".join(name for name, _path in files)
    context = page_context(site, request, title, vendor, marker=MARKER, names=names)
    head, tail = render_to_string("exchange/run.html", context, request).split(MARKER)

    def page():
        yield head
        try:
            outcome = yield from run_steps(request, vendor, files, dry_run)
        except Exception:  # the page has begun: say so on it rather than cut it off
            logger.exception("Import into %s failed", vendor.slug)
            yield UNEXPECTED
            yield tail
            return
        confirmable = isinstance(outcome, ImportReport) and outcome.dry_run and outcome.ok
        if not confirmable:  # applied, refused or unreadable: the kept files have served
            forget({"files": [[name, path.name] for name, path in files]})
        if isinstance(outcome, FileProblem):
            context = import_context(site, request, vendor, ImportForm(), problem=str(outcome))
            yield render_to_string("exchange/_import_form.html", context, request)
        else:
            yield render_to_string(
                "exchange/_report.html", report_context(vendor, token, outcome), request
            )
        yield tail

    response = StreamingHttpResponse(page(), content_type="text/html; charset=utf-8")
    response["X-Accel-Buffering"] = "no"  # a proxy passes the progress on as it comes
    response["Cache-Control"] = "no-store"
    return response


def run_steps(request, vendor, files, dry_run):
    """The import, a progress bar per step as it goes; returns the report, or the
    FileProblem that stopped it (nothing written)."""
    with ExitStack() as stack:
        opened = [(name, stack.enter_context(path.open("rb"))) for name, path in files]
        try:
            steps = import_steps(vendor=vendor, files=opened, by=request.user, dry_run=dry_run)
            while True:
                try:
                    step = next(steps)
                except StopIteration as stop:
                    return stop.value
                yield progress_bar(step.sheet, step.done, step.total)
        except FileProblem as problem:
            return problem


def progress_bar(sheet: str, done: int, total: int | None) -> str:
    total = max(total or 0, done)
    return render_to_string(
        "exchange/_progress.html", {"sheet": sheet, "done": done, "total": total}
    )


def report_context(vendor, token, report) -> dict:
    """The report's counts per sheet, and the rows that would change something or are
    refused; unchanged rows are only counted (a file exported and edited in one cell
    lists that one row)."""
    sheets = []
    for sheet in report.sheets.values():
        rows = [row for row in sheet.rows if row.result != UNCHANGED]
        listed = sheet.total - sheet.counts.get(UNCHANGED, 0)
        sheets.append(
            {
                "name": sheet.name,
                "counts": [sheet.counts.get(result, 0) for result in RESULTS],
                "total": listed,
                "rows": rows,
                "shown": len(rows),
                "unchanged": sheet.counts.get(UNCHANGED, 0),
            }
        )
    counts = report.counts
    return {
        "vendor": vendor,
        "report": report,
        "results": RESULTS,
        "sheets": sheets,
        "totals": [counts.get(result, 0) for result in RESULTS],
        "confirm": (
            ConfirmForm(
                initial={"token": token, "clean_run": confirm_signature(token, vendor.slug)},
                vendor_slug=vendor.slug,
            )
            if report.dry_run and report.ok
            else None
        ),
    }


# --- The Vendor changelist's action -----------------------------------------------------


@admin.action(description="Export catalog and prices")
def export_catalog_and_prices(modeladmin, request, queryset):
    """A zip of the selected vendors' two workbooks (``<slug>-catalog.xlsx`` and
    ``<slug>-prices.xlsx`` each), whether one vendor is selected or several."""
    vendors = [vendor_for(request.user, vendor.slug) for vendor in queryset.order_by("slug")]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for vendor in vendors:
            for book in BOOKS:
                bundle.writestr(file_name(vendor, book), workbook(vendor, book))
    name = f"{vendors[0].slug}.zip" if len(vendors) == 1 else "vendors.zip"
    return attachment(archive.getvalue(), name, "application/zip")
