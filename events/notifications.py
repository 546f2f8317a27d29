"""What carers are told about their bookings, as notifications claimed once each.

The functions at the top are called by events.services inside their transactions; the
builders below run in the worker and render each message from the current data.
"""

import datetime
import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import govuk_notify
from core.mail import absolute_url, render_email, render_text_message
from core.models import Notification
from core.notify import builds, common_context, notify
from core.templatetags.portal import short_datetime
from events.models import Booking, Event, EventMessage
from events.selectors import message_bookings
from events.tokens import booking_calendar_url, cancel_url

Kind = Notification.Kind


def _booking_key(booking) -> str:
    return f"booking:{booking.pk}"


def booking_confirmed(booking) -> None:
    notify(kind=Kind.BOOKING_CONFIRMED, recipient=booking.user, key=_booking_key(booking))


def booking_waitlisted(booking) -> None:
    notify(kind=Kind.BOOKING_WAITLISTED, recipient=booking.user, key=_booking_key(booking))


def booking_promoted(booking) -> None:
    notify(kind=Kind.BOOKING_PROMOTED, recipient=booking.user, key=_booking_key(booking))


def booking_cancelled(booking, *, was_confirmed: bool) -> None:
    notify(
        kind=Kind.BOOKING_CANCELLED,
        recipient=booking.user,
        key=_booking_key(booking),
        payload={"was_confirmed": was_confirmed},
    )


def event_cancelled(booking) -> None:
    notify(kind=Kind.EVENT_CANCELLED, recipient=booking.user, key=_booking_key(booking))


def event_message(message: EventMessage, *, recipient) -> Notification | None:
    """Claim a content admin's message to one person (None if it was already claimed)."""
    return notify(kind=Kind.EVENT_MESSAGE, recipient=recipient, key=message.notification_key)


def join_link_digest(link: str) -> str:
    """A short fingerprint of a join link: the same link is mailed once, a new one again."""
    return hashlib.sha256(link.encode()).hexdigest()[:16]


def join_link(booking, *, changed: bool) -> Notification | None:
    """Claim the e-mail giving a confirmed person the event's join link, once per link."""
    event = booking.event
    return notify(
        kind=Kind.JOIN_LINK,
        recipient=booking.user,
        key=f"join-link:{event.pk}:{join_link_digest(event.join_url)}",
        payload={"changed": changed},
    )


