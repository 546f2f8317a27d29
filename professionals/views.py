"""Professionals' pages: sign up, their training page and record, their details, certificates."""

from allauth.account.views import SignupView
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from carers.mixins import BookerRequiredMixin
from core.i18n import language_of
from core.spreadsheets import csv_response
from professionals import selectors, services
from professionals.certificates import certificate_filename, certificate_pdf
from professionals.forms import ProfessionalDetailsForm, ProfessionalSignupForm
from professionals.wording import dates_words, duration_words


class ProfessionalSignupView(SignupView):
    """allauth's sign-up, rate limits and e-mail confirmation, with a professional's form."""

    template_name = "professionals/signup.html"

    def get_form_class(self):
        return ProfessionalSignupForm


class TrainingMixin(BookerRequiredMixin):
    """Everyone who books: professionals and Virtual School staff, and carers too (their
    certificates from training courses are here). Not only after a carer's onboarding."""

    requires_onboarding = False


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
                dates_words(booking.days),
                duration_words(booking.duration),
                round(booking.duration.total_seconds() / 3600, 2),
                booking.event.organiser,
            ]
            for booking in record["attended"]
        ]
        header = [_("Event"), _("Dates"), _("Duration"), _("Hours"), _("Organised by")]
        # Translators: the name of the downloaded file; keep it to letters, digits and hyphens.
        filename = _("training-record-%(date)s.csv") % {"date": timezone.localdate().isoformat()}
        return csv_response(filename, header, rows)


class ProfessionalDetailsView(TrainingMixin, FormView):
    """A professional changes their name, role, organisation or council area."""

    template_name = "professionals/details.html"
    form_class = ProfessionalDetailsForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and getattr(user, "professional_profile", None) is None:
            return redirect("professionals:home")  # carers and staff have their own details
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, **kwargs) -> None:
        self.professional = self.request.user.professional_profile

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
