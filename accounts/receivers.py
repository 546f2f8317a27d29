"""What accounts does when allauth's two-factor authentication changes, and after migrate."""

import hashlib
import logging

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from accounts import services
from accounts.roles import content_admin_group_sync


@receiver(authenticator_added, dispatch_uid="accounts.authenticator_added")
def end_other_sessions_when_mfa_is_set_up(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator app proves the person holds it: this session counts as
    having passed two-factor authentication. Every other session of the account ends."""
    services.user_sessions_end_others(user=user, request=request)
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


@receiver(authenticator_removed, dispatch_uid="accounts.authenticator_removed")
def end_other_sessions_when_mfa_is_removed(sender, request, user, authenticator, **kwargs):
    services.user_sessions_end_others(user=user, request=request)


@receiver(post_migrate, dispatch_uid="accounts.content_admin_group")
def keep_the_content_admin_group_up_to_date(sender, app_config=None, **kwargs):
    """After the last app has migrated (its permissions exist by then), set the group's
    permissions and put content admins made before the group existed into it."""
    if app_config is None or app_config.label != "portal":
        return
    group = content_admin_group_sync()
    from accounts.models import User

    for user in User.objects.filter(is_staff=True, is_superuser=False, groups__isnull=True):
        user.groups.add(group)


# Security events ------------------------------------------------------------------------------
# Who (an account id, or for an unknown login a short hash, never the address itself), what,
# and from where. OWASP ASVS 5.0 V16.3.1.
security = logging.getLogger("security")


def _client(request) -> str:
    try:
        return get_adapter(request).get_client_ip(request) or "unknown"
    except (PermissionDenied, AttributeError):  # no address (a request made in code)
        return "unknown"


@receiver(user_logged_in, dispatch_uid="accounts.log_sign_in")
def log_sign_in(sender, request, user, **kwargs):
    security.info("sign-in user=%s client=%s", user.pk, _client(request))


@receiver(user_logged_out, dispatch_uid="accounts.log_sign_out")
def log_sign_out(sender, request, user, **kwargs):
    security.info("sign-out user=%s client=%s", getattr(user, "pk", None), _client(request))


@receiver(user_login_failed, dispatch_uid="accounts.log_failed_sign_in")
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("email") or credentials.get("username") or "").lower()
    tag = hashlib.sha256(login.encode()).hexdigest()[:12]
    security.warning("failed sign-in login=%s client=%s", tag, _client(request))


@receiver(authentication_failed, dispatch_uid="accounts.log_failed_code")
def log_failed_code(sender, request, user, **kwargs):
    security.warning("wrong two-factor code user=%s client=%s", user.pk, _client(request))
