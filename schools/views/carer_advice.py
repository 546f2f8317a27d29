"""The carer's side of advice requests, at /advice/: their requests, asking a new question,
and one request with its thread, where they reply. Anyone else's request is a 404.

Reads come from schools.selectors.advice; every change goes through schools.services.advice,
whose SchoolError is shown beside the field it is about (or above the form).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from carers.mixins import CarerRequiredMixin
from carers.models import Child
from core.ratelimits import rate_from_setting
from schools.forms.advice import AdviceRequestForm, CarerReplyForm
from schools.selectors import advice as advice_selectors
from schools.services import SchoolError
from schools.services import advice as advice_services

# Put into sentences as %(reply_time)s: "They will reply {{ reply_time }}" (templates/advice/).
REPLY_TIME = _("usually within 5 working days")


def _virtual_school_of(profile):
    """The carer's Virtual School, or None if their council's is not on the portal yet."""
    return getattr(profile.local_authority, "virtual_school", None)


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


@method_decorator(
    ratelimit(key="user", rate=rate_from_setting("ADVICE_RATE_LIMIT"), method="POST", block=False),
    name="post",
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
        if getattr(self.request, "limited", False):
            form.add_error(
                None,
                gettext(
                    "You have sent a lot of questions in the last hour. Wait an hour, then try "
                    "again, or add to one of the questions you have already sent."
                ),
            )
            return self.form_invalid(form)
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
            gettext(
                "Your question has been sent to %(name)s. They will reply %(reply_time)s. "
                "We will email you when they do."
            )
            % {"name": advice.virtual_school.name, "reply_time": REPLY_TIME},
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
            gettext("Your reply has been sent to %(name)s. We will email you when they reply.")
            % {"name": self.advice.virtual_school.name},
        )
        return redirect("advice:detail", pk=self.advice.pk)
