"""Reports and exports: the pupil list and the authority's figures as CSV. Every export
is written to the audit log."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.spreadsheets import csv_response
from schools.selectors import reports
from schools.services.audit import pupils_exported
from schools.views.access import SchoolStaffRequiredMixin
from schools.views.records import PupilListView


class PupilExportView(PupilListView):
    """The pupil list (with the same filters) as CSV, for editors and heads. Audited."""

    editor_only = True
    http_method_names = ["get"]

    # Output only (the import reads its own column names), so in the page's language.
    HEADER = [
        _("First name"), _("Last name"), _("Date of birth"), _("UPN"), _("Year group"),
        _("Year group set by staff"), _("School"), _("School URN"), _("Arrangement"),
        _("Previously looked after"), _("SEND"), _("Social worker involved"),
        _("Latest attendance (%)"), _("Linked to carer's record"), _("Notes"),
    ]  # fmt: skip

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        pupils = list(filterset.qs if filterset.is_bound else filterset.queryset)
        rows = [
            [
                p.first_name,
                p.last_name,
                p.date_of_birth,
                p.upn,
                p.get_year_group_display(),
                bool(p.year_group_override),
                p.school.name if p.school else "",
                p.school.urn if p.school else "",
                p.get_arrangement_display(),
                p.previously_looked_after,
                p.get_send_status_display(),
                p.social_worker_involved,
                p.latest_review.attendance_percent if p.latest_review else None,
                p.child_id is not None,
                p.notes,
            ]
            for p in pupils
        ]
        pupils_exported(
            virtual_school=self.virtual_school,
            actor=request.user,
            count=len(rows),
            what="pupil list (filtered)" if filterset.active else "pupil list",
        )
        filename = f"kinship-pupils-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(filename, [str(heading) for heading in self.HEADER], rows)


class ReportsView(SchoolStaffRequiredMixin, TemplateView):
    """The authority's figures, counted by the database: a fixed number of queries."""

    template_name = "schools/records/reports.html"

    def get_context_data(self, **kwargs):
        report = reports.authority_report(self.virtual_school)
        rate = report.persistent_absence_rate
        return super().get_context_data(
            report=report,
            persistent_absence_rate=reports.percent(rate) if rate is not None else None,
            average_first_reply=reports.duration_words(report.average_first_reply),
            median_first_reply=reports.duration_words(report.median_first_reply),
            **kwargs,
        )


class ReportsExportView(SchoolStaffRequiredMixin, View):
    """The same figures as CSV: counts only, no pupil's details. Audited as an export."""

    def get(self, request, *args, **kwargs):
        report = reports.authority_report(self.virtual_school)
        rows = report.figures()
        pupils_exported(
            virtual_school=self.virtual_school,
            actor=request.user,
            count=len(rows),
            what="authority report",
        )
        filename = f"virtual-school-report-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(
            filename, [gettext("Section"), gettext("Measure"), gettext("Value")], rows
        )
