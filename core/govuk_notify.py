"""GOV.UK Notify: e-mail and text messages through a council's own Notify service.

    send_email(to="carer@example.org", subject="...", body="...")  -> Notify's notification id
    send_sms(phone_number="+447700900123", body="...")              -> Notify's notification id

Both go through two generic templates in the council's Notify service, whose ids come
from the environment: an e-mail template with subject ((subject)) and body ((body)), and
a text message template with body ((body)). Notify turns the plain-text body into its own
formatted e-mail (links, lists, headings); nothing is sent as HTML.

Failures are sorted for whoever retries: NotifyPermanentError (Notify refused this
message or this key: sending it again will not help) and NotifyTemporaryError (rate
limit, Notify's own fault, network), each keeping Notify's own message.
NotifyTemporaryError.may_have_sent is True when the request went out but no answer came
back: Notify may have accepted it, so sending again could send it twice.

NotifyEmailBackend is a Django e-mail backend (settings.EMAIL_BACKEND is set to it when
NOTIFY_API_KEY is set and neither EMAIL_URL nor EMAIL_BACKEND is), so every e-mail the
portal sends goes through Notify.

This module imports no feature app; nor does it know about the notification ledger.
"""

import logging
import math
import re
from email.utils import parseaddr

import requests
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.html import strip_tags
from notifications_python_client.errors import APIError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from urllib3.exceptions import MaxRetryError, NewConnectionError

__all__ = [
    "REFERENCE_HEADER",
    "NotifyEmailBackend",
    "NotifyError",
    "NotifyPermanentError",
    "NotifyTemporaryError",
    "is_configured",
    "send_email",
    "send_sms",
    "sends_email",
    "sms_configured",
    "sms_fragments",
]

logger = logging.getLogger(__name__)

# Connect and read timeouts (seconds) for one request to Notify.
TIMEOUT = (5, 30)
# An e-mail header whose value, if present, becomes Notify's `reference` for that message.
REFERENCE_HEADER = "X-Portal-Reference"
# "{key_name}-{service_id}-{secret}": the last two parts are UUIDs.
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
API_KEY_FORMAT = re.compile(rf".+-({_UUID})-({_UUID})")


