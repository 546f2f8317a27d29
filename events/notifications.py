"""What carers are told about their bookings. Mail is queued after the transaction commits."""

from django.urls import reverse

from core.mail import absolute_url, queue_email, render_email
from events.tokens import cancel_url


def _send(template: str, booking, **extra) -> None:
    event = booking.event
    context = {
        "booking": booking,
        "event": event,
        "user": booking.user,
        "event_url": absolute_url(event.get_absolute_url()),
        "ics_url": absolute_url(reverse("events:ics", args=[event.slug])),
        "dashboard_url": absolute_url(reverse("carers:dashboard")),
        "preferences_url": absolute_url(reverse("carers:profile_edit")),
        "cancel_url": cancel_url(booking),
        **extra,
    }
    queue_email(to=[booking.user.email], **render_email(f"events/{template}", context))


def booking_confirmed(booking) -> None:
    _send("booking_confirmed", booking)


def booking_waitlisted(booking) -> None:
    _send("booking_waitlisted", booking)


def booking_promoted(booking) -> None:
    _send("booking_promoted", booking)


def booking_cancelled(booking, *, was_confirmed: bool) -> None:
    _send("booking_cancelled", booking, was_confirmed=was_confirmed)


def event_cancelled(booking) -> None:
    _send("event_cancelled", booking)
