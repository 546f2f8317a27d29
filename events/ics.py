"""iCalendar files that Google, Outlook and Apple Calendar accept: Europe/London times with
a VTIMEZONE, stable UIDs, a reminder alarm in each event, cancelled ones marked cancelled."""

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


def _vevent(event: Event, *, uid: str, status: str, join_url: str = "") -> IcsEvent:
    vevent = IcsEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.starts_at.astimezone(LONDON))
    vevent.add("dtend", event.ends_at.astimezone(LONDON))
    vevent.add("summary", event.shown.title)
    url = absolute_url(event.get_absolute_url())
    lines = [event.shown.summary, "", _("Details: %(url)s") % {"url": url}]
    if join_url:
        lines.append(_("Join online: %(url)s") % {"url": join_url})
    vevent.add("description", "\n".join(lines))
    vevent.add("url", url)
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


def event_calendar(event: Event) -> bytes:
    """One event, for anyone: no join link."""
    cal = _calendar(event.shown.title)
    status = "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"
    cal.add_component(_vevent(event, uid=f"event-{event.pk}@{_host()}", status=status))
    cal.add_missing_timezones()
    return cal.to_ical()


BOOKING_STATUS = {
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.WAITLISTED: "TENTATIVE",
    Booking.Status.CANCELLED: "CANCELLED",
}


def bookings_calendar(bookings) -> bytes:
    """A carer's private feed: each booking's event, with the join link only for confirmed places."""
    cal = _calendar(_("Kinship Portal bookings"))
    for booking in bookings:
        event = booking.event
        status = (
            "CANCELLED"
            if event.status == Event.Status.CANCELLED
            else BOOKING_STATUS[booking.status]
        )
        join = (
            event.join_url if booking.status == Booking.Status.CONFIRMED and event.is_online else ""
        )
        cal.add_component(
            _vevent(event, uid=f"booking-{booking.pk}@{_host()}", status=status, join_url=join)
        )
    cal.add_missing_timezones()
    return cal.to_ical()
