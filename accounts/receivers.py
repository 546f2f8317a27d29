"""What accounts does when allauth's two-factor authentication changes."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver

from accounts import services


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