class NotifyError(Exception):
    """Notify did not take the message. `permanent`: sending it again will not help."""

    permanent = False

    def __init__(self, message: str, *, status_code: int | None = None, errors=None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        # Notify's own list of {"error": "ValidationError", "message": "..."}, if it answered.
        self.errors = list(errors or [])

    def __str__(self):
        names = ", ".join(dict.fromkeys(e.get("error", "") for e in self.errors if e.get("error")))
        prefix = " ".join(str(part) for part in (self.status_code, names) if part)
        return f"{prefix}: {self.message}" if prefix else self.message


class NotifyPermanentError(NotifyError):
    """Refused for good: a bad phone number or address (400), a bad or revoked key (403),
    a missing template, or the portal's own Notify settings are incomplete."""

    permanent = True


class NotifyTemporaryError(NotifyError):
    """Worth trying again later: rate or daily limit (429), Notify's fault (5xx), network.

    may_have_sent: the request went out and no answer came back (the connection dropped
    or the read timed out), so Notify may have accepted it. A refused connection, a
    connect timeout, a 429 or a 5xx leave it False: Notify did not take the message."""

    def __init__(self, message: str, *, may_have_sent: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.may_have_sent = may_have_sent


def is_configured() -> bool:
    """A Notify API key is set."""
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


def sends_email() -> bool:
    """E-mail goes through Notify (which takes no attachments: files go by link)."""
    return settings.EMAIL_BACKEND == "core.govuk_notify.NotifyEmailBackend"


def sms_configured() -> bool:
    """Text messages can be sent: a Notify API key and a text message template id."""
    return is_configured() and bool(getattr(settings, "NOTIFY_SMS_TEMPLATE_ID", ""))


def send_email(*, to: str, subject: str, body: str, reference: str = "") -> str:
    """Send one e-mail through the generic e-mail template; returns Notify's notification id."""
    client = _client()
    try:
        return _send_email(client, to=to, subject=subject, body=body, reference=reference)
    finally:
        client.request_session.close()


def send_sms(*, phone_number: str, body: str, reference: str = "") -> str:
    """Send one text message through the generic text template; returns Notify's id.

    phone_number should already be normalised (E.164, e.g. +447700900123); Notify
    refuses anything that is not a UK mobile number (NotifyPermanentError)."""
    template_id = _template("NOTIFY_SMS_TEMPLATE_ID")
    client = _client()
    try:
        response = _call(
            client.send_sms_notification,
            phone_number=phone_number,
            template_id=template_id,
            personalisation={"body": body},
            reference=reference or None,
        )
    finally:
        client.request_session.close()
    return response["id"]


# GSM 03.38: the basic character set (one unit each) and its extension table (two units:
# an escape and the character). Text wholly in these goes as GSM 7-bit, 160 units in one
# message or 153 a part when split; anything else makes the whole text UCS-2, 70
# characters in one message or 67 a part.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
# Notify replaces these before sending (notifications-utils SanitiseSMS), so they never
# make a text UCS-2: curly quotes, dashes, the ellipsis, odd spaces and tabs.
NOTIFY_REPLACEMENTS = {
    "\u2011": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201a": "'",
    "\u201e": '"',
    "\u180e": "",
    "\u200b": "",
    "\u200c": "",
    "\u2060": "",
    "\ufeff": "",
    "\u2028": "",
    "\u2029": "",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
}


def sms_fragments(text: str) -> int:
    """How many SMS fragments (billed parts) this text takes, for the ledger's cost figures.

    Notify counts for itself when it sends; this mirrors it for our own records: its
    replacements first (a curly apostrophe counts as a straight one), then GSM 7-bit
    (extension characters such as € count twice) or, with any other character (a Welsh
    ŵ or ŷ, an emoji), UCS-2. Notify's optional "Service name: " prefix is not counted.
    """
    text = "".join(NOTIFY_REPLACEMENTS.get(character, character) for character in text)
    if not text:
        return 0
    if all(character in GSM_BASIC or character in GSM_EXTENSION for character in text):
        units = len(text) + sum(character in GSM_EXTENSION for character in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2  # a character beyond U+FFFF takes two
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


class NotifyEmailBackend(BaseEmailBackend):
    """Django e-mail through Notify: each message's subject and plain-text body, to each
    recipient, through the generic e-mail template.

    Notify takes no attachments (files go by link only), so attachments are left out; the
    HTML alternative is left out too, as Notify builds its own from the plain text. The
    header X-Portal-Reference, if present, becomes Notify's reference.
    Returns the number of messages sent to all their recipients.
    """

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        try:
            client = _client()
        except NotifyError:
            if not self.fail_silently:
                raise
            return 0
        sent = 0
        try:
            for message in email_messages:
                try:
                    if self._send(client, message):
                        sent += 1
                except NotifyError:
                    if not self.fail_silently:
                        raise
                    logger.warning("Could not send an e-mail through Notify", exc_info=True)
        finally:
            client.request_session.close()
        return sent

    def _send(self, client, message) -> bool:
        recipients = [parseaddr(address)[1] for address in message.recipients()]
        if not recipients:
            return False
        if message.attachments:
            logger.debug(
                "Notify takes no attachments: %d left out of %r",
                len(message.attachments),
                message.subject,
            )
        body = message.body
        if getattr(message, "content_subtype", "plain") == "html":
            body = strip_tags(body)
        reference = str(message.extra_headers.get(REFERENCE_HEADER, ""))
        for recipient in recipients:
            _send_email(
                client, to=recipient, subject=message.subject, body=body, reference=reference
            )
        return True


def _send_email(client, *, to: str, subject: str, body: str, reference: str) -> str:
    template_id = _template("NOTIFY_EMAIL_TEMPLATE_ID")
    response = _call(
        client.send_email_notification,
        email_address=to,
        template_id=template_id,
        personalisation={"subject": subject, "body": body},
        reference=reference or None,
    )
    return response["id"]


def _template(setting: str) -> str:
    template_id = getattr(settings, setting, "")
    if not template_id:
        raise NotifyPermanentError(f"{setting} is not set")
    return template_id


def _client() -> NotificationsAPIClient:
    """A client for one call or one batch (the official client is not thread-safe)."""
    api_key = getattr(settings, "NOTIFY_API_KEY", "")
    if not api_key:
        raise NotifyPermanentError("NOTIFY_API_KEY is not set")
    if not API_KEY_FORMAT.fullmatch(api_key):
        raise NotifyPermanentError(
            "NOTIFY_API_KEY is not a Notify API key (key name, service id, secret)"
        )
    return NotificationsAPIClient(api_key, base_url=settings.NOTIFY_BASE_URL, timeout=TIMEOUT)


def _call(method, **kwargs) -> dict:
    """Call the client, translating its failures into NotifyPermanentError or
    NotifyTemporaryError with Notify's own message."""
    try:
        return method(**kwargs)
    except HTTPError as error:
        raise _translated(error) from error
    except APIError as error:  # a 2xx answer that was not JSON: Notify may have taken it
        raise NotifyTemporaryError(
            f"Notify's answer could not be read: {error}", may_have_sent=True
        ) from error


def _translated(error: HTTPError) -> NotifyError:
    if error.response is None:  # no answer at all: the request failed on the way
        cause = error.__cause__
        detail = f"{type(cause).__name__}: {cause}" if cause else "Request failed"
        return NotifyTemporaryError(
            f"Could not reach Notify: {detail}", may_have_sent=not _never_reached(cause)
        )
    status = error.response.status_code
    errors = _notify_errors(error.response)
    message = "; ".join(e["message"] for e in errors if e.get("message")) or (
        f"HTTP {status} {error.response.reason or ''}".strip()
    )
    if status == 429 or status >= 500:
        return NotifyTemporaryError(message, status_code=status, errors=errors)
    return NotifyPermanentError(message, status_code=status, errors=errors)


def _notify_errors(response) -> list[dict]:
    """Notify's error body: {"status_code": 400, "errors": [{"error": ..., "message": ...}]}."""
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [
        {"error": str(e.get("error", "")), "message": str(e.get("message", ""))}
        for e in errors
        if isinstance(e, dict)
    ]


def _never_reached(cause) -> bool:
    """The request cannot have reached Notify: no connection was ever made (refused,
    unknown host, connect timeout, TLS handshake failed)."""
    if isinstance(cause, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True
    if isinstance(cause, requests.ConnectionError) and cause.args:
        inner = cause.args[0]
        return isinstance(inner, MaxRetryError) and isinstance(inner.reason, NewConnectionError)
    return False
