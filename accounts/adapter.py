import time
from urllib.parse import urlsplit, urlunsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from core.i18n import normalise, service_name
from core.mail import absolute_url
from core.notify import queue_email


def _on_this_site(url: str) -> str:
    """Links in e-mails point at SITE_URL, never at whatever Host header the request carried."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class PortalAccountAdapter(DefaultAccountAdapter):
    """Carers and professionals sign up here; staff arrive through invitations instead."""

    # allauth's wording, rewritten in the GOV.UK style: say what is wrong and what to do.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "The email address or password is not right. Check them and try again."
        ),
        "too_many_login_attempts": _(
            "You have tried to sign in too many times. Wait 5 minutes, then try again."
        ),
        "incorrect_password": _("The password is not right. Check it and try again."),
        "enter_current_password": _("Enter your current password"),
        "invalid_or_expired_key": _(
            "This link has expired or has already been used. Ask for a new one."
        ),
    }

    def send_mail(self, template_prefix, email, context):
        # allauth builds links (confirm, reset, sign up) from the request's Host header.
        context = {
            key: _on_this_site(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        # Render now, send from a worker after commit: a slow mail server never blocks sign-up.
        # In the language the account holder chose; for an address with no account (sign-up,
        # "no account with this address"), the language of the page they used.
        with translation.override(self._language_for(email)):
            msg = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mime in getattr(msg, "alternatives", []) if mime == "text/html"), ""
        )
        queue_email(to=list(msg.to), subject=msg.subject, body=msg.body, html=html)

    @staticmethod
    def _language_for(email: str) -> str:
        from accounts.models import User

        recorded = User.objects.filter(email__iexact=email).values_list("language", flat=True)
        return normalise(next(iter(recorded), None) or translation.get_language())

    def send_account_already_exists_mail(self, email: str) -> None:
        """Signing up with an address that has an account must take as long as a new sign-up,
        which hashes the password (about 0.2 s): otherwise the delay tells which addresses
        have accounts. Hash a throwaway password the same way."""
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_school_staff:
            return reverse("schools:home")
        if user.is_staff and not user.is_carer:
            return reverse("admin:index")
        if user.is_professional:
            return reverse("professionals:home")
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject) -> str:
        return f"{service_name()}: {subject}"

    def save_user(self, request, user, form, commit=True):
        user.language = normalise(form.cleaned_data.get("language") or translation.get_language())
        user = super().save_user(request, user, form, commit=commit)
        # A sign-up form for someone who is not a carer (professionals.forms) makes its own
        # profile in its signup() hook, which allauth calls next.
        if commit and getattr(form, "signs_up_carer", True):
            from carers.services import carer_profile_get_or_create

            carer_profile_get_or_create(user=user)
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Staff setting up MFA for the first time, just after signing in, are not asked for
        their password a second time. Changing or removing MFA still asks."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None:
            return required
        user = request.user
        if not user.is_authenticated or is_mfa_enabled(user):
            return required
        records = get_authentication_records(request, user)
        signed_in_recently = (
            records and time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT
        )
        return not signed_in_recently

    def get_reauthentication_methods(self, user) -> list[dict]:
        """Someone with two-factor authentication (all staff) confirms it's them with their
        authenticator app or a recovery code, never with the password alone: that is the
        factor that guards children's records, so it guards changes to itself too."""
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and is_mfa_enabled(user):
            return [m for m in methods if m["id"].startswith("mfa_reauthenticate")]
        return methods
