"""Signed one-click links in emails: "I can no longer come" works without signing in."""

from django.core import signing
from django.urls import reverse

from core.mail import absolute_url

CANCEL_SALT = "events.booking-cancel"


def cancel_token(booking) -> str:
    return signing.dumps({"booking": booking.pk, "user": booking.user_id}, salt=CANCEL_SALT)


def cancel_url(booking) -> str:
    return absolute_url(reverse("events:cancel_by_link", args=[cancel_token(booking)]))


FEEDBACK_SALT = "events.booking-feedback"


def feedback_url(booking) -> str:
    token = signing.dumps({"booking": booking.pk, "user": booking.user_id}, salt=FEEDBACK_SALT)
    return absolute_url(reverse("events:feedback", args=[token]))


CALENDAR_SALT = "events.booking-calendar"


def booking_calendar_url(booking) -> str:
    """A link to this person's own calendar file for one booking: what e-mails sent through
    GOV.UK Notify carry instead of attaching the file (Notify takes no attachments)."""
    token = signing.dumps({"booking": booking.pk, "user": booking.user_id}, salt=CALENDAR_SALT)
    return absolute_url(reverse("events:booking_calendar", args=[token]))


def booking_id_from_token(token: str, *, salt: str = CANCEL_SALT) -> tuple[int, int] | None:
    """The booking and user a token was made for, or None if it was tampered with."""
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("booking"), int):
        return None
    return data["booking"], data.get("user")
