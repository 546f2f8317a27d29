import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.i18n import strip_language_prefix

STAFF_AREAS = ("/school/", "/admin/")


def passed_mfa(request, user) -> bool:
    """Whether this session, not just the account, has passed two-factor authentication:
    allauth records each way someone proved who they are in the session."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


LAST_SEEN_KEY = "portal_last_seen"


def mfa_set_up_url(request) -> str:
    """The set-up page, carrying the page the person asked for as ``next`` so set-up ends
    there (accounts.views.ActivateAuthenticatorAppView). Only a GET can be asked for again."""
    url = reverse("mfa_activate_totp")
    if request.method in ("GET", "HEAD"):
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class StaffMFARequiredMiddleware:
    """Staff and content admins see children's data, so they must have MFA and idle sessions end.

    - Anyone whose role needs MFA (see ``User.requires_mfa``) is sent to set up
      an authenticator app before any page under /school/ or /admin/ (and taken back to
      that page afterwards), and must have
      passed it in this session: a session that signed in with the password alone is
      ended and the person asked to sign in again.
    - Their session ends after ``STAFF_SESSION_IDLE_SECONDS`` without a request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.requires_mfa:
            if self._idle_too_long(request):
                logout(request)
                messages.info(
                    request,
                    _("You were signed out because you had not used the portal for a while."),
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # /cy/school/ is the same staff page as /school/: the check reads the path
            # without its language prefix.
            if strip_language_prefix(request.path).startswith(STAFF_AREAS):
                if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
                    messages.warning(
                        request,
                        _(
                            "You need to set up two-factor authentication before you can use "
                            "staff pages."
                        ),
                    )
                    return redirect(mfa_set_up_url(request))
                if not passed_mfa(request, user):
                    # Signed in with the password alone (before the authenticator was set
                    # up, or as a carer before joining the staff): sign in again, fully.
                    logout(request)
                    messages.info(
                        request,
                        _(
                            "Sign in again with your password and the code from your "
                            "authenticator app."
                        ),
                    )
                    return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _idle_too_long(request) -> bool:
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS:
            return True
        if last_seen is None or now - last_seen > 60:  # write the session at most once a minute
            request.session[LAST_SEEN_KEY] = now
        return False
