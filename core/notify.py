"""Notifications: claim in the database, then send from a worker after commit.

    notify(kind=..., recipient=user, key="booking:12", payload={...})

creates the Notification row if there is none for (kind, recipient, key) and queues
its delivery once the transaction commits; if the row exists, nothing happens. The
worker re-reads the row under a lock and builds the message from fresh data with the
builder registered for its kind (core.registry), so a retried or duplicated task sends
nothing twice.

Imports point one way: apps register with core.registry and call this module; this
module hands work to core.tasks; core.tasks uses core.registry and core.mail, never this.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.i18n import service_name
from core.mail import absolute_url, deliver
from core.models import Notification
from core.registry import builds, channels_for, staff_summary_sections, summary_section
from core.tasks import publish, send_email

__all__ = [
    "builds",
    "common_context",
    "notify",
    "queue",
    "queue_email",
    "staff_summary_sections",
    "summary_section",
]

logger = logging.getLogger(__name__)


def notify(*, kind: str, recipient, key: str, payload: dict | None = None) -> Notification | None:
    """Claim this notification on each channel the recipient wants for its kind (e-mail, and
    a text for those who chose one) and queue each after commit. Returns the first row
    claimed, or None if every channel was already claimed."""
    claimed = None
    for channel in sorted(channels_for(recipient, kind)):
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    kind=kind, recipient=recipient, key=key, payload=payload or {}, channel=channel
                )
        except IntegrityError:
            continue
        queue(notification.pk)
        claimed = claimed or notification
    return claimed


def queue(notification_id: int) -> None:
    """Hand the notification to a worker once the transaction commits."""
    transaction.on_commit(lambda: publish(notification_id))


def queue_email(*, to: list[str], subject: str, body: str, html: str = "", headers=None) -> None:
    """Send a rendered e-mail (not a notification) from a worker once the transaction commits."""
    message = {"to": to, "subject": subject, "body": body, "html": html, "headers": headers or {}}
    transaction.on_commit(lambda: _hand_to_worker(message))


def _hand_to_worker(message: dict) -> None:
    """Account e-mails (confirm your address, reset your password, invitations) are wanted
    now. If the broker is down, send from this request instead of losing the message."""
    try:
        send_email.delay(message)
    except Exception:  # noqa: BLE001 - any broker failure
        logger.warning("Broker unavailable: sending an account email from the request instead")
        try:
            deliver(message)
        except Exception:  # noqa: BLE001 - the page that asked must still work
            logger.exception("Could not send an account email; the person can ask again")


def common_context(recipient) -> dict:
    """What every email needs: absolute links, and where to change what we send (a
    professional's own e-mail settings, or a carer's profile)."""
    professional = getattr(recipient, "is_professional", False)
    return {
        "site_url": settings.SITE_URL,
        "service_name": service_name(),
        "user": recipient,
        "preferences_url": absolute_url(
            reverse("professionals:emails" if professional else "carers:profile_edit")
        ),
    }
