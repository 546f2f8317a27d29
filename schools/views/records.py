"""Pupils, termly reviews, liaison and the list of schools.

Every object is fetched through SchoolStaffRequiredMixin.scoped(), so another authority's
record is a 404. Views change nothing themselves: they call schools.services.records and put
its errors beside the right field.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from carers.models import Child
from core.pagination import paginate
from core.redirects import safe_next
from schools.filters import LiaisonFilter, PupilFilter
from schools.forms.records import LiaisonForm, LinkChildForm, PupilForm, ReviewForm, SchoolForm
from schools.models import KinshipPupil, LiaisonRecord, School, TermlyReview
from schools.selectors import records as record_selectors
from schools.services import SchoolError
from schools.services import audit as audit_services
from schools.services import records as record_services
from schools.views.access import (
    AuditedPageMixin,
    PupilObjectMixin,
    SchoolStaffRequiredMixin,
    ScopedObjectMixin,
)

PUPILS_PER_PAGE = 25
LIAISON_PER_PAGE = 25


# Pupils -------------------------------------------------------------------------------------


class PupilListView(SchoolStaffRequiredMixin, AuditedPageMixin, TemplateView):
    """Search, filters that combine, pagination; one query for the page whatever its size."""

    template_name = "schools/records/pupil_list.html"

    def audit_summary(self) -> str:
        query = self.request.GET.urlencode()
        return "Viewed the pupil list" + (f" ({query})" if query else "")

    def get_filterset(self) -> PupilFilter:
        base = record_selectors.pupils_with_latest_review(self.virtual_school)
        return PupilFilter(
            self.request.GET or None, queryset=base, virtual_school=self.virtual_school
        )

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        results = filterset.with_leavers(filterset.qs if filterset.is_bound else filterset.queryset)
        return super().get_context_data(
            filter=filterset,
            form=filterset.form,
            filtering=filterset.active,
            persistent_absence_at=record_selectors.PERSISTENT_ABSENCE_AT,
            **paginate(self.request, results, PUPILS_PER_PAGE),
            **kwargs,
        )


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
        messages.success(self.request, _("%(pupil)s added") % {"pupil": pupil})
        return pupil


class PupilUpdateView(
    SchoolStaffRequiredMixin, PupilObjectMixin, AuditedPageMixin, PupilFormMixin, FormView
):
    editor_only = True

    def audit_object(self):
        return self.object

    def audit_summary(self) -> str:
        return f"Opened {self.object}'s record to change it"

    def get_initial(self):
        return PupilForm.initial_for(self.object)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"pupil": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(pupil=self.object, **kwargs)

    def save(self, form):
        pupil = record_services.pupil_update(
            pupil=self.object, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("%(pupil)s's record updated") % {"pupil": pupil})
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


class PupilLinkChildView(SchoolStaffRequiredMixin, PupilObjectMixin, AuditedPageMixin, FormView):
    """Link the carer's record of the child: only children whose carer lives in this
    authority, has agreed to share, and who are not linked already."""

    editor_only = True

    def audit_object(self):
        return self.object

    def audit_summary(self) -> str:
        return f"Looked for the carer's record of {self.object}"

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
        messages.success(
            self.request, _("%(pupil)s is linked to the carer's record") % {"pupil": self.object}
        )
        return redirect("schools:pupil_detail", pk=self.object.pk)


# Termly reviews -----------------------------------------------------------------------------


class ReviewFormMixin(AuditedPageMixin):
    form_class = ReviewForm
    template_name = "schools/records/review_form.html"
    review = None

    def audit_object(self):
        return self.review or self.get_pupil()

    def audit_summary(self) -> str:
        if self.review is None:
            return f"Opened a new termly review for {self.get_pupil()}"
        return f"Opened the {self.review} review of {self.get_pupil()}"

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
        messages.success(self.request, _("Review saved") if self.review else _("Review added"))
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


class LiaisonListView(SchoolStaffRequiredMixin, AuditedPageMixin, TemplateView):
    template_name = "schools/records/liaison_list.html"

    def audit_summary(self) -> str:
        query = self.request.GET.urlencode()
        return "Viewed the liaison log" + (f" ({query})" if query else "")

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


class LiaisonFormMixin(AuditedPageMixin):
    form_class = LiaisonForm
    template_name = "schools/records/liaison_form.html"
    record = None

    def audit_object(self):
        return self.record

    def audit_summary(self) -> str:
        if self.record is None:
            return "Opened the form to log a contact"
        return f"Opened the liaison record of {self.record.contact_date:%d %B %Y} to change it"

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
        messages.success(self.request, _("Contact saved") if self.record else _("Contact logged"))
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


class LiaisonDoneView(SchoolStaffRequiredMixin, ScopedObjectMixin, AuditedPageMixin, TemplateView):
    """GET asks to confirm (the page works without JavaScript); POST marks the follow-up done."""

    editor_only = True
    template_name = "schools/records/liaison_done.html"

    def get_object(self):
        return self.get_scoped_or_404(
            LiaisonRecord.objects.select_related("school", "pupil"), pk=self.kwargs["pk"]
        )

    def audit_object(self):
        return self.object

    def audit_summary(self) -> str:
        return f"Opened the follow-up of {self.object.contact_date:%d %B %Y} to mark it done"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.object, next=safe_next(self.request, reverse("schools:liaison")), **kwargs
        )

    def post(self, request, *args, **kwargs):
        record_services.liaison_follow_up_done(record=self.object, actor=request.user)
        messages.success(request, _("Follow-up marked as done"))
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
                virtual_school=self.virtual_school,
                school=self.school,
                actor=self.request.user,
                **form.cleaned_data,
            )
        except SchoolError as error:  # the URN is on the list already
            form.add_error("urn", str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("%(school)s saved") % {"school": school})
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
