"""The CSV upload of pupils, and the confirmation that imports the checked file."""

import codecs

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

IMPORT_MAX_BYTES = 2 * 1024 * 1024


def _decoded(data: bytes) -> str:
    """The text of a CSV file as spreadsheets save it, or a ValidationError saying why not.

    UTF-16 with its byte order mark, little- or big-endian (Excel's "Unicode text", and what
    LibreOffice writes when asked for UTF-16); otherwise UTF-8, with or without a byte order
    mark; otherwise Windows-1252, what Excel on Windows writes as plain "CSV". UTF-16 without
    the mark is not guessed at: its NUL bytes make it look like any other binary file.
    """
    not_csv = forms.ValidationError(
        gettext("The selected file must be a CSV: in your spreadsheet, choose Save as, then CSV")
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]  # reads the mark, and drops it
    elif b"\x00" in data:  # a spreadsheet (.xlsx) renamed to .csv, or another binary file
        raise not_csv
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise not_csv
        return text
    raise forms.ValidationError(
        gettext("The selected file could not be read: save it as ‘CSV UTF-8’ and try again")
    )


class PupilImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("A spreadsheet saved as CSV (comma separated values), 2MB or smaller."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": _("Select a CSV file"),
            "empty": _("The selected file is empty"),
            "invalid": _("Select a CSV file"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(gettext("The selected file must be a CSV"))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(gettext("The selected file must be smaller than 2MB"))
        text = _decoded(upload.read())
        if not text.strip():
            raise forms.ValidationError(gettext("The selected file is empty"))
        self.cleaned_data["text"] = text
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
