"""Rendering and sending e-mail. Queuing it after commit is core.notify's job.

A worker that is down delays mail; it never loses it or blocks the page
that caused it. Notifications to carers wait in the ledger (core.notify) when the
broker is down; account e-mails are then sent from the request instead.
"""

import datetime
import os
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import filebased
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


def render_text_message(template: str, context: dict) -> str:
    """Render templates/texts/<template>.txt into one line for a text message: short, so it
    fits one SMS fragment where it can (core.govuk_notify.sms_fragments counts them)."""
    context = {"site_url": settings.SITE_URL, "service_name": service_name(), **context}
    return " ".join(render_to_string(f"texts/{template}.txt", context).split())


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


class MailFileBackend(filebased.EmailBackend):
    """The embedded default: each message written to a file under EMAIL_FILE_PATH.

    Django names a connection's file by the second and id(self). Worker processes forked
    from one parent allocate alike, so two of them sending in the same second opened the
    same file and their writes interleaved, merging two messages into one. The process
    id and a random part keep every connection's file its own.
    """

    def _get_filename(self):
        if self._fname is None:
            timestamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            name = f"{timestamp}-{os.getpid()}-{secrets.token_hex(4)}.log"
            self._fname = os.path.join(self.file_path, name)
        return self._fname
