"""The staff side of advice requests, at /school/advice/: the inbox, and one request with
its thread, where editors reply, assign and close.

Reads come from schools.selectors.advice; every change goes through schools.services.advice,
whose SchoolError is shown beside the field it is about (or above the form).
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from schools.forms.advice import AssignForm, StaffReplyForm
from schools.models import AdviceRequest
from schools.selectors import advice as advice_selectors
from schools.services import SchoolError
from schools.services import advice as advice_services
from schools.views.access import SchoolStaffRequiredMixin

Status = AdviceRequest.Status


class InboxView(SchoolStaffRequiredMixin, ListView):
    """Every request to this Virtual School, by status. All staff can read it."""

    template_name = "schools/advice/inbox.html"
    context_object_name = "advice_requests"
    paginate_by = 50
    tabs = [
        (Status.OPEN, Status.OPEN.label),
        (Status.ANSWERED, Status.ANSWERED.label),
        (Status.CLOSED, Status.CLOSED.label),
        ("all", _("All")),
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
                name = advice.carer_name
                messages.success(
                    self.request,
                    gettext("Your reply has been sent. %(name)s will get an email about it.")
                    % {"name": name},
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
                    gettext("Assigned to %(name)s.")
                    % {"name": assignee.get_full_name() or assignee.email}
                    if assignee
                    else gettext("Nobody is assigned to this request now."),
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
                gettext(
                    "The request is closed. The carer can no longer reply to it, "
                    "but they can ask a new question."
                ),
            )
        return redirect("schools:advice_detail", pk=advice.pk)
