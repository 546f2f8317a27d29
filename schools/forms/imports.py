"""The CSV upload of pupils, and the confirmation that imports the checked file."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

IMPORT_MAX_BYTES = 2 * 1024 * 1024


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
        data = upload.read()
        if b"\x00" in data:  # a spreadsheet (.xlsx) renamed to .csv, or another binary file
            raise forms.ValidationError(
                gettext(
                    "The selected file must be a CSV: in your spreadsheet, choose Save as, then CSV"
                )
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    gettext(
                        "The selected file could not be read: save it as ‘CSV UTF-8’ and try again"
                    )
                ) from None
        if not text.strip():
            raise forms.ValidationError(gettext("The selected file is empty"))
        self.cleaned_data["text"] = text
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
