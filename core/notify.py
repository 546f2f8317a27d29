"""Notifications: claim in the database, then send from a worker after commit.

    notify(kind=..., recipient=user, key="booking:12", payload={...})

creates the Notification row if there is none for (kind, recipient, key) and queues
its delivery once the transaction commits; if the row exists, nothing happens. The
worker re-reads the row under a lock and builds the message from fresh data with the
builder registered for its kind, so a retried or duplicated task sends nothing twice.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.mail import absolute_url
from core.models import Notification

logger = logging.getLogger(__name__)

Builder = Callable[[Notification], dict | None]
_builders: dict[str, Builder] = {}


def builds(kind: str) -> Callable[[Builder], Builder]:
    """Register the function that turns a notification of `kind` into a message (or None to skip)."""

    def register(func: Builder) -> Builder:
        _builders[kind] = func
        return func

    return register


def builder_for(kind: str) -> Builder:
    return _builders[kind]


def notify(*, kind: str, recipient, key: str, payload: dict | None = None) -> Notification | None:
    """Claim this notification and queue it after commit. Returns None if it was already claimed."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind, recipient=recipient, key=key, payload=payload or {}
            )
    except IntegrityError:
        return None
    queue(notification.pk)
    return notification


def queue(notification_id: int) -> None:
    """Hand the notification to a worker once the transaction commits."""
    transaction.on_commit(lambda: publish(notification_id))


def publish(notification_id: int) -> bool:
    """Queue the send task. If the broker is down the notification stays pending in the
    database and core.tasks.requeue_pending_notifications queues it again later: the
    booking (or whatever caused it) has already succeeded and nothing is lost."""
    from core.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # noqa: BLE001 - any broker failure: the ledger row keeps the work
        logger.warning(
            "Broker unavailable: notification %s stays pending", notification_id, exc_info=True
        )
        return False
    return True


def common_context(recipient) -> dict:
    """What every email needs: absolute links, and where to change what we send."""
    return {
        "site_url": settings.SITE_URL,
        "service_name": settings.SERVICE_NAME,
        "user": recipient,
        "preferences_url": absolute_url(reverse("carers:profile_edit")),
    }


# Staff morning summary -------------------------------------------------------------------
# Apps add sections with @summary_section: a function (membership) -> {"title": ...,
# "items": [{"text": ..., "url": ...}], "url": ...} or None when there is nothing for them.
SummaryProvider = Callable[[object], dict | None]
_summary_providers: list[SummaryProvider] = []


def summary_section(func: SummaryProvider) -> SummaryProvider:
    _summary_providers.append(func)
    return func


def staff_summary_sections(membership) -> list[dict]:
    return [section for provider in _summary_providers if (section := provider(membership))]


def staff_summaries_claim_due(*, today=None) -> int:
    """Claim today's summary for every member of staff who has something waiting."""
    from django.utils import timezone

    from schools.models import StaffMembership

    today = today or timezone.localdate()
    if not _summary_providers:
        return 0
    claimed = 0
    for membership in StaffMembership.objects.select_related("user", "virtual_school"):
        if staff_summary_sections(membership) and notify(
            kind=Notification.Kind.STAFF_SUMMARY,
            recipient=membership.user,
            key=f"summary:{today:%Y-%m-%d}",
        ):
            claimed += 1
    return claimed


@builds(Notification.Kind.STAFF_SUMMARY)
def build_staff_summary(notification) -> dict | None:
    from core.mail import render_email

    membership = getattr(notification.recipient, "staff_membership", None)
    if membership is None:
        return None
    sections = staff_summary_sections(membership)
    if not sections:
        return None
    return render_email(
        "staff_summary",
        {**common_context(notification.recipient), "membership": membership, "sections": sections},
    )
