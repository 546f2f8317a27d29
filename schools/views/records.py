"""Pupils, termly reviews, liaison, schools, reports and the audit log.

Every object is fetched through SchoolStaffRequiredMixin.scoped(), so another authority's
record is a 404. Views change nothing themselves: they call schools.services and put its
errors beside the right field.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from carers.models import Child
from core.choices import Arrangement
from core.pagination import paginate
from core.redirects import safe_next
from core.spreadsheets import csv_response
from schools.filters import LiaisonFilter, PupilFilter
from schools.forms.imports import ImportConfirmForm, PupilImportForm
from schools.forms.records import LiaisonForm, LinkChildForm, PupilForm, ReviewForm, SchoolForm
from schools.models import AuditEntry, KinshipPupil, LiaisonRecord, School, TermlyReview
from schools.selectors import records as record_selectors
from schools.selectors import reports
from schools.services import SchoolError
from schools.services import audit as audit_services
from schools.services import imports as import_services
from schools.services import records as record_services
from schools.views import SchoolStaffRequiredMixin

PUPILS_PER_PAGE = 25
LIAISON_PER_PAGE = 25
AUDIT_PER_PAGE = 50
IMPORT_SESSION_KEY = "pupil_imports"


class ScopedObjectMixin:
    """Load the page's object before the HTTP method is dispatched, so another authority's
    object is a 404 for every method. Put it after SchoolStaffRequiredMixin."""

    def get_object(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class PupilObjectMixin(ScopedObjectMixin):
    def get_object(self):
        return self.get_scoped_or_404(
            KinshipPupil.objects.select_related("school"), pk=self.kwargs["pk"]
        )


# Pupils -------------------------------------------------------------------------------------


class PupilListView(SchoolStaffRequiredMixin, TemplateView):
    """Search, filters that combine, pagination; one query for the page whatever its size."""

    template_name = "schools/records/pupil_list.html"

    def get_filterset(self) -> PupilFilter:
        base = record_selectors.pupils_with_latest_review(self.virtual_school)
        return PupilFilter(
            self.request.GET or None, queryset=base, virtual_school=self.virtual_school
        )

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        results = filterset.qs if filterset.is_bound else filterset.queryset
        return super().get_context_data(
            filter=filterset,
            form=filterset.form,
            filtering=filterset.active,
            persistent_absence_at=record_selectors.PERSISTENT_ABSENCE_AT,
            **paginate(self.request, results, PUPILS_PER_PAGE),
            **kwargs,
        )


class PupilExportView(PupilListView):
    """The pupil list (with the same filters) as CSV, for editors and heads. Audited."""

    editor_only = True
    http_method_names = ["get"]

    HEADER = [
        "First name", "Last name", "Date of birth", "UPN", "Year group", "Year group set by staff",
        "School", "School URN", "Arrangement", "Previously looked after", "SEND", "Social worker involved",
        "Latest attendance (%)", "Linked to carer's record", "Notes",
    ]  # fmt: skip

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        pupils = list(filterset.qs if filterset.is_bound else filterset.queryset)
        rows = [
            [
                p.first_name,
                p.last_name,
                p.date_of_birth.isoformat(),
                p.upn,
                p.get_year_group_display(),
                bool(p.year_group_override),
                p.school.name if p.school else "",
                p.school.urn if p.school else "",
                p.get_arrangement_display(),
                p.previously_looked_after,
                p.get_send_status_display(),
                p.social_worker_involved,
                p.latest_attendance,
                p.child_id is not None,
                p.notes,
            ]
            for p in pupils
        ]
        audit_services.pupils_exported(
            virtual_school=self.virtual_school,
            actor=request.user,
            count=len(rows),
            what="pupil list (filtered)" if filterset.active else "pupil list",
        )
        filename = f"kinship-pupils-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(filename, self.HEADER, rows)


class PupilFormMixin:
    form_class = PupilForm
    template_name = "schools/records/pupil_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"virtual_school": self.virtual_school}

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            pupil = self.save(form)
        except ValidationError as error:  # only validate_upn raises these
            form.add_error("upn", error)
            return self.form_invalid(form)
        except SchoolError as error:  # the same pupil is already recorded
            form.add_error("first_name", str(error))
            return self.form_invalid(form)
        return redirect("schools:pupil_detail", pk=pupil.pk)


class PupilCreateView(SchoolStaffRequiredMixin, PupilFormMixin, FormView):
    editor_only = True

    def save(self, form):
        pupil = record_services.pupil_create(
            virtual_school=self.virtual_school, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"{pupil} added")
        return pupil


class PupilUpdateView(SchoolStaffRequiredMixin, PupilObjectMixin, PupilFormMixin, FormView):
    editor_only = True

    def get_initial(self):
        return PupilForm.initial_for(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(pupil=self.object, **kwargs)

    def save(self, form):
        pupil = record_services.pupil_update(
            pupil=self.object, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"{pupil}'s record updated")
        return pupil


class PupilDetailView(SchoolStaffRequiredMixin, ScopedObjectMixin, TemplateView):
    """The whole record in a fixed number of queries. Every view is written to the audit log."""

    template_name = "schools/records/pupil_detail.html"

    def get_object(self):
        # pupil_for_page filters by this Virtual School and prefetches reviews and liaison.
        pupil = record_selectors.pupil_for_page(self.virtual_school, self.kwargs["pk"])
        if pupil is None:
            raise Http404
        # The same row as self.virtual_school: saves a query when the view is audited.
        pupil.virtual_school = self.virtual_school
        return pupil

    def get(self, request, *args, **kwargs):
        audit_services.pupil_viewed(pupil=self.object, actor=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pupil = self.object
        return super().get_context_data(
            pupil=pupil,
            reviews=pupil.reviews.all(),
            liaison_records=pupil.liaison_records.all(),
            **kwargs,
        )


class PupilLinkChildView(SchoolStaffRequiredMixin, PupilObjectMixin, FormView):
    """Link the carer's record of the child: only children whose carer lives in this
    authority, has agreed to share, and who are not linked already."""

    editor_only = True
    form_class = LinkChildForm
    template_name = "schools/records/pupil_link.html"

    def get_children(self):
        return (
            Child.objects.filter(
                carer__local_authority=self.virtual_school.local_authority,
                shares_with_virtual_school=True,
                pupil_record__isnull=True,
            )
            .select_related("carer__user")
            .order_by("first_name", "pk")
        )

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"children": self.get_children()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(pupil=self.object, **kwargs)

    def form_valid(self, form):
        try:
            record_services.pupil_link_child(
                pupil=self.object, child=form.cleaned_data["child"], actor=self.request.user
            )
        except SchoolError as error:
            form.add_error("child", str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.object} is linked to the carer's record")
        return redirect("schools:pupil_detail", pk=self.object.pk)


# Termly reviews -----------------------------------------------------------------------------


class ReviewFormMixin:
    form_class = ReviewForm
    template_name = "schools/records/review_form.html"
    review = None

    def get_pupil(self) -> KinshipPupil:
        raise NotImplementedError

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"review": self.review}

    def get_context_data(self, **kwargs):
        return super().get_context_data(pupil=self.get_pupil(), review=self.review, **kwargs)

    def form_valid(self, form):
        pupil = self.get_pupil()
        try:
            record_services.review_save(
                pupil=pupil, actor=self.request.user, review=self.review, **form.cleaned_data
            )
        except SchoolError as error:  # already a review for this term
            form.add_error("term", str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Review saved" if self.review else "Review added")
        return redirect(reverse("schools:pupil_detail", args=[pupil.pk]) + "#reviews")


class ReviewCreateView(SchoolStaffRequiredMixin, PupilObjectMixin, ReviewFormMixin, FormView):
    editor_only = True

    def get_pupil(self):
        return self.object

    def get_initial(self):
        year, term = record_selectors.current_term()
        return {"academic_year": year, "term": term}


class ReviewUpdateView(SchoolStaffRequiredMixin, ScopedObjectMixin, ReviewFormMixin, FormView):
    editor_only = True

    def get_object(self):
        pupils = self.scoped(KinshipPupil.objects.all())
        self.review = get_object_or_404(
            TermlyReview.objects.select_related("pupil__virtual_school").filter(pupil__in=pupils),
            pk=self.kwargs["pk"],
        )
        return self.review

    def get_pupil(self):
        return self.review.pupil

    def get_initial(self):
        return ReviewForm.initial_for(self.review)


# Liaison ------------------------------------------------------------------------------------


class LiaisonListView(SchoolStaffRequiredMixin, TemplateView):
    template_name = "schools/records/liaison_list.html"

    def get_context_data(self, **kwargs):
        base = self.scoped(
            LiaisonRecord.objects.select_related("school", "pupil", "created_by")
        ).order_by("-contact_date", "-pk")
        filterset = LiaisonFilter(
            self.request.GET or None, queryset=base, virtual_school=self.virtual_school
        )
        results = filterset.qs if filterset.is_bound else base
        return super().get_context_data(
            filter=filterset,
            form=filterset.form,
            filtering=filterset.active,
            today=timezone.localdate(),
            **paginate(self.request, results, LIAISON_PER_PAGE),
            **kwargs,
        )


class LiaisonFormMixin:
    form_class = LiaisonForm
    template_name = "schools/records/liaison_form.html"
    record = None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"virtual_school": self.virtual_school}

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form):
        try:
            record = record_services.liaison_save(
                virtual_school=self.virtual_school,
                actor=self.request.user,
                record=self.record,
                **form.cleaned_data,
            )
        except SchoolError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Contact saved" if self.record else "Contact logged")
        if record.pupil_id:
            return redirect(reverse("schools:pupil_detail", args=[record.pupil_id]) + "#liaison")
        return redirect("schools:liaison")


class LiaisonCreateView(SchoolStaffRequiredMixin, LiaisonFormMixin, FormView):
    editor_only = True

    def get_initial(self):
        initial = {"contact_date": timezone.localdate()}
        pupil_pk = self.request.GET.get("pupil", "")
        # ASCII digits only, and few enough for an id: "²" and "7" * 5000 pass isdigit() but
        # int() refuses them.
        if pupil_pk.isascii() and pupil_pk.isdigit() and len(pupil_pk) <= 18:
            pupil = self.scoped(KinshipPupil.objects.all()).filter(pk=pupil_pk).first()
            if pupil is not None:
                initial |= {"pupil": pupil.pk, "school": pupil.school_id}
        return initial


class LiaisonUpdateView(SchoolStaffRequiredMixin, ScopedObjectMixin, LiaisonFormMixin, FormView):
    editor_only = True

    def get_object(self):
        self.record = self.get_scoped_or_404(LiaisonRecord.objects.all(), pk=self.kwargs["pk"])
        return self.record

    def get_initial(self):
        return LiaisonForm.initial_for(self.record)


class LiaisonDoneView(SchoolStaffRequiredMixin, ScopedObjectMixin, TemplateView):
    """GET asks to confirm (the page works without JavaScript); POST marks the follow-up done."""

    editor_only = True
    template_name = "schools/records/liaison_done.html"

    def get_object(self):
        return self.get_scoped_or_404(
            LiaisonRecord.objects.select_related("school", "pupil"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.object, next=safe_next(self.request, reverse("schools:liaison")), **kwargs
        )

    def post(self, request, *args, **kwargs):
        record_services.liaison_follow_up_done(record=self.object, actor=request.user)
        messages.success(request, "Follow-up marked as done")
        return redirect(safe_next(request, reverse("schools:liaison")))


# Schools ------------------------------------------------------------------------------------


class SchoolListView(SchoolStaffRequiredMixin, TemplateView):
    template_name = "schools/records/school_list.html"

    def get_context_data(self, **kwargs):
        schools = self.scoped(
            School.objects.select_related("local_authority").annotate(pupil_count=Count("pupils"))
        ).order_by("name", "pk")
        return super().get_context_data(schools=schools, **kwargs)


class SchoolFormMixin:
    form_class = SchoolForm
    template_name = "schools/records/school_form.html"
    school = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(school=self.school, **kwargs)

    def form_valid(self, form):
        try:
            school = record_services.school_save(
                virtual_school=self.virtual_school, school=self.school, **form.cleaned_data
            )
        except SchoolError as error:  # the URN is on the list already
            form.add_error("urn", str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"{school} saved")
        return redirect("schools:schools")


class SchoolCreateView(SchoolStaffRequiredMixin, SchoolFormMixin, FormView):
    editor_only = True

    def get_initial(self):
        return {"local_authority": self.virtual_school.local_authority_id}


class SchoolUpdateView(SchoolStaffRequiredMixin, ScopedObjectMixin, SchoolFormMixin, FormView):
    editor_only = True

    def get_object(self):
        self.school = self.get_scoped_or_404(School.objects.all(), pk=self.kwargs["pk"])
        return self.school

    def get_initial(self):
        return SchoolForm.initial_for(self.school)


# CSV import ---------------------------------------------------------------------------------


def example_csv() -> HttpResponse:
    rows = [
        ["Amara", "Okafor", "2015-03-27", "", "", "sgo", "yes", "none", "no"],
        ["Kai", "Bennett", "12/11/2012", "", "", "Child arrangements order (or residence order)", "no",
         "sen_support", "yes"],
    ]  # fmt: skip
    return csv_response("kinship-pupils-example.csv", import_services.IMPORT_COLUMNS, rows)


IMPORT_COLUMN_HELP = {
    "first_name": "Required.",
    "last_name": "Required.",
    "date_of_birth": "Required. Like 2015-03-27 or 27/03/2015.",
    "upn": "Optional. The 13-character unique pupil number.",
    "school_urn": "Optional. The 6-digit URN of a school already on your list of schools.",
    "arrangement": "Required. One of: "
    + "; ".join(f"{code} ({label})" for code, label in Arrangement.choices)
    + ". The words in brackets work too.",
    "previously_looked_after": "yes or no (blank means no).",
    "send_status": "Optional. One of: "
    + "; ".join(f"{code} ({label})" for code, label in KinshipPupil.Send.choices)
    + ". Blank means none.",
    "social_worker_involved": "yes or no (blank means no).",
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
        return super().get_context_data(
            columns=[
                (name, IMPORT_COLUMN_HELP.get(name, "")) for name in import_services.IMPORT_COLUMNS
            ],
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
                "The file has no pupils in it: add one pupil on each row below the column names"
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
            messages.info(request, "Upload the file again: we could not find the file you checked.")
            return redirect("schools:pupil_import")
        try:
            count = import_services.pupil_import(
                virtual_school=self.virtual_school, actor=request.user, text=text
            )
        except SchoolError as error:
            # Something changed since the preview (someone added one of these pupils, say).
            return self.preview(text, token="", filename="", error=str(error))
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.success(request, f"{count} pupil{'' if count == 1 else 's'} imported")
        return redirect("schools:pupils")


# Reports and the audit log ------------------------------------------------------------------


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
        audit_services.pupils_exported(
            virtual_school=self.virtual_school,
            actor=request.user,
            count=len(rows),
            what="authority report",
        )
        filename = f"virtual-school-report-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(filename, ["Section", "Measure", "Value"], rows)


class AuditLogView(SchoolStaffRequiredMixin, TemplateView):
    """Who viewed, changed, exported or imported pupil records. Heads only; nothing to edit."""

    head_only = True
    template_name = "schools/records/audit_log.html"

    def get_context_data(self, **kwargs):
        entries = self.scoped(AuditEntry.objects.all()).order_by("-at", "-pk")
        return super().get_context_data(**paginate(self.request, entries, AUDIT_PER_PAGE), **kwargs)
