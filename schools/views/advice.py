"""The staff side of advice requests, at /school/advice/: the inbox, and one request with
its thread, where editors reply, assign and close, and add the child as a kinship pupil or
link the request to their existing record.

Reads come from schools.selectors.advice; every change goes through schools.services.advice,
whose SchoolError is shown beside the field it is about (or above the form).
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView

from schools.forms.advice import AssignForm, LinkPupilForm, PupilSearchForm, StaffReplyForm
from schools.models import AdviceRequest
from schools.selectors import advice as advice_selectors
from schools.services import SchoolError
from schools.services import advice as advice_services
from schools.services import audit as audit_services
from schools.views.access import AuditedPageMixin, SchoolStaffRequiredMixin
from schools.views.records import PupilFormMixin

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
    actions = ("reply", "assign", "close", "unlink_pupil")

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

    def get(self, request, *args, **kwargs):
        advice = self.get_advice()
        response = self.render_to_response(self.get_context_data(advice=advice))
        if advice.pupil is not None:  # the page names the pupil and links to their record
            audit_services.page_viewed(
                virtual_school=self.virtual_school,
                actor=request.user,
                obj=advice.pupil,
                summary=f"Viewed advice request {advice.pk}, about {advice.pupil}",
            )
        return response

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

    def post_unlink_pupil(self, advice):
        try:
            advice_services.advice_request_unlink_pupil(request=advice, actor=self.request.user)
        except SchoolError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request,
                gettext("This request is no longer linked to %(pupil)s.") % {"pupil": advice.pupil},
            )
        return redirect("schools:advice_detail", pk=advice.pk)


# The child's pupil record: add them, or link the request to their record -------------------


class AdvicePupilMixin:
    """The request is this Virtual School's (another's is a 404) and not linked to a pupil
    yet. Put it after SchoolStaffRequiredMixin; the views set editor_only."""

    def dispatch(self, request, *args, **kwargs):
        self.advice = get_object_or_404(
            advice_selectors.advice_for_staff(self.virtual_school), pk=kwargs["pk"]
        )
        if self.advice.pupil is not None:
            messages.error(
                request,
                gettext(
                    "This request is already linked to %(pupil)s. Unlink it first if that is wrong."
                )
                % {"pupil": self.advice.pupil},
            )
            return redirect("schools:advice_detail", pk=self.advice.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(advice=self.advice, **kwargs)


class AdvicePupilAddView(SchoolStaffRequiredMixin, AdvicePupilMixin, PupilFormMixin, FormView):
    """The add-pupil form, filled in with what the carer shared on the request; saving adds
    the pupil and links the request to them."""

    editor_only = True
    template_name = "schools/advice/pupil_add.html"
    added = None

    def get_prefill(self) -> advice_selectors.PupilPrefill:
        if not hasattr(self, "_prefill"):
            self._prefill = advice_selectors.advice_pupil_prefill(self.advice)
        return self._prefill

    def get_initial(self):
        return {**super().get_initial(), **self.get_prefill().initial}

    def get_context_data(self, **kwargs):
        return super().get_context_data(prefill=self.get_prefill(), **kwargs)

    def save(self, form):
        self.added = advice_services.advice_request_add_pupil(
            request=self.advice, actor=self.request.user, **form.cleaned_data
        )
        return self.added

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.added is None:  # the form again, with what to correct
            return response
        messages.success(
            self.request,
            gettext("%(pupil)s added as a kinship pupil and linked to this request")
            % {"pupil": self.added},
        )
        return redirect("schools:advice_detail", pk=self.advice.pk)


class AdvicePupilLinkView(
    SchoolStaffRequiredMixin, AdvicePupilMixin, AuditedPageMixin, TemplateView
):
    """Find the pupil by name or UPN, then choose them from what the search found."""

    editor_only = True
    template_name = "schools/advice/pupil_link.html"

    def audit_summary(self) -> str:
        search = self.request.GET.get("q", "").strip()
        return f"Searched the pupils to link advice request {self.advice.pk}" + (
            f" ({search})" if search else ""
        )

    def search(self):
        """The search form (bound once a search is made) and the pupils it found."""
        if not hasattr(self, "_search"):
            source = self.request.GET if self.request.method == "GET" else self.request.POST
            form = PupilSearchForm(source if "q" in source else None)
            found = []
            if form.is_valid():
                found = advice_selectors.pupils_to_link(self.virtual_school, form.cleaned_data["q"])
            self._search = form, found
        return self._search

    def get_context_data(self, link_form=None, **kwargs):
        search_form, found = self.search()
        shown = found[: advice_selectors.PUPIL_SEARCH_LIMIT]
        link_form = link_form or LinkPupilForm(virtual_school=self.virtual_school, found=shown)
        return super().get_context_data(
            search_form=search_form,
            searched=search_form.is_valid(),
            more_found=len(found) > len(shown),
            link_form=link_form,
            # `form` is the one with errors, if any, so the page title starts "Error:".
            form=next((f for f in (search_form, link_form) if f.errors), None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        _, found = self.search()
        shown = found[: advice_selectors.PUPIL_SEARCH_LIMIT]
        form = LinkPupilForm(request.POST, virtual_school=self.virtual_school, found=shown)
        if form.is_valid():
            pupil = form.cleaned_data["pupil"]
            try:
                advice_services.advice_request_link_pupil(
                    request=self.advice, pupil=pupil, actor=request.user
                )
            except SchoolError as error:
                form.add_error("pupil" if error.field == "pupil" else None, str(error))
            else:
                messages.success(
                    request, gettext("This request is linked to %(pupil)s.") % {"pupil": pupil}
                )
                return redirect("schools:advice_detail", pk=self.advice.pk)
        return self.render_to_response(self.get_context_data(link_form=form))
