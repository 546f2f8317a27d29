"""Advice requests: carers ask their Virtual School at /advice/, staff answer at /school/advice/.

Views stay thin: reads come from schools.selectors.advice, and every change goes through
schools.services.advice, whose SchoolError is shown beside the field it is about (or above
the form).
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView, TemplateView

from carers.mixins import CarerRequiredMixin
from carers.models import Child
from schools.forms.advice import (
    AdviceRequestForm,
    AssignForm,
    CarerReplyForm,
    StaffReplyForm,
)
from schools.models import AdviceRequest
from schools.selectors import advice as advice_selectors
from schools.services import SchoolError
from schools.services import advice as advice_services
from schools.views import SchoolStaffRequiredMixin

REPLY_TIME = "usually within 5 working days"
Status = AdviceRequest.Status


def _virtual_school_of(profile):
    """The carer's Virtual School, or None if their council's is not on the portal yet."""
    return getattr(profile.local_authority, "virtual_school", None)


# Carers -----------------------------------------------------------------------------------


class CarerRequestListView(CarerRequiredMixin, TemplateView):
    template_name = "advice/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            advice_requests=advice_selectors.advice_for_carer(self.request.user),
            virtual_school=_virtual_school_of(self.profile),
            local_authority=self.profile.local_authority,
            reply_time=REPLY_TIME,
            **kwargs,
        )


class CarerRequestCreateView(CarerRequiredMixin, FormView):
    template_name = "advice/new.html"
    form_class = AdviceRequestForm

    def load_objects(self, **kwargs) -> None:
        self.virtual_school = _virtual_school_of(self.profile)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "children": Child.objects.filter(carer=self.profile)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            virtual_school=self.virtual_school,
            local_authority=self.profile.local_authority,
            reply_time=REPLY_TIME,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.virtual_school is None:
            # No Virtual School to ask: the page says so, and there is no form to send.
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            advice = advice_services.advice_request_create(
                carer=self.request.user,
                topic=data["topic"],
                message=data["message"],
                child=data.get("child"),
                may_contact_school=data.get("may_contact_school", False),
            )
        except SchoolError as error:
            # The service's only child-related refusal is about whose child it is.
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Your question has been sent to {advice.virtual_school.name}. They will reply "
            f"{REPLY_TIME}. We will email you when they do.",
        )
        return redirect("advice:detail", pk=advice.pk)


class CarerRequestView(CarerRequiredMixin, FormView):
    """One of the carer's own requests and its thread. Anyone else's is a 404."""

    template_name = "advice/detail.html"
    form_class = CarerReplyForm

    def load_objects(self, **kwargs) -> None:
        self.advice = get_object_or_404(
            advice_selectors.advice_for_carer(self.request.user), pk=kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            advice=self.advice,
            thread=advice_selectors.advice_thread(self.advice),
            reply_time=REPLY_TIME,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            advice_services.advice_reply(
                request=self.advice, author=self.request.user, body=form.cleaned_data["body"]
            )
        except SchoolError as error:
            form.add_error("body", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Your reply has been sent to {self.advice.virtual_school.name}. "
            "We will email you when they reply.",
        )
        return redirect("advice:detail", pk=self.advice.pk)


# Virtual School staff ---------------------------------------------------------------------


class InboxView(SchoolStaffRequiredMixin, ListView):
    """Every request to this Virtual School, by status. All staff can read it."""

    template_name = "schools/advice/inbox.html"
    context_object_name = "advice_requests"
    paginate_by = 50
    tabs = [
        (Status.OPEN, Status.OPEN.label),
        (Status.ANSWERED, Status.ANSWERED.label),
        (Status.CLOSED, Status.CLOSED.label),
        ("all", "All"),
    ]

    def get_status(self) -> str:
        wanted = self.request.GET.get("status", Status.OPEN)
        return wanted if wanted in dict(self.tabs) else Status.OPEN

    def get_queryset(self):
        return advice_selectors.advice_inbox(self.virtual_school, self.get_status())

    def get_context_data(self, **kwargs):
        counts = advice_selectors.advice_inbox_counts(self.virtual_school)
        status = self.get_status()
        return super().get_context_data(
            status=status,
            status_label=dict(self.tabs)[status],
            tabs=[
                {"value": value, "label": label, "count": counts[value], "active": value == status}
                for value, label in self.tabs
            ],
            **kwargs,
        )


class StaffRequestView(SchoolStaffRequiredMixin, TemplateView):
    """A request with its thread. Every member of staff can read it; only editors act on it.

    Replying, assigning and closing are separate POSTs to this URL, told apart by `action`.
    """

    template_name = "schools/advice/detail.html"
    actions = ("reply", "assign", "close")

    def dispatch(self, request, *args, **kwargs):
        # Read-only staff may look, but any change is a 403 (checked by the mixin).
        self.editor_only = request.method not in ("GET", "HEAD", "OPTIONS")
        return super().dispatch(request, *args, **kwargs)

    def get_advice(self) -> AdviceRequest:
        return get_object_or_404(
            advice_selectors.advice_for_staff(self.virtual_school), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        advice = kwargs.pop("advice", None) or self.get_advice()
        reply_form = kwargs.pop("reply_form", None) or StaffReplyForm()
        assign_form = kwargs.pop("assign_form", None) or AssignForm(
            virtual_school=self.virtual_school, initial={"assignee": advice.assigned_to_id}
        )
        return super().get_context_data(
            advice=advice,
            thread=advice_selectors.advice_thread(advice),
            reply_form=reply_form,
            assign_form=assign_form,
            # `form` is the one with errors, if any, so the page title starts "Error:".
            form=next((f for f in (reply_form, assign_form) if f.errors), None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        advice = self.get_advice()
        action = request.POST.get("action")
        if action not in self.actions:
            raise BadRequest("Unknown action")
        return getattr(self, f"post_{action}")(advice)

    def _invalid(self, advice, **forms):
        return self.render_to_response(self.get_context_data(advice=advice, **forms))

    def post_reply(self, advice):
        form = StaffReplyForm(self.request.POST)
        if form.is_valid():
            try:
                advice_services.advice_reply(
                    request=advice, author=self.request.user, body=form.cleaned_data["body"]
                )
            except SchoolError as error:
                form.add_error("body", str(error))
            else:
                name = advice.carer.get_full_name() or advice.carer.email
                messages.success(
                    self.request, f"Your reply has been sent. {name} will get an email about it."
                )
                return redirect("schools:advice_detail", pk=advice.pk)
        return self._invalid(advice, reply_form=form)

    def post_assign(self, advice):
        form = AssignForm(self.request.POST, virtual_school=self.virtual_school)
        if form.is_valid():
            assignee = form.cleaned_data["assignee"]
            try:
                advice_services.advice_assign(request=advice, assignee=assignee)
            except SchoolError as error:
                form.add_error("assignee", str(error))
            else:
                messages.success(
                    self.request,
                    f"Assigned to {assignee.get_full_name() or assignee.email}."
                    if assignee
                    else "Nobody is assigned to this request now.",
                )
                return redirect("schools:advice_detail", pk=advice.pk)
        return self._invalid(advice, assign_form=form)

    def post_close(self, advice):
        try:
            advice_services.advice_close(request=advice)
        except SchoolError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request,
                "The request is closed. The carer can no longer reply to it, "
                "but they can ask a new question.",
            )
        return redirect("schools:advice_detail", pk=advice.pk)
