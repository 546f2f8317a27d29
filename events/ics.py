"""iCalendar files that Google, Outlook and Apple Calendar accept: Europe/London times with
a VTIMEZONE, stable UIDs, a reminder alarm in each event, cancelled ones marked cancelled.

One UID per event everywhere (the event's own file, the private feed, the file attached to
emails), so a calendar that has it from two of them shows it once and updates it in place.
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


def _vevent(event: Event, *, status: str, join_url: str = "") -> IcsEvent:
    vevent = IcsEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.starts_at.astimezone(LONDON))
    vevent.add("dtend", event.ends_at.astimezone(LONDON))
    vevent.add("summary", event.shown.title)
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
    vevent.add("sequence", int(event.updated_at.timestamp()) if event.updated_at else 0)
    vevent.add("last-modified", event.updated_at or timezone.now())
    if status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Reminder: %(title)s") % {"title": event.shown.title})
        alarm.add("trigger", -REMINDER_BEFORE)
        vevent.add_component(alarm)
    return vevent


def event_calendar(event: Event, *, join_url: str = "") -> bytes:
    """One event. `join_url` only for someone with a confirmed place (Booking.join_link)."""
    cal = _calendar(event.shown.title)
    status = "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"
    cal.add_component(_vevent(event, status=status, join_url=join_url))
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
        cal.add_component(_vevent(event, status=status, join_url=booking.join_link))
    cal.add_missing_timezones()
    return cal.to_ical()
