from allauth.account import app_settings
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.forms import InvitationAcceptForm, LanguageForm
from accounts.models import Invitation
from accounts.services import InvitationError, invitation_accept
from core.i18n import remember_language


class InvitationAcceptView(FormView):
    """A member of staff opens their invitation link and sets a password."""

    template_name = "accounts/invitation_accept.html"
    form_class = InvitationAcceptForm

    def dispatch(self, request, *args, **kwargs):
        # PostgreSQL cannot compare text with a NUL in it: no token has one.
        self.invitation = (
            Invitation.objects.select_related("virtual_school", "invited_by")
            .filter(token=kwargs["token"])
            .first()
            if "\x00" not in kwargs["token"]
            else None
        )
        if self.invitation is None:
            raise Http404("No such invitation")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "invitation": self.invitation}

    def get_context_data(self, **kwargs):
        from django.contrib.auth import get_user_model

        account_exists = (
            get_user_model().objects.filter(email__iexact=self.invitation.email).exists()
        )
        return super().get_context_data(
            invitation=self.invitation,
            usable=self.invitation.is_usable(),
            account_exists=account_exists,
            signed_in_as_invitee=self.request.user.is_authenticated
            and self.request.user.email.lower() == self.invitation.email.lower(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "accept_signed_in" in request.POST:
            return self._accept(user=request.user)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        return self._accept(
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
            form=form,
        )

    def _accept(self, *, form=None, **kwargs):
        try:
            user = invitation_accept(invitation=self.invitation, **kwargs)
        except InvitationError as error:
            if form is None:
                messages.error(self.request, str(error))
                return redirect(self.request.path)
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Your account is ready. Set up two-factor authentication to finish: "
                "you will need an authenticator app on your phone."
            ),
        )
        if self.request.user.is_authenticated:
            return redirect("mfa_activate_totp")
        # allauth's own sign-in, so it counts as a fresh password sign-in and
        # MFA set-up does not ask for the password again straight away.
        response = perform_login(
            self.request,
            user,
            email_verification=app_settings.EmailVerificationMethod.NONE,
            redirect_url=reverse("mfa_activate_totp"),
        )
        record_authentication(self.request, user, method="password", email=user.email)
        return response


class LanguageView(LoginRequiredMixin, FormView):
    """Choose the language of pages and emails; the switcher in every page's header does
    the same in one click."""

    template_name = "accounts/language.html"
    form_class = LanguageForm

    def get_initial(self):
        return {"language": self.request.user.language}

    def form_valid(self, form):
        user = self.request.user
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["language"])
        with translation.override(user.language):
            messages.success(self.request, _("Your language has been saved."))
            if user.is_school_staff:
                home = reverse("schools:home")
            elif user.is_carer:
                home = reverse("carers:profile")
            elif user.is_professional:
                home = reverse("professionals:home")
            else:
                home = reverse("portal:home")
        response = redirect(home)
        remember_language(response, user.language)
        return response
