"""The retention schedule's own e-mail: the warning before an unused account is deleted.

Registered here, on the top floor with the schedule (portal.retention), because it speaks to
carers and professionals alike, each about what they would lose."""

import datetime

from django.urls import reverse

from core.mail import absolute_url, render_email
from core.models import Notification
from core.notify import builds, common_context


@builds(Notification.Kind.INACTIVE_ACCOUNT)
def build_inactive_account_warning(notification) -> dict | None:
    """The retention schedule deletes carers' and professionals' accounts that go unused:
    they are told first, in words about their own account. Nobody else is warned (staff
    accounts are not closed this way)."""
    user = notification.recipient
    context = {
        **common_context(user),
        "delete_on": datetime.date.fromisoformat(notification.payload["delete_on"]),
        "sign_in_url": absolute_url(reverse("account_login")),
    }
    if user.is_professional:
        return render_email(
            "professionals/inactive_account",
            {**context, "training_url": absolute_url(reverse("professionals:home"))},
        )
    if user.is_carer:
        return render_email("carers/inactive_account", context)
    return None
