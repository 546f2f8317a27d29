"""What people are told about series and courses, as notifications claimed once each.

- series_booked: one e-mail for every date of a series booked at once (series_book_all),
  with one calendar file holding each date, instead of one confirmation per date.
- session_cancelled: one session of a course is called off; the course goes ahead.
- For the e-mails of events.notifications: the next date of a series when one date is
  cancelled, and the session a course's reminder is for.

Claimed inside the services' transactions; the builders run in the worker and read the
current data, so a date cancelled meanwhile is left out.
"""

import copy

from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url, render_email
from core.models import Notification
from core.notify import builds, common_context, notify
from events.models import Booking, Event, EventSession
from events.tokens import cancel_url

Kind = Notification.Kind
ACTIVE = [Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]


def series_booked(bookings: list[Booking]) -> Notification | None:
    """Claim the one e-mail for these bookings, made together on dates of one series."""
    first = min(bookings, key=lambda booking: booking.pk)
    return notify(
        kind=Kind.SERIES_BOOKED,
        recipient=first.user,
        key=f"series-booking:{first.pk}",
        payload={"bookings": sorted(booking.pk for booking in bookings)},
    )


def session_cancelled(booking: Booking, session: EventSession) -> Notification | None:
    """Claim telling someone with a place on a course that one session is off: once per
    person and session."""
    return notify(
        kind=Kind.SESSION_CANCELLED,
        recipient=booking.user,
        key=f"session:{session.pk}",
        payload={"booking": booking.pk},
    )


# Builders: run by the worker -------------------------------------------------------------


@builds(Kind.SERIES_BOOKED)
def build_series_booked(notification) -> dict | None:
    """The dates still booked (a date cancelled since is left out), each with its place or
    waiting list, and a calendar file with a VEVENT for each date with a place."""
    from events.ics import bookings_calendar

    bookings = list(
        Booking.objects.filter(
            pk__in=notification.payload.get("bookings", []),
            user=notification.recipient,
            status__in=ACTIVE,
            event__status=Event.Status.PUBLISHED,
        )
        .select_related("event", "event__series", "user")
        .order_by("event__starts_at", "event_id")
    )
    if not bookings:
        return None
    confirmed = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
    for booking in bookings:
        booking.event_url = absolute_url(booking.event.get_absolute_url())
        booking.cancel_url = cancel_url(booking)
    first = bookings[0]
    message = render_email(
        "events/series_booked",
        {
            **common_context(notification.recipient),
            "series": first.event.series,
            "event": first.event,
            "bookings": bookings,
            "confirmed": confirmed,
            "waiting": [b for b in bookings if b.status == Booking.Status.WAITLISTED],
            "booking": first,  # its access needs and places, the same for every date
            "dashboard_url": absolute_url(reverse("portal:dashboard")),
        },
    )
    if confirmed:
        slug = first.event.series.title if first.event.series else first.event.slug
        message["attachments"] = [
            (f"{_filename(slug)}.ics", bookings_calendar(confirmed).decode(), "text/calendar")
        ]
    return message


def _filename(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:60] or "events"


@builds(Kind.SESSION_CANCELLED)
def build_session_cancelled(notification) -> dict | None:
    """Only while the person still has a confirmed place on a course that is on, and the
    session is still cancelled: with the sessions still to come and the updated calendar."""
    from events.dates import numbered
    from events.ics import bookings_calendar

    session_id = int(notification.key.split(":")[1])
    session = EventSession.objects.select_related("event").filter(pk=session_id).first()
    booking = (
        Booking.objects.select_related("event", "user")
        .filter(
            pk=notification.payload.get("booking"),
            user=notification.recipient,
            status=Booking.Status.CONFIRMED,
            event__status=Event.Status.PUBLISHED,
        )
        .first()
    )
    if session is None or session.cancelled_at is None or booking is None:
        return None
    if booking.event_id != session.event_id:
        return None
    event = booking.event
    sessions = numbered(event.sessions.order_by("starts_at", "pk"))
    number = next(s.number for s in sessions if s.pk == session.pk)
    now = timezone.now()
    to_come = [s for s in sessions if s.cancelled_at is None and s.ends_at > now]
    message = render_email(
        "events/session_cancelled",
        {
            **common_context(notification.recipient),
            "booking": booking,
            "event": event,
            "session": session,
            "session_number": number,
            "session_count": len(sessions),
            "sessions_to_come": to_come,
            "event_url": absolute_url(event.get_absolute_url()),
            "cancel_url": cancel_url(booking),
        },
    )
    message["attachments"] = [
        (f"{event.slug}.ics", bookings_calendar([booking]).decode(), "text/calendar")
    ]
    return message


# For the e-mails of events.notifications --------------------------------------------------


def course_context(event: Event) -> dict:
    """A course's `sessions` (numbered, cancelled ones too), for the details in every e-mail
    about a booking of it; empty for a single event."""
    from events.dates import numbered

    sessions = numbered(EventSession.objects.filter(event=event.pk).order_by("starts_at", "pk"))
    return {"sessions": sessions} if sessions else {}


def next_date_context(booking: Booking) -> dict:
    """For the e-mail saying one date of a series is cancelled: the next date still on
    (`next_date`, its `next_date_url`) and whether they have a place or a waiting list
    place on it (`next_date_booked`). Empty for an event not in a series."""
    event = booking.event
    if event.series_id is None:
        return {}
    following = (
        Event.objects.filter(
            series_id=event.series_id,
            status=Event.Status.PUBLISHED,
            starts_at__gt=timezone.now(),
        )
        .exclude(pk=event.pk)
        .order_by("starts_at", "pk")
        .first()
    )
    if following is None:
        return {}
    return {
        "next_date": following,
        "next_date_url": absolute_url(following.get_absolute_url()),
        "next_date_booked": following.bookings.filter(
            user=booking.user_id, status__in=ACTIVE
        ).exists(),
    }


def session_of_reminder(booking: Booking, key: str) -> dict | None:
    """For a reminder of one session of a course (key "booking:<id>:session:<id>:before:<m>"):
    the course as `event`, with that session's start and end, the `session`, its
    `session_number` and the `session_count`. None when the session is off or gone."""
    from events.dates import numbered

    session_id = int(key.split(":")[3])
    sessions = numbered(
        EventSession.objects.filter(event=booking.event_id).order_by("starts_at", "pk")
    )
    session = next((s for s in sessions if s.pk == session_id), None)
    if session is None or session.cancelled_at is not None:
        return None
    course = copy.copy(booking.event)
    course.starts_at, course.ends_at = session.starts_at, session.ends_at
    return {
        "event": course,
        "session": session,
        "session_number": session.number,
        "session_count": len(sessions),
    }
