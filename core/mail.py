"""Rendering and sending e-mail. Queuing it after commit is core.notify's job.

A worker that is down delays mail; it never loses it or blocks the page
that caused it. Notifications to carers wait in the ledger (core.notify) when the
broker is down; account e-mails are then sent from the request instead.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.i18n import service_name


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_email(template: str, context: dict) -> dict:
    """Render templates/emails/<template>_subject.txt, .txt and .html into a message dict."""
    context = {"site_url": settings.SITE_URL, "service_name": service_name(), **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    return {
        "subject": " ".join(subject.split()),
        "body": render_to_string(f"emails/{template}.txt", context),
        "html": render_to_string(f"emails/{template}.html", context),
    }


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