def reminder_key(booking, before: datetime.timedelta, *, session=None) -> str:
    """One reminder per booking and time before; for a course, per session as well."""
    minutes = int(before.total_seconds() // 60)
    if session is not None:
        return f"booking:{booking.pk}:session:{session.pk}:before:{minutes}"
    return f"booking:{booking.pk}:before:{minutes}"


# Builders: run by the worker -------------------------------------------------------------


def _booking(notification) -> Booking | None:
    booking_id = int(notification.key.split(":")[1])
    return (
        Booking.objects.select_related("event", "event__recording", "user")
        .filter(pk=booking_id, user=notification.recipient)
        .first()
    )


def _context(booking: Booking, **extra) -> dict:
    from events.series_notifications import course_context

    event = booking.event
    return {
        **common_context(booking.user),
        "booking": booking,
        "event": event,
        "event_url": absolute_url(event.get_absolute_url()),
        "ics_url": booking_calendar_url(booking)
        if govuk_notify.sends_email()
        else absolute_url(reverse("events:ics", args=[event.slug])),
        "dashboard_url": absolute_url(reverse("portal:dashboard")),
        "cancel_url": cancel_url(booking),
        **course_context(event),  # a course: its sessions, for the details
        **extra,
    }


def _with_calendar(message: dict, booking: Booking) -> dict:
    """The booking's calendar file, attached; through GOV.UK Notify, which takes no
    attachments, the e-mail's calendar link is already the person's own (see _context)."""
    from events.ics import bookings_calendar

    if govuk_notify.sends_email():
        return message
    message["attachments"] = [
        (f"{booking.event.slug}.ics", bookings_calendar([booking]).decode(), "text/calendar")
    ]
    return message


def _with_text(message: dict, template: str, booking: Booking) -> dict:
    """The text message for those who chose texts: the event, when, and its page."""
    event = booking.event  # for a course's reminder, the course with this session's times
    message["sms"] = render_text_message(
        f"events/{template}",
        {
            "event": event,
            "when": short_datetime(event.starts_at),
            "event_url": absolute_url(reverse("events:short", args=[event.pk])),
        },
    )
    return message


def _simple(template: str, *, calendar: bool = False, text: bool = False):
    def build(notification) -> dict | None:
        booking = _booking(notification)
        if booking is None:
            return None
        message = render_email(f"events/{template}", _context(booking, **notification.payload))
        if text:
            message = _with_text(message, template, booking)
        return _with_calendar(message, booking) if calendar else message

    return build


builds(Kind.BOOKING_CONFIRMED)(_simple("booking_confirmed", calendar=True, text=True))
builds(Kind.BOOKING_WAITLISTED)(_simple("booking_waitlisted"))
builds(Kind.BOOKING_PROMOTED)(_simple("booking_promoted", calendar=True, text=True))
builds(Kind.BOOKING_CANCELLED)(_simple("booking_cancelled"))


@builds(Kind.EVENT_CANCELLED)
def build_event_cancelled(notification) -> dict | None:
    """For one date of a series, the e-mail also says the other dates go ahead, and when
    the next one is."""
    from events.series_notifications import next_date_context

    booking = _booking(notification)
    if booking is None:
        return None
    message = render_email(
        "events/event_cancelled", _context(booking, **next_date_context(booking))
    )
    return _with_text(message, "event_cancelled", booking)


@builds(Kind.EVENT_REMINDER)
def build_reminder(notification) -> dict | None:
    """Only for a place still confirmed, an event still on and not started, reminders still wanted.

    A course's reminder is for one session (its key names it): only while that session is
    on, and written with the session's date and times."""
    from events.series_notifications import session_of_reminder

    booking = _booking(notification)
    if booking is None or booking.status != Booking.Status.CONFIRMED:
        return None
    extra = {}
    if ":session:" in notification.key:
        extra = session_of_reminder(booking, notification.key)
        if extra is None:
            return None
        booking.event = extra["event"]  # the course, with this session's date and times
    event = booking.event
    user = booking.user
    # A professional's choice is on their professional profile, a carer's on their carer one.
    profile = getattr(
        user, "professional_profile" if user.is_professional else "carer_profile", None
    )
    if event.status != Event.Status.PUBLISHED or event.starts_at <= timezone.now():
        return None
    if profile is not None and not profile.reminders_enabled:
        return None
    message = render_email(
        "events/reminder", _context(booking, starts_in=event.starts_at - timezone.now(), **extra)
    )
    return _with_text(message, "reminder", booking)


@builds(Kind.JOIN_LINK)
def build_join_link(notification) -> dict | None:
    """Only while the person has a confirmed place, the event is on and not over, and the
    link is still the one this was claimed for (a newer link has its own e-mail)."""
    _prefix, event_id, digest = notification.key.split(":")
    booking = (
        Booking.objects.select_related("event", "user")
        .filter(
            event_id=int(event_id),
            user=notification.recipient,
            status=Booking.Status.CONFIRMED,
        )
        .first()
    )
    if booking is None or booking.event.has_ended:
        return None
    link = booking.join_link
    if not link or join_link_digest(link) != digest:
        return None
    return render_email("events/join_link", _context(booking, **notification.payload))


@builds(Kind.FEEDBACK_REQUEST)
def build_feedback_request(notification) -> dict | None:
    from events.tokens import feedback_url

    booking = _booking(notification)
    if booking is None or booking.status != Booking.Status.CONFIRMED or booking.attended is False:
        return None
    recording = booking.event.recording_for(booking.user)  # a staff-only one is not linked
    return render_email(
        "events/feedback_request",
        _context(
            booking,
            feedback_url=feedback_url(booking),
            recording_url=absolute_url(recording.get_absolute_url()) if recording else "",
        ),
    )


@builds(Kind.EVENT_MESSAGE)
def build_event_message(notification) -> dict | None:
    """What a content admin wrote, word for word, to someone still in the group it was for
    (anyone who has left it since is skipped); the words around it in their language."""
    message_id = int(notification.key.split(":")[1])
    message = EventMessage.objects.select_related("event").filter(pk=message_id).first()
    if message is None:
        return None
    booking = (
        message_bookings(event_id=message.event_id, audience=message.audience)
        .filter(user=notification.recipient)
        .first()
    )
    if booking is None:
        return None
    event = message.event
    return render_email(
        "events/event_message",
        {
            **common_context(notification.recipient),
            "message": message,
            "event": event,
            "booking": booking,
            "event_url": absolute_url(event.get_absolute_url()),
        },
    )


def reminder_offsets() -> list[datetime.timedelta]:
    """When to remind, longest first: settings.EVENT_REMINDERS (default 2 days and 2 hours)."""
    return sorted(settings.EVENT_REMINDERS, reverse=True)


# The e-mails of series and courses register with the ledger too.
from events import series_notifications  # noqa: E402, F401
