"""iCalendar files parse back with the icalendar library, with London times, UIDs and alarms."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from events import services
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_event_ics_is_valid_and_in_london_time(client):
    event = EventFactory(
        title="Winter workshop",
        starts_at=datetime.datetime(2026, 12, 10, 11, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 12, 10, 12, 30, tzinfo=LONDON),
    )
    cal = _parse(client.get(reverse("events:ics", args=[event.slug])))
    assert cal.get("version") == "2.0"
    assert [tz.get("tzid") for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    [vevent] = cal.walk("VEVENT")
    assert str(vevent.get("summary")) == "Winter workshop"
    start = vevent.decoded("dtstart")
    assert start == datetime.datetime(2026, 12, 10, 11, 0, tzinfo=LONDON)
    assert vevent["dtstart"].params["TZID"] == "Europe/London"
    assert str(vevent.get("uid")).startswith(f"event-{event.pk}@")
    assert str(vevent.get("status")) == "CONFIRMED"
    [alarm] = vevent.walk("VALARM")
    assert alarm.decoded("trigger") == -datetime.timedelta(hours=1)
    assert (
        event.join_url not in client.get(reverse("events:ics", args=[event.slug])).content.decode()
    )


def test_summer_event_keeps_its_bst_wall_time(client):
    event = EventFactory(starts_at=datetime.datetime(2027, 7, 1, 19, 0, tzinfo=LONDON))
    [vevent] = _parse(client.get(reverse("events:ics", args=[event.slug]))).walk("VEVENT")
    assert vevent.decoded("dtstart").astimezone(datetime.UTC).hour == 18


def test_private_feed_lists_my_bookings_with_status(client, carer):
    booked = EventFactory(title="Booked one")
    cancelled = EventFactory(title="Cancelled one")
    full = EventFactory(title="Full one", capacity=1)
    services.booking_create(event=full, user=CarerProfileFactory().user)
    mine = services.booking_create(event=booked, user=carer)
    services.booking_cancel(booking=services.booking_create(event=cancelled, user=carer))
    services.booking_create(event=full, user=carer)

    token = carer.carer_profile.calendar_token
    cal = _parse(client.get(reverse("events:feed", args=[token])))
    events = {str(v.get("summary")): v for v in cal.walk("VEVENT")}
    assert set(events) == {"Booked one", "Cancelled one", "Full one"}
    assert str(events["Booked one"].get("status")) == "CONFIRMED"
    assert str(events["Cancelled one"].get("status")) == "CANCELLED"
    assert str(events["Full one"].get("status")) == "TENTATIVE"
    assert str(events["Booked one"].get("uid")) == f"event-{mine.event.pk}@testserver"
    assert booked.join_url in str(events["Booked one"].get("description"))
    assert full.join_url not in str(events["Full one"].get("description"))
    assert not events["Cancelled one"].walk("VALARM")
    assert events["Booked one"].walk("VALARM")


def test_feed_token_cannot_read_someone_elses_bookings(client, carer):
    other = CarerProfileFactory().user
    services.booking_create(event=EventFactory(title="Their secret workshop"), user=other)
    services.booking_create(event=EventFactory(title="My workshop"), user=carer)
    mine = client.get(
        reverse("events:feed", args=[carer.carer_profile.calendar_token])
    ).content.decode()
    assert "My workshop" in mine and "Their secret workshop" not in mine
    assert client.get(reverse("events:feed", args=["guessed-token"])).status_code == 404
    assert len(carer.carer_profile.calendar_token) >= 32


def test_resetting_the_feed_token_stops_the_old_address(carer_client, carer):
    old = carer.carer_profile.calendar_token
    response = carer_client.post(reverse("events:feed_reset"))
    assert response.status_code == 302
    carer.carer_profile.refresh_from_db()
    assert carer.carer_profile.calendar_token != old
    assert carer_client.get(reverse("events:feed", args=[old])).status_code == 404
    assert (
        carer_client.get(
            reverse("events:feed", args=[carer.carer_profile.calendar_token])
        ).status_code
        == 200
    )
