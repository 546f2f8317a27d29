import time

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

STAFF_AREAS = ("/school/", "/admin/")
LAST_SEEN_KEY = "portal_last_seen"


class StaffMFARequiredMiddleware:
    """Staff and content admins see children's data, so they must have MFA and idle sessions end.

    - Anyone whose role needs MFA (see ``User.requires_mfa``) is sent to set up
      an authenticator app before any page under /school/ or /admin/.
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
                    request, "You were signed out because you had not used the portal for a while."
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if request.path.startswith(STAFF_AREAS) and not is_mfa_enabled(
                user, [Authenticator.Type.TOTP]
            ):
                messages.warning(
                    request,
                    "You need to set up two-factor authentication before you can use staff pages.",
                )
                return redirect("mfa_activate_totp")
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
