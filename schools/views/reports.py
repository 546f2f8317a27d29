"""Reports and exports: the pupil list and the authority's figures as CSV. Every export
is written to the audit log."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.spreadsheets import csv_response
from schools.filters import ReportFilter
from schools.models import KinshipPupil
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


class ReportFilterMixin(SchoolStaffRequiredMixin):
    """The reports' filters, read from the query string (schools.filters.ReportFilter)."""

    def get_filterset(self) -> ReportFilter:
        return ReportFilter(
            self.request.GET or None,
            queryset=KinshipPupil.objects.none(),
            virtual_school=self.virtual_school,
        )

    def get_report(self, filterset: ReportFilter) -> reports.AuthorityReport | None:
        """The figures the filters ask for; None while a filter is wrong (the page says which),
        so no figure is shown for something other than what was asked."""
        if filterset.is_bound and not filterset.form.is_valid():
            return None
        return reports.authority_report(self.virtual_school, scope=filterset.scope())


class ReportsView(ReportFilterMixin, TemplateView):
    """The authority's figures, counted by the database: a fixed number of queries, filtered
    or not."""

    template_name = "schools/records/reports.html"

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        report = self.get_report(filterset)
        figures = {}
        if report is not None:
            rate = report.persistent_absence_rate
            figures = {
                "persistent_absence_rate": reports.percent(rate) if rate is not None else None,
                "average_first_reply": reports.duration_words(report.average_first_reply),
                "median_first_reply": reports.duration_words(report.median_first_reply),
            }
        return super().get_context_data(
            report=report,
            form=filterset.form,
            filtering=filterset.active,
            **figures,
            **kwargs,
        )


class ReportsExportView(ReportFilterMixin, View):
    """The same figures as CSV, with the same filters: counts only, no pupil's details. The
    filters are the CSV's first rows and part of its name. Audited as an export, with them."""

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        report = self.get_report(filterset)
        if report is None:  # a wrong filter: the page puts its message beside the field
            return redirect(reverse("schools:reports") + "?" + request.GET.urlencode())
        rows = report.figures()
        scope = report.scope
        pupils_exported(
            virtual_school=self.virtual_school,
            actor=request.user,
            count=len(rows),
            what=f"authority report ({scope.describe()})" if scope.filtered else "authority report",
        )
        name = "-".join(filter(None, ["virtual-school-report", scope.file_words()]))
        filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(
            filename, [gettext("Section"), gettext("Measure"), gettext("Value")], rows
        )
