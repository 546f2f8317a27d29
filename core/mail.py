"""Mail is rendered in the request and sent by a Celery worker after commit.

A worker that is down delays mail; it never loses it or blocks the page
that caused it.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


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
    from core.tasks import send_email

    message = {"to": to, "subject": subject, "body": body, "html": html, "headers": headers or {}}
    transaction.on_commit(lambda: send_email.delay(message))


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
