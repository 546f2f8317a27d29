import time

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.forms import InvitationAcceptForm, LanguageForm
from accounts.models import Invitation
from accounts.services import InvitationError, invitation_accept
from core.i18n import remember_language
from core.redirects import safe_next


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


# Two-factor set-up -----------------------------------------------------------------------------
# allauth's own pages end on the recovery codes, which it guards with a second "confirm it's
# you" straight after the person proved they hold the app. The portal shows the new codes once,
# then takes the person on to the page they asked for.

NEW_RECOVERY_CODES_KEY = "portal_new_recovery_codes"


def mfa_continue_url(request) -> str:
    """Where someone setting up two-factor authentication was going: ``next`` if it is a page
    of this site, otherwise their home, by role, as after signing in (PortalAccountAdapter)."""
    return safe_next(request, default=get_adapter(request).get_login_redirect_url(request))


class ActivateAuthenticatorAppView(ActivateTOTPView):
    """allauth's set-up page (same address and checks: accounts/urls.py comes before
    allauth's), keeping ``next`` and ending on the new recovery codes, then ``next``."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=safe_next(self.request, default=""), **kwargs)

    def get_success_url(self) -> str:
        target = mfa_continue_url(self.request)
        if not self.did_generate_recovery_codes:
            return target
        self.request.session[NEW_RECOVERY_CODES_KEY] = {
            "user": self.request.user.pk,
            "at": time.time(),
        }
        return f"{reverse('accounts:new_recovery_codes')}?{urlencode({'next': target})}"


class NewRecoveryCodesView(LoginRequiredMixin, TemplateView):
    """The recovery codes made with a new authenticator app, shown without a second "confirm
    it's you" only until the person says they have saved them, and for no longer than a
    confirmation counts (ACCOUNT_REAUTHENTICATION_TIMEOUT). After that, allauth's page shows
    them, and asks first."""

    template_name = "mfa/recovery_codes/new.html"

    def _just_made(self) -> bool:
        marker = self.request.session.get(NEW_RECOVERY_CODES_KEY)
        return (
            isinstance(marker, dict)
            and marker.get("user") == self.request.user.pk
            and 0 <= time.time() - marker.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
        )

    def get(self, request, *args, **kwargs):
        codes = Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        if codes is None or not self._just_made():
            request.session.pop(NEW_RECOVERY_CODES_KEY, None)
            return redirect("mfa_view_recovery_codes")
        wrapped = codes.wrap()
        if not wrapped.did_view:
            wrapped.mark_as_viewed()  # as allauth's page does
        return self.render_to_response(
            self.get_context_data(
                unused_codes=wrapped.get_unused_codes(),
                next=safe_next(request, default=""),
            )
        )

    def post(self, request, *args, **kwargs):
        """I have saved these: the codes are not shown here again; on to the next page."""
        request.session.pop(NEW_RECOVERY_CODES_KEY, None)
        return redirect(mfa_continue_url(request))
