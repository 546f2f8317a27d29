import json

from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from accounts.services import user_sessions_end_others
from carers import selectors, services, texts
from carers.forms import (
    ChildAddForm,
    ChildForm,
    ConfirmPasswordForm,
    MobileNumberForm,
    ProfileForm,
    TextChoicesForm,
    TextCodeForm,
)
from carers.mixins import CarerRequiredMixin
from carers.models import CarerProfile, Child
from core.ratelimits import rate_from_setting
from core.templatetags.portal import and_join


class ProfileFormMixin:
    form_class = ProfileForm

    def get_initial(self):
        return (
            ProfileForm.initial_for(self.profile)
            if self.profile.is_onboarded
            else {
                "first_name": self.request.user.first_name,
                "last_name": self.request.user.last_name,
                "digest_frequency": CarerProfile.DigestFrequency.WEEKLY,
                "reminders_enabled": True,
            }
        )

    def form_valid(self, form):
        old_council = self.profile.local_authority
        profile = services.carer_profile_update(profile=self.profile, **form.cleaned_data)
        if profile.unlinked_on_move:
            names = and_join(child.first_name for child in profile.unlinked_on_move)
            messages.info(
                self.request,
                _(
                    "You have moved to %(new_council)s. The Virtual School in %(old_council)s "
                    "can no longer see what you shared about %(names)s. The Virtual School in "
                    "%(new_council)s can see it while sharing is turned on: you can change that "
                    "for each child on your profile."
                )
                % {
                    "new_council": profile.local_authority,
                    "old_council": old_council,
                    "names": names,
                },
            )
        return redirect(self.get_success_url())


class OnboardingView(CarerRequiredMixin, ProfileFormMixin, FormView):
    template_name = "carers/onboarding.html"
    requires_onboarding = False

    def get(self, request, *args, **kwargs):
        if self.profile.is_onboarded:
            return redirect("portal:dashboard")
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        messages.success(self.request, _("Your profile is set up. Here is what you can do next."))
        return reverse("portal:dashboard")


class ProfileView(CarerRequiredMixin, TemplateView):
    template_name = "carers/profile.html"

    def get_context_data(self, **kwargs):
        prefetch_related_objects([self.profile], "topics")
        return super().get_context_data(
            profile=self.profile,
            children=list(selectors.children_for(self.profile)),
            texts_available=texts.texts_available(),
            text_summary=texts.text_summary(self.profile),
            code_waiting=texts.code_waiting(self.profile),
            **kwargs,
        )


class ProfileEditView(CarerRequiredMixin, ProfileFormMixin, FormView):
    template_name = "carers/profile_edit.html"

    def get_success_url(self):
        messages.success(self.request, _("Your details have been updated."))
        return reverse("carers:profile")


class ChildCreateView(CarerRequiredMixin, FormView):
    template_name = "carers/child_form.html"
    form_class = ChildAddForm

    def form_valid(self, form):
        child = services.child_create(
            profile=self.profile,
            first_name=form.cleaned_data["first_name"],
            year_of_birth=form.cleaned_data["year_of_birth"],
            school_year=form.cleaned_data["school_year"],
            school_name=form.cleaned_data["school_name"],
            share_with_virtual_school=form.cleaned_data["share_with_virtual_school"],
        )
        messages.success(self.request, _("%(name)s has been added.") % {"name": child.first_name})
        return redirect("carers:profile")


class ChildMixin(CarerRequiredMixin):
    def load_objects(self, **kwargs) -> None:
        # Another carer's child, or a child that does not exist, is a 404.
        self.child = get_object_or_404(Child, pk=kwargs["pk"], carer=self.profile)

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.child, **kwargs)


class ChildUpdateView(ChildMixin, FormView):
    template_name = "carers/child_form.html"
    form_class = ChildForm

    def get_initial(self):
        return {
            "first_name": self.child.first_name,
            "year_of_birth": self.child.year_of_birth,
            "school_year": self.child.school_year,
            "school_name": self.child.school_name,
        }

    def form_valid(self, form):
        services.child_update(child=self.child, **form.cleaned_data)
        messages.success(
            self.request,
            _("%(name)s's details have been updated.") % {"name": self.child.first_name},
        )
        return redirect("carers:profile")


