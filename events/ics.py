"""iCalendar files that Google, Outlook and Apple Calendar accept: Europe/London times with
a VTIMEZONE, stable UIDs, a reminder alarm in each event, cancelled ones marked cancelled.

One UID per event everywhere (the event's own file, the private feed, the file attached to
emails), so a calendar that has it from two of them shows it once and updates it in place.
A course has one VEVENT per session, each with its own UID (`session_uid`); each date of a
series is an event of its own, with its own UID.
The join link goes only into files for someone with a confirmed place (Booking.join_link)."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as IcsEvent

from core.mail import absolute_url
from events.models import Booking, Event

LONDON = ZoneInfo("Europe/London")
REMINDER_BEFORE = datetime.timedelta(hours=1)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "kinship-portal"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Kinship Portal//Events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    return cal


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{_host()}"


def session_uid(event: Event, session) -> str:
    """A course's session: a VEVENT of its own in every calendar."""
    return f"event-{event.pk}-session-{session.pk}@{_host()}"


def _vevents(event: Event, *, status: str, join_url: str = "") -> list[IcsEvent]:
    """The event's VEVENT; for a course, one for each session (a cancelled one marked
    cancelled, so calendars take it away). The course's sessions come from
    `event.sessions.all()`, prefetched by whoever lists many."""
    from events.dates import numbered

    sessions = numbered(event.sessions.all())
    if not sessions:
        return [_vevent(event, status=status, join_url=join_url)]
    return [
        _vevent(event, status=status, join_url=join_url, session=session, count=len(sessions))
        for session in sessions
    ]


def _vevent(
    event: Event, *, status: str, join_url: str = "", session=None, count: int = 0
) -> IcsEvent:
    vevent = IcsEvent()
    title = event.shown.title
    updated = event.updated_at
    if session is None:
        vevent.add("uid", event_uid(event))
        starts_at, ends_at = event.starts_at, event.ends_at
    else:
        vevent.add("uid", session_uid(event, session))
        starts_at, ends_at = session.starts_at, session.ends_at
        title = _("%(title)s (session %(number)s of %(count)s)") % {
            "title": title,
            "number": session.number,
            "count": count,
        }
        if session.cancelled_at is not None:
            status = "CANCELLED"
            updated = max(filter(None, [updated, session.cancelled_at]))
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", starts_at.astimezone(LONDON))
    vevent.add("dtend", ends_at.astimezone(LONDON))
    vevent.add("summary", title)
    url = absolute_url(event.get_absolute_url())
    lines = [event.shown.summary, "", _("Details: %(url)s") % {"url": url}]
    if join_url:
        lines.append(_("Join online: %(url)s") % {"url": join_url})
    vevent.add("description", "\n".join(lines))
    vevent.add("url", join_url or url)
    if event.has_venue and (event.venue_name or event.venue_address):
        vevent.add(
            "location",
            ", ".join(p for p in [event.venue_name, " ".join(event.venue_address.split())] if p),
        )
    elif event.is_online:
        vevent.add("location", join_url or _("Online"))
    vevent.add("status", status)
    vevent.add("sequence", int(updated.timestamp()) if updated else 0)
    vevent.add("last-modified", updated or timezone.now())
    if status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Reminder: %(title)s") % {"title": title})
        alarm.add("trigger", -REMINDER_BEFORE)
        vevent.add_component(alarm)
    return vevent


def event_calendar(event: Event, *, join_url: str = "") -> bytes:
    """One event. `join_url` only for someone with a confirmed place (Booking.join_link)."""
    cal = _calendar(event.shown.title)
    status = "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"
    for vevent in _vevents(event, status=status, join_url=join_url):
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


BOOKING_STATUS = {
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.WAITLISTED: "TENTATIVE",
    Booking.Status.CANCELLED: "CANCELLED",
}


def _latest_per_event(bookings) -> list[Booking]:
    """One booking per event, as one UID may appear once: the active one, or else the latest
    cancelled one (someone who cancelled and booked again has both)."""
    chosen: dict[int, Booking] = {}
    for booking in bookings:
        kept = chosen.get(booking.event_id)
        if kept is None or (booking.is_active, booking.created_at, booking.pk) > (
            kept.is_active,
            kept.created_at,
            kept.pk,
        ):
            chosen[booking.event_id] = booking
    return list(chosen.values())


def bookings_calendar(bookings) -> bytes:
    """A carer's private feed: each booking's event, with the join link only for confirmed places."""
    cal = _calendar(_("Kinship Portal bookings"))
    for booking in _latest_per_event(bookings):
        event = booking.event
        status = (
            "CANCELLED"
            if event.status == Event.Status.CANCELLED
            else BOOKING_STATUS[booking.status]
        )
        for vevent in _vevents(event, status=status, join_url=booking.join_link):
            cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
