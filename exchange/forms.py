"""The admin's spreadsheet forms: the upload of an import, and the confirm of its dry run."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core import signing

ACCEPTED = (".xlsx", ".csv")
MAX_FILES = 20  # the two workbooks, or one CSV file per sheet (16 sheets)
CONFIRM_SALT = "exchange.import.confirm"
CONFIRM_MAX_AGE = 24 * 3600  # a dry run is confirmed the same day, or run again


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ACCEPTED)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(one, initial) for one in data]
        return [single(data, initial)] if data else single(data, initial)


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text=(
            "The catalog workbook and/or the prices workbook (.xlsx) as exported, or single "
            "sheets as CSV files named after the sheet (items.csv, item_translations.csv). "
            "Nothing is written until you confirm the dry run."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Upload at most {MAX_FILES} files at once.")
        names = [upload.name for upload in files]
        if len(set(names)) != len(names):
            raise forms.ValidationError("Two of the files have the same name.")
        limit = settings.EXCHANGE_MAX_FILE_BYTES
        for upload in files:
            if PurePath(upload.name).suffix.lower() not in ACCEPTED:
                raise forms.ValidationError(
                    f"{upload.name} is neither an XLSX workbook nor a CSV file."
                )
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is {upload.size / 1e6:.1f} MB; the limit is "
                    f"{limit / 1e6:.0f} MB. Split it, or import the sheets as CSV files."
                )
        return files


def confirm_signature(token: str, vendor_slug: str) -> str:
    """What a dry run without a refused row hands its Confirm button: only such a report can
    be confirmed."""
    return signing.dumps({"token": token, "vendor": vendor_slug}, salt=CONFIRM_SALT)


class ConfirmForm(forms.Form):
    """The Confirm button of a dry run's report: its import's token, and the dry run's word
    that no row was refused."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    clean_run = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, vendor_slug: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor_slug = vendor_slug

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get("token")
        try:
            signed = signing.loads(
                cleaned.get("clean_run") or "", salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE
            )
        except signing.BadSignature:
            signed = None
        if token and signed != {"token": token, "vendor": self.vendor_slug}:
            raise forms.ValidationError(
                "This import cannot be confirmed: its dry run refused rows or did not finish. "
                "Fix the file and upload it again.",
                code="not_clean",
            )
        return cleaned
