"""What accounts does when allauth's two-factor authentication changes, and after migrate."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
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
