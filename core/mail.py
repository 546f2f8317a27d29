"""Mail is rendered in the request and sent by a Celery worker after commit.

A worker that is down delays mail; it never loses it or blocks the page
that caused it. Notifications to carers wait in the ledger (core.notify) when the
broker is down; account e-mails are then sent from the request instead.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_email(template: str, context: dict) -> dict:
    """Render templates/emails/<template>_subject.txt, .txt and .html into a message dict."""
    context = {"site_url": settings.SITE_URL, "service_name": settings.SERVICE_NAME, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    return {
        "subject": " ".join(subject.split()),
        "body": render_to_string(f"emails/{template}.txt", context),
        "html": render_to_string(f"emails/{template}.html", context),
    }


def queue_email(*, to: list[str], subject: str, body: str, html: str = "", headers=None) -> None:
    """Send a rendered e-mail from a worker once the current transaction commits."""
    message = {"to": to, "subject": subject, "body": body, "html": html, "headers": headers or {}}
    transaction.on_commit(lambda: _hand_to_worker(message))


def _hand_to_worker(message: dict) -> None:
    """Account e-mails (confirm your address, reset your password, invitations) are wanted
    now. If the broker is down, send from this request instead of losing the message."""
    from core.tasks import send_email

    try:
        send_email.delay(message)
    except Exception:  # noqa: BLE001 - any broker failure
        logger.warning("Broker unavailable: sending an account email from the request instead")
        try:
            deliver(message)
        except Exception:  # noqa: BLE001 - the page that asked must still work
            logger.exception("Could not send an account email; the person can ask again")


def deliver(message: dict) -> None:
    """Send a message dict: to, subject, body, and optionally html, headers and
    attachments as (filename, content, mimetype) tuples."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        to=message["to"],
        headers=message.get("headers") or None,
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message.get("attachments", []):
        email.attach(filename, content, mimetype)
    email.send()
