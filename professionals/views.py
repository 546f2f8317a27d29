"""Professionals' pages: sign up, their training page and record, their details, their
e-mail preferences, their data, closing their account, and certificates."""

import json

from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from carers.forms import ConfirmPasswordForm
from carers.mixins import BookerRequiredMixin
from core.i18n import language_of
from core.ratelimits import rate_from_setting
from core.spreadsheets import csv_response
from professionals import selectors, services
from professionals.certificates import certificate_filename, certificate_pdf
from professionals.forms import (
    EmailPreferencesForm,
    ProfessionalDetailsForm,
    ProfessionalSignupForm,
)
from professionals.wording import duration_words


class ProfessionalSignupView(SignupView):
    """allauth's sign-up, rate limits and e-mail confirmation, with a professional's form."""

    template_name = "professionals/signup.html"

    def get_form_class(self):
        return ProfessionalSignupForm


class TrainingMixin(BookerRequiredMixin):
    """Everyone who books: professionals and Virtual School staff, and carers too (their
    certificates from training courses are here). Not only after a carer's onboarding."""

    requires_onboarding = False


class ProfessionalOnlyMixin(TrainingMixin):
    """A professional's own account pages. Carers and staff have theirs elsewhere: they are
    sent to the training page, which links to them."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_professional:
            return redirect("professionals:home")
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, **kwargs) -> None:
        self.professional = selectors.professional_profile(self.request.user)
        if self.professional is None:  # marked a professional, with no profile: not one
            raise Http404("No professional profile")


class TrainingHomeView(TrainingMixin, TemplateView):
    """A professional's home: who they are, what they have booked, and their training record."""

    template_name = "professionals/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        professional = selectors.professional_profile(user)
        role, organisation = selectors.who_they_are(user)
        return super().get_context_data(
            role=role,
            organisation=organisation,
            is_professional=user.is_professional,
            professional=professional,
            # Events for professionals first, for those who book them.
            find_url=reverse("events:list")
            + ("?audience=professionals" if user.books_as_professional else ""),
            record=selectors.training_record(user),
            **kwargs,
        )


class TrainingRecordCsvView(TrainingMixin, View):
    """The training record as a spreadsheet, for an appraisal or a CPD log."""

    def get(self, request, *args, **kwargs):
        record = selectors.training_record(request.user)
        rows = [
            [
                booking.event.shown.title,
                list(booking.days),
                duration_words(booking.duration),
                booking.duration.total_seconds() / 3600,
                booking.event.organiser,
            ]
            for booking in record["attended"]
        ]
        hours = _("Hours")
        header = [_("Event"), _("Dates"), _("Duration"), hours, _("Organised by")]
        # Translators: the name of the downloaded file; keep it to letters, digits and hyphens.
        filename = _("training-record-%(date)s.csv") % {"date": timezone.localdate().isoformat()}
        return csv_response(filename, header, rows, places={hours: 2})


class ProfessionalDetailsView(ProfessionalOnlyMixin, FormView):
    """A professional changes their name, role, organisation or council area."""

    template_name = "professionals/details.html"
    form_class = ProfessionalDetailsForm

    def get_initial(self):
        profile, user = self.professional, self.request.user
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": profile.role,
            "role_other": profile.role_other,
            "organisation": profile.organisation,
            "local_authority": profile.local_authority,
        }

    def form_valid(self, form):
        try:
            services.professional_profile_update(
                profile=self.professional,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                **form.profile_values(),
            )
        except services.ProfessionalError as error:
            form.add_error(error.field, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Your details have been saved."))
        return redirect(reverse("professionals:home"))


class CertificateView(TrainingMixin, View):
    """A certificate of attendance, as PDF, for the person it names and nobody else."""

    def get(self, request, *args, **kwargs):
        booking = selectors.certificate_booking(user=request.user, booking_id=kwargs["pk"])
        if booking is None:
            raise Http404("No certificate")
        # In the language the person chose, whichever address they used.
        with translation.override(language_of(request.user)):
            pdf = certificate_pdf(booking)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{certificate_filename(booking)}"'
        response["Cache-Control"] = "private, no-store"
        return response


class EmailPreferencesView(ProfessionalOnlyMixin, FormView):
    """Which e-mails a professional gets: the page "Manage your email preferences" leads to
    from every e-mail sent to them (core.notify.common_context)."""

    template_name = "professionals/emails.html"
    form_class = EmailPreferencesForm

    def get_initial(self):
        return EmailPreferencesForm.initial_for(self.professional)

    def form_valid(self, form):
        services.professional_preferences_update(
            profile=self.professional, reminders_enabled=form.reminders_enabled
        )
        messages.success(
            self.request,
            _("We will email you reminders before the events you have booked.")
            if form.reminders_enabled
            else _("We will not email you reminders before events."),
        )
        return redirect(reverse("professionals:home"))


class ExportView(ProfessionalOnlyMixin, TemplateView):
    """Everything the portal holds about the signed-in professional, to read and print."""

    template_name = "professionals/export.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            data=selectors.professional_data(user=self.request.user),
            exported_at=timezone.now(),
            **kwargs,
        )


def _stamp() -> str:
    return timezone.localdate().isoformat()


class ExportDownloadView(ProfessionalOnlyMixin, View):
    """The same, as a JSON file to keep or to take to another service."""

    def get(self, request, *args, **kwargs):
        data = selectors.professional_export(data=selectors.professional_data(user=request.user))
        data["exported_at"] = timezone.now().isoformat()
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        # Translators: the name of the downloaded file; keep it to letters, digits and hyphens.
        filename = _("kinship-portal-my-data-%(date)s.json") % {"date": _stamp()}
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class ExportCsvView(ProfessionalOnlyMixin, View):
    """Every booking they made, as a spreadsheet: the training record lists only attendance."""

    def get(self, request, *args, **kwargs):
        data = selectors.professional_data(user=request.user)
        rows = [
            [
                booking.event.title,
                booking.event.starts_at,
                booking.get_status_display(),
                booking.places,
                booking.attended,
                booking.access_needs,
                booking.question,
                booking.created_at,
            ]
            for booking in data.bookings
        ]
        header = [
            _("Event"),
            _("Starts"),
            _("Booking"),
            _("Places"),
            _("Attended"),
            _("Access needs"),
            _("Question for the speaker"),
            _("Booked"),
        ]
        # Translators: the name of the downloaded file; keep it to letters, digits and hyphens.
        filename = _("kinship-portal-my-bookings-%(date)s.csv") % {"date": _stamp()}
        return csv_response(filename, header, rows)


@method_decorator(
    ratelimit(
        key="user", rate=rate_from_setting("DELETE_ACCOUNT_RATE_LIMIT"), method="POST", block=False
    ),
    name="post",
)
class DeleteAccountView(ProfessionalOnlyMixin, FormView):
    """Close a professional's own account, after the page has said what will happen and
    they have entered their password (as a carer's, carers.views.DeleteAccountView)."""

    template_name = "professionals/delete_account.html"
    form_class = ConfirmPasswordForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "limited": getattr(self.request, "limited", False),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.account_deletion_preview(user=self.request.user), **kwargs
        )

    def form_valid(self, form):
        services.professional_delete(user=self.request.user)  # first: on failure, still in
        logout(self.request)
        messages.success(
            self.request, _("Your account and your training record have been deleted.")
        )
        return redirect("portal:home")