class ChildDeleteView(ChildMixin, TemplateView):
    template_name = "carers/child_delete.html"

    def post(self, request, *args, **kwargs):
        name = self.child.first_name
        services.child_delete(child=self.child)
        messages.success(
            request, _("%(name)s has been removed from your profile.") % {"name": name}
        )
        return redirect("carers:profile")


class ChildSharingView(ChildMixin, TemplateView):
    """Give or withdraw consent for the Virtual School to see one child's details."""

    template_name = "carers/child_sharing.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statement=services.consent_statement(self.child.first_name),
            history=self.child.consent_events.all(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "give":
            services.child_consent_give(child=self.child, by=request.user)
            messages.success(
                request,
                _("Your Virtual School can now see %(name)s's details.")
                % {"name": self.child.first_name},
            )
        elif request.POST.get("action") == "withdraw":
            services.child_consent_withdraw(child=self.child, by=request.user)
            messages.success(
                request,
                _("You have stopped sharing %(name)s's details with your Virtual School.")
                % {"name": self.child.first_name},
            )
        return redirect("carers:child_sharing", pk=self.child.pk)


class ExportView(CarerRequiredMixin, TemplateView):
    """Everything the portal holds about the signed-in carer, as a page to read and print."""

    template_name = "carers/export.html"
    requires_onboarding = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            data=selectors.carer_data(profile=self.profile), exported_at=timezone.now(), **kwargs
        )


class ExportDownloadView(CarerRequiredMixin, View):
    """The same, as a JSON file to keep or to take to another service."""

    requires_onboarding = False

    def get(self, request, *args, **kwargs):
        data = selectors.carer_export(profile=self.profile)
        data["exported_at"] = timezone.now().isoformat()
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        # Translators: the name of the downloaded file; keep it to letters, digits and hyphens.
        filename = _("kinship-portal-my-data-%(date)s.json") % {"date": stamp}
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class SignOutElsewhereView(CarerRequiredMixin, View):
    """End every other session of the account: a phone left signed in, a shared computer."""

    requires_onboarding = False

    def post(self, request, *args, **kwargs):
        user_sessions_end_others(user=request.user, request=request)
        messages.success(request, _("You have been signed out on every other device."))
        return redirect("carers:profile")


@method_decorator(
    ratelimit(
        key="user", rate=rate_from_setting("DELETE_ACCOUNT_RATE_LIMIT"), method="POST", block=False
    ),
    name="post",
)
class DeleteAccountView(CarerRequiredMixin, FormView):
    template_name = "carers/delete_account.html"
    form_class = ConfirmPasswordForm
    requires_onboarding = False

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
        user = self.request.user
        services.carer_delete(user=user)  # first: if it fails, they are still signed in
        logout(self.request)
        messages.success(
            self.request, _("Your account and everything you told us have been deleted.")
        )
        return redirect("portal:home")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TemplateView):
    """One-click unsubscribe from digests (RFC 8058): the signed link is the permission, so no
    sign-in and no CSRF token; mail apps POST to it directly. GET shows a confirmation first."""

    template_name = "carers/unsubscribe.html"

    def get_profile(self) -> CarerProfile:
        from carers.notifications import user_id_from_unsubscribe_token

        user_id = user_id_from_unsubscribe_token(self.kwargs["token"])
        if user_id is None:
            raise Http404("This link is not valid")
        return get_object_or_404(CarerProfile, user_id=user_id)

    def get_context_data(self, **kwargs):
        profile = self.get_profile()
        return super().get_context_data(
            unsubscribed=profile.digest_frequency == CarerProfile.DigestFrequency.NEVER, **kwargs
        )

    def post(self, request, *args, **kwargs):
        services.digest_unsubscribe(profile=self.get_profile())
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed", content_type="text/plain")
        return redirect(request.path)


# Text messages -------------------------------------------------------------------------------


class TextsAvailableMixin:
    """After CarerRequiredMixin: without Notify set up for texts, the page only says that
    texts are not available here, whatever was asked."""

    def dispatch(self, request, *args, **kwargs):
        handles = hasattr(self, request.method.lower())  # else Django's 405, as usual
        if handles and not texts.texts_available():
            return render(request, "carers/texts_unavailable.html", {"profile": self.profile})
        return super().dispatch(request, *args, **kwargs)


