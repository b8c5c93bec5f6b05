"""The spreadsheet endpoints of the API: a vendor's workbooks and CSV sheets out, files in.

- ``GET  /api/v1/vendors/{slug}/export/{book}.xlsx`` the catalog or prices workbook;
- ``GET  /api/v1/vendors/{slug}/export/{sheet}.csv`` one sheet (``items.csv``,
  ``item_translations.csv``: the name the import reads the sheet's title from);
- ``POST /api/v1/vendors/{slug}/import/?dry_run=true`` multipart ``files``: the report of
  what the import would do (the default), or with ``dry_run=false`` of what it did.

Who may: ``exchange.access.vendor_for`` (the vendor's own staff and superusers); anyone
else is told the vendor does not exist (404), an anonymous caller to authenticate (401).
The import writes through ``exchange.importer.run_import`` (the services, one transaction):
a refused row or a file that cannot be read is a 400 in the API's error shape, and nothing
is written.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.api.schema import ErrorSerializer
from exchange.access import vendor_for
from exchange.books import BOOKS, SHEETS
from exchange.export import file_name, sheet_csv, workbook
from exchange.importer import run_import
from exchange.outcomes import REFUSED, RESULTS
from exchange.reader import FileProblem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
BOOK_NAMES = tuple(BOOKS)
SHEET_NAMES = tuple(title.replace(" ", "_") for title in SHEETS)


def csv_name(title: str) -> str:
    """A sheet's CSV file name, which the import reads its title back from."""
    return f"{title.replace(' ', '_')}.csv"


def sheet_title(name: str) -> str | None:
    title = name.replace("_", " ")
    return title if title in SHEETS else None


def download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ExchangePermission(permissions.BasePermission):
    """An active, authenticated caller; which vendor it may exchange for is ``vendor_for``."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class ExchangeView(ThrottledFirstMixin, APIView):
    """Answers JSON whatever the ``Accept`` header (a file is a plain HttpResponse), so an
    error is always the API's error shape; throttled before authentication is judged."""

    permission_classes = [ExchangePermission]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type


SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The vendor's slug."
)
FILE_ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="No such vendor visible to the caller."),
}


class WorkbookExportView(ExchangeView):
    @extend_schema(
        operation_id="vendors_export_workbook",
        tags=["exchange"],
        parameters=[
            SLUG,
            OpenApiParameter(
                "book",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=BOOK_NAMES,
                description="catalog: products, items, offers, plans, features, listings; "
                "prices: offerings, their items, rates and prices.",
            ),
        ],
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The XLSX workbook."),
            **FILE_ERRORS,
        },
    )
    def get(self, request, slug: str, book: str):
        """A vendor's catalog or prices as an XLSX workbook, a sheet per kind of row; the
        same file imports back unchanged (``POST import/``)."""
        vendor = vendor_for(request.user, slug)
        if book not in BOOKS:
            raise NotFound(f"No workbook {book!r}; the workbooks are: {', '.join(BOOKS)}.")
        return download(workbook(vendor, book), XLSX, file_name(vendor, book))


class SheetExportView(ExchangeView):
    @extend_schema(
        operation_id="vendors_export_sheet",
        tags=["exchange"],
        parameters=[
            SLUG,
            OpenApiParameter(
                "sheet",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=SHEET_NAMES,
                description="The sheet's title, spaces as underscores.",
            ),
        ],
        responses={
            (200, CSV): OpenApiResponse(
                OpenApiTypes.BINARY, description="The sheet as CSV (UTF-8 with a byte-order mark)."
            ),
            **FILE_ERRORS,
        },
    )
    def get(self, request, slug: str, sheet: str):
        """One sheet of a vendor's workbooks as CSV; its file name names the sheet, so the
        file imports back as it is."""
        vendor = vendor_for(request.user, slug)
        title = sheet_title(sheet)
        if title is None:
            raise NotFound(f"No sheet {sheet!r}; the sheets are: {', '.join(SHEET_NAMES)}.")
        return download(sheet_csv(vendor, title), f"{CSV}; charset=utf-8", csv_name(title))


class CountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()


class RowOutcomeSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(help_text="The row's number in the sheet (the header is 1).")
    key = serializers.CharField(help_text="The row's natural key, e.g. 'Shirt / SHIRT-RED-M'.")
    result = serializers.ChoiceField(choices=RESULTS)
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="The fields a changed row changes."
    )
    reason = serializers.CharField(help_text="Why the row is refused (else empty).")


class SheetReportSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    counts = CountsSerializer()
    rows = RowOutcomeSerializer(
        many=True, help_text="The rows, up to 500 per result (the counts count them all)."
    )


class ImportReportSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField(help_text="True when the import was written.")
    counts = CountsSerializer()
    sheets = SheetReportSerializer(many=True)

    class Meta:
        ref_name = "ImportReport"


class ImportRefusedSerializer(ErrorSerializer):
    report = ImportReportSerializer(
        required=False, help_text="The refused import's report (code IMPORT_REFUSED)."
    )

    class Meta:
        ref_name = "ImportError"


class ImportUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        allow_empty=False,
        help_text="XLSX workbooks (catalog, prices) or CSV files named by their sheet "
        "(items.csv); repeat the field for each file.",
    )


class ImportQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=True)


def refused_errors(report) -> dict[str, list[str]]:
    """The refused rows by sheet, as the ``errors`` of the error shape."""
    errors: dict[str, list[str]] = {}
    for sheet in report.sheets.values():
        for row in sheet.rows:
            if row.result == REFUSED:
                errors.setdefault(sheet.name, []).append(f"row {row.row} ({row.key}): {row.reason}")
    return errors


class ImportView(ExchangeView):
    parser_classes = [MultiPartParser]
    throttle_scope = "writes"

    @extend_schema(
        operation_id="vendors_import",
        tags=["exchange"],
        parameters=[
            SLUG,
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                default=True,
                description="true (the default): report what the import would do and write "
                "nothing; false: write it, all or nothing.",
            ),
        ],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportReportSerializer,
            400: OpenApiResponse(
                ImportRefusedSerializer,
                description="A file cannot be imported (FILE_PROBLEM), or a row is refused "
                "(IMPORT_REFUSED, with the report): nothing is written.",
            ),
            **FILE_ERRORS,
        },
    )
    def post(self, request, slug: str):
        """Import spreadsheets into a vendor's catalog and prices, matching rows by their
        natural keys; a dry run by default. Each row is created, changed (which fields),
        unchanged or refused (why); a refused row stops the whole import."""
        vendor = vendor_for(request.user, slug)
        query = ImportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        files = [(f.name, f) for f in upload.validated_data["files"]]
        dry_run = query.validated_data["dry_run"]
        try:
            report = run_import(vendor=vendor, files=files, by=request.user, dry_run=dry_run)
        except FileProblem as problem:
            body = {"code": "FILE_PROBLEM", "detail": str(problem), "errors": {}}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        if not dry_run and not report.ok:
            body = {
                "code": "IMPORT_REFUSED",
                "detail": f"{report.refused} row(s) refused; nothing was imported.",
                "errors": refused_errors(report),
                "report": report.as_dict(),
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(report.as_dict())
