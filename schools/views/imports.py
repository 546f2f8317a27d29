"""Adding pupils from a spreadsheet: the upload, the preview of every row, the confirmation,
and the example file."""

import secrets

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from core.choices import Arrangement
from core.spreadsheets import csv_response
from schools.forms.imports import ImportConfirmForm, PupilImportForm
from schools.models import KinshipPupil
from schools.services import SchoolError
from schools.services import imports as import_services
from schools.views.access import SchoolStaffRequiredMixin

IMPORT_SESSION_KEY = "pupil_imports"


def example_csv() -> HttpResponse:
    rows = [
        ["Amara", "Okafor", "2015-03-27", "B801200005001", "", "sgo", "yes", "none", "no"],
        ["Kai", "Bennett", "12/11/2012", "", "", "Child arrangements order (or residence order)", "no",
         "sen_support", "yes"],
    ]  # fmt: skip
    return csv_response("kinship-pupils-example.csv", import_services.IMPORT_COLUMNS, rows)


def _codes(choices) -> str:
    """ "sgo (Special guardianship order); cao (...)": the codes, which the import reads
    whatever the language, each with its label in the page's language. (The import reads the
    English labels too: the Welsh help says so, without showing them.)"""
    return "; ".join(f"{code} ({label})" for code, label in choices)


def import_column_help() -> dict[str, str]:
    """What each column holds, in the page's language; the codes are what the import reads."""
    return {
        "first_name": gettext("Required."),
        "last_name": gettext("Required."),
        "date_of_birth": gettext("Required. Like 2015-03-27 or 27/03/2015."),
        "upn": gettext("Optional. The 13-character unique pupil number, like B801200005001."),
        "school_urn": gettext(
            "Optional. The 6-digit URN of a school already on your list of schools."
        ),
        "arrangement": gettext("Required. One of: %(choices)s. The words in brackets work too.")
        % {"choices": _codes(Arrangement.choices)},
        "previously_looked_after": gettext("yes or no (blank means no)."),
        "send_status": gettext("Optional. One of: %(choices)s. Blank means none.")
        % {"choices": _codes(KinshipPupil.Send.choices)},
        "social_worker_involved": gettext("yes or no (blank means no)."),
    }


class PupilImportView(SchoolStaffRequiredMixin, TemplateView):
    """Upload a CSV, see every row with its errors, then import all of it or nothing.

    The uploaded text waits in the session under a random token between the preview and the
    confirmation, so nobody can change it in the page on the way.
    """

    editor_only = True
    template_name = "schools/records/pupil_import.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("example") == "csv":
            return example_csv()
        return self.render_to_response(self.get_context_data(form=PupilImportForm()))

    def get_context_data(self, **kwargs):
        column_help = import_column_help()
        return super().get_context_data(
            columns=[(name, column_help.get(name, "")) for name in import_services.IMPORT_COLUMNS],
            max_rows=import_services.IMPORT_MAX_ROWS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        form = PupilImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        text = form.cleaned_data["text"]
        token = secrets.token_urlsafe(24)
        # Only the latest upload is kept, so the session never grows beyond one file.
        request.session[IMPORT_SESSION_KEY] = {token: text}
        return self.preview(text, token=token, filename=form.cleaned_data["file"].name)

    def preview(self, text: str, *, token: str, filename: str, error: str = ""):
        rows, file_errors = import_services.pupil_import_parse(
            virtual_school=self.virtual_school, text=text
        )
        rows_with_errors = sum(1 for row in rows if row.errors)
        ready = bool(rows) and not file_errors and not rows_with_errors and not error
        if not ready:
            self.request.session.pop(IMPORT_SESSION_KEY, None)
        if not rows and not file_errors:
            file_errors = [
                gettext(
                    "The file has no pupils in it: add one pupil on each row below the column names"
                )
            ]
        return self.render_to_response(
            self.get_context_data(
                form=PupilImportForm(),
                preview=True,
                rows=rows,
                file_errors=file_errors,
                rows_with_errors=rows_with_errors,
                ready=ready,
                error=error,
                filename=filename,
                confirm_form=ImportConfirmForm(initial={"token": token}) if ready else None,
            )
        )

    def confirm(self, request):
        form = ImportConfirmForm(request.POST)
        pending = request.session.get(IMPORT_SESSION_KEY) or {}
        text = pending.get(form.data.get("token", "")) if form.is_valid() else None
        if text is None:
            messages.info(
                request, gettext("Upload the file again: we could not find the file you checked.")
            )
            return redirect("schools:pupil_import")
        try:
            count = import_services.pupil_import(
                virtual_school=self.virtual_school, actor=request.user, text=text
            )
        except SchoolError as error:
            # Something changed since the preview (someone added one of these pupils, say).
            return self.preview(text, token="", filename="", error=str(error))
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.success(
            request,
            ngettext("%(count)s pupil imported", "%(count)s pupils imported", count)
            % {"count": count},
        )
        return redirect("schools:pupils")