def _too_many_codes() -> str:
    return _("You have asked for too many codes. Wait an hour, then try again.")


class TextStartView(CarerRequiredMixin, TextsAvailableMixin, FormView):
    """Get text messages: the carer's mobile number and their agreement; a code goes to it."""

    template_name = "carers/texts_start.html"
    form_class = MobileNumberForm

    def get_initial(self):
        return {"mobile_number": texts.national_format(self.profile.mobile_number)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)

    def form_valid(self, form):
        if texts.code_rate_limited(self.request):
            form.add_error(None, _too_many_codes())
            return self.form_invalid(form)
        try:
            texts.text_code_send(
                profile=self.profile,
                number=form.cleaned_data["mobile_number"],
                statement=form.statement,
            )
        except texts.TextError as error:
            form.add_error("mobile_number", str(error))
            return self.form_invalid(form)
        return redirect("carers:texts_verify")


class TextVerifyView(CarerRequiredMixin, TextsAvailableMixin, FormView):
    """Check your phone: the code texted to the number."""

    template_name = "carers/texts_verify.html"
    form_class = TextCodeForm

    def get(self, request, *args, **kwargs):
        if not texts.code_waiting(self.profile):
            return redirect("carers:texts")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not texts.code_waiting(self.profile):
            return redirect("carers:texts")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            number=texts.national_format(self.profile.mobile_number), **kwargs
        )

    def form_valid(self, form):
        result = texts.text_code_check(profile=self.profile, code=form.cleaned_data["code"])
        if result == texts.CodeCheck.RIGHT:
            messages.success(
                self.request,
                _("Your mobile number is confirmed. Now choose which messages you want by text."),
            )
            return redirect("carers:texts_choices")
        if result == texts.CodeCheck.NO_CODE:
            return redirect("carers:texts")
        form.add_error(
            "code",
            {
                texts.CodeCheck.WRONG: _(
                    "The code is not right. Check the text message and try again"
                ),
                texts.CodeCheck.EXPIRED: _(
                    "The code has expired. Select ‘Send a new code’ to get another one"
                ),
                texts.CodeCheck.TOO_MANY: _(
                    "You have entered a wrong code too many times. Select ‘Send a new code’ "
                    "to get another one"
                ),
            }[result],
        )
        return self.form_invalid(form)


class TextResendView(CarerRequiredMixin, TextsAvailableMixin, View):
    """Send a new code to the number waiting to be confirmed (POST only)."""

    def post(self, request, *args, **kwargs):
        profile = self.profile
        if not texts.code_waiting(profile):
            return redirect("carers:texts")
        if texts.code_rate_limited(request):
            messages.warning(request, _too_many_codes())
            return redirect("carers:texts_verify")
        try:
            texts.text_code_send(
                profile=profile,
                number=profile.mobile_number,
                statement=profile.text_consent_statement,
            )
        except texts.TextError as error:
            messages.warning(request, str(error))
        else:
            messages.success(
                request,
                _("We have sent a new code to %(number)s.")
                % {"number": texts.national_format(profile.mobile_number)},
            )
        return redirect("carers:texts_verify")


class TextChoicesView(CarerRequiredMixin, TextsAvailableMixin, FormView):
    """Which messages do you want by text? Email, text message or both, for each kind."""

    template_name = "carers/texts_choices.html"
    form_class = TextChoicesForm

    def get(self, request, *args, **kwargs):
        if not self.profile.gets_texts:
            return redirect("carers:texts")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.profile.gets_texts:
            return redirect("carers:texts")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "profile": self.profile}

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)

    def form_valid(self, form):
        texts.text_channels_set(profile=self.profile, channels=form.cleaned_data)
        messages.success(self.request, _("Your text message choices have been saved."))
        return redirect("carers:profile")


class TextStopView(CarerRequiredMixin, TemplateView):
    """Stop text messages: the number, its verification and the choices are removed. It
    works with or without Notify set up: stopping must always be possible."""

    template_name = "carers/texts_stop.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.profile.mobile_number:
            texts.texts_stop(profile=self.profile)
            messages.success(
                request,
                _("We have removed your mobile number. You will not get any more text messages."),
            )
        return redirect("carers:profile")
