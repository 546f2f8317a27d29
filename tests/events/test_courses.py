"""Courses: one event with sessions, booked once for all of them, with a calendar entry and
reminders for each session, and a session that can be called off on its own."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from core.models import Notification
from events import ics, services
from events.models import Booking, Event, EventSession
from events.services import series as series_services
from events.tasks import send_due_reminders
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
SUMMARY = "6 sessions, Tuesdays 5 January to 9 February 2027, 10am to midday"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def content_admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


def make_course(**fields) -> Event:
    """Six Tuesday mornings from 5 January 2027, 10am to midday, online."""
    event = EventFactory(
        title="Parenting with confidence",
        kind="training",
        starts_at=at(2027, 1, 5, 10, 0),
        ends_at=at(2027, 1, 5, 12, 0),
        **fields,
    )
    series_services.course_sessions_add(event=event, frequency="weekly", interval=1, count=6)
    event.refresh_from_db()
    return event


def sessions(event) -> list[EventSession]:
    return list(event.sessions.order_by("starts_at"))


def test_sessions_made_by_a_rule_make_the_course_run_from_first_to_last():
    course = make_course()
    assert [s.starts_at.astimezone(LONDON).date().isoformat() for s in sessions(course)] == [
        "2027-01-05",
        "2027-01-12",
        "2027-01-19",
        "2027-01-26",
        "2027-02-02",
        "2027-02-09",
    ]
    assert course.starts_at == at(2027, 1, 5, 10, 0)
    assert course.ends_at == at(2027, 2, 9, 12, 0)
    with pytest.raises(services.BookingError, match="already has sessions"):
        series_services.course_sessions_add(event=course, frequency="weekly", count=2)


def test_the_course_page_lists_every_session(client):
    course = make_course()
    page = client.get(course.get_absolute_url()).content.decode()
    assert SUMMARY in page
    for day in ("5 January", "12 January", "19 January", "26 January", "2 February", "9 February"):
        assert f"Tuesday {day} 2027, 10am to midday" in page
    assert "One booking is for every session." in page


def test_a_course_is_one_place_across_every_session():
    course = make_course(capacity=2)
    people = [CarerProfileFactory().user for _ in range(3)]
    statuses = [services.booking_create(event=course, user=p).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert Booking.objects.count() == 3  # one booking each, not one per session
    assert Event.objects.with_places().get(pk=course.pk).places_left() == 0

    # A place given back goes to the waiting list for the whole course.
    services.booking_cancel(booking=Booking.objects.get(user=people[0]))
    assert Booking.objects.get(user=people[2]).status == "confirmed"


def _uids(content: bytes) -> list[str]:
    return [str(v["uid"]) for v in Calendar.from_ical(content).walk("VEVENT")]


def test_each_session_is_a_vevent_of_its_own_with_the_join_link_only_for_bookers(client):
    course = make_course()
    expected = [ics.session_uid(course, s) for s in sessions(course)]
    assert expected[0] == f"event-{course.pk}-session-{sessions(course)[0].pk}@{ics._host()}"

    visitor = client.get(reverse("events:ics", args=[course.slug]))
    assert _uids(visitor.content) == expected
    assert course.join_url not in visitor.content.decode()
    first = Calendar.from_ical(visitor.content).walk("VEVENT")[0]
    assert str(first["summary"]) == "Parenting with confidence (session 1 of 6)"
    assert first.decoded("dtstart") == at(2027, 1, 5, 10, 0)
    assert first.decoded("dtend") == at(2027, 1, 5, 12, 0)

    profile = CarerProfileFactory()
    services.booking_create(event=course, user=profile.user)
    single = EventFactory()
    services.booking_create(event=single, user=profile.user)
    client.force_login(profile.user)
    booked = Calendar.from_ical(client.get(reverse("events:ics", args=[course.slug])).content)
    assert all(course.join_url in str(v["description"]) for v in booked.walk("VEVENT"))

    client.logout()
    feed = client.get(reverse("events:feed", args=[profile.calendar_token])).content
    uids = _uids(feed)
    assert sorted(uids) == sorted([*expected, ics.event_uid(single)])
    assert len(uids) == len(set(uids))  # each once


def test_the_feed_of_someone_waiting_has_no_join_link(client):
    course = make_course(capacity=1)
    services.booking_create(event=course, user=CarerProfileFactory().user)
    waiting = CarerProfileFactory()
    services.booking_create(event=course, user=waiting.user)
    feed = client.get(reverse("events:feed", args=[waiting.calendar_token])).content
    vevents = Calendar.from_ical(feed).walk("VEVENT")
    assert len(vevents) == 6
    assert {str(v["status"]) for v in vevents} == {"TENTATIVE"}
    assert course.join_url not in feed.decode()


def _run(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_due_reminders()


def test_each_session_has_its_reminders_once(time_machine, django_capture_on_commit_callbacks):
    course = make_course()
    booking = services.booking_create(event=course, user=CarerProfileFactory().user)
    first, second = sessions(course)[:2]
    mail.outbox.clear()

    time_machine.move_to(first.starts_at - datetime.timedelta(days=2, minutes=-3), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 1
    assert _run(django_capture_on_commit_callbacks) == 0  # beat fires again
    time_machine.move_to(first.starts_at - datetime.timedelta(hours=1, minutes=50), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 1
    time_machine.move_to(second.starts_at - datetime.timedelta(days=2, minutes=-3), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 1

    keys = set(Notification.objects.filter(kind="event_reminder").values_list("key", flat=True))
    assert keys == {
        f"booking:{booking.pk}:session:{first.pk}:before:2880",
        f"booking:{booking.pk}:session:{first.pk}:before:120",
        f"booking:{booking.pk}:session:{second.pk}:before:2880",
    }
    assert [m.subject for m in mail.outbox] == [
        "Reminder: Parenting with confidence is on Tuesday 5 January 2027",
        "Reminder: Parenting with confidence is today at 10am",
        "Reminder: Parenting with confidence is on Tuesday 12 January 2027",
    ]
    assert "This is session 2 of 6 of the course." in mail.outbox[2].body
    assert "Tuesday 12 January 2027, 10am" in mail.outbox[2].body


def test_cancelling_a_session_tells_the_confirmed_bookers_once(
    time_machine, django_capture_on_commit_callbacks
):
    course = make_course(capacity=2)
    ann = CarerProfileFactory(user__email="ann@example.org").user
    bob = CarerProfileFactory(user__email="bob@example.org").user
    cat = CarerProfileFactory(user__email="cat@example.org").user
    for person in (ann, bob, cat):
        services.booking_create(event=course, user=person)  # Cat is waiting
    third = sessions(course)[2]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert series_services.session_cancel(session=third) == 2
        assert series_services.session_cancel(session=third) == 0  # already cancelled

    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    message = mail.outbox[0]
    assert (
        message.subject == "Session cancelled: Parenting with confidence on Tuesday 19 January 2027"
    )
    assert (
        "session 3 of 6 of Parenting with confidence, on Tuesday 19 January 2027, 10am to "
        "midday, has been cancelled" in message.body
    )
    assert "Session 4: Tuesday 26 January 2027, 10am to midday" in message.body
    [(_name, content, _type)] = message.attachments
    statuses = {str(v["uid"]): str(v["status"]) for v in Calendar.from_ical(content).walk("VEVENT")}
    assert statuses[ics.session_uid(course, third)] == "CANCELLED"
    assert list(statuses.values()).count("CONFIRMED") == 5
    # Everyone keeps their place on the course.
    assert Booking.objects.filter(event=course, status="confirmed").count() == 2

    # No reminders for the cancelled session.
    time_machine.move_to(third.starts_at - datetime.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 0


def test_cancelling_the_first_session_moves_the_courses_start():
    course = make_course()
    first, second = sessions(course)[:2]
    series_services.session_cancel(session=first)
    course.refresh_from_db()
    assert course.starts_at == second.starts_at
    assert course.ends_at == at(2027, 2, 9, 12, 0)


def test_the_last_session_still_on_cannot_be_cancelled_alone():
    course = make_course()
    *others, last = sessions(course)
    for session in others:
        series_services.session_cancel(session=session)
    with pytest.raises(services.BookingError, match="Cancel the whole course instead"):
        series_services.session_cancel(session=last)


def test_the_calendar_shows_the_course_on_each_session_date(client):
    make_course()
    january = client.get(reverse("events:calendar"), {"month": "2027-01"})
    days = [
        day["date"].isoformat()
        for week in january.context["weeks"]
        for day in week
        if day["events"]
    ]
    assert days == ["2027-01-05", "2027-01-12", "2027-01-19", "2027-01-26"]
    assert "January 2027: 4 events" in january.content.decode()
    february = client.get(reverse("events:calendar"), {"month": "2027-02"})
    assert [
        day["date"].isoformat()
        for week in february.context["weeks"]
        for day in week
        if day["events"]
    ] == ["2027-02-02", "2027-02-09"]
    # A cancelled session is not on the calendar.
    series_services.session_cancel(
        session=EventSession.objects.get(starts_at=at(2027, 2, 2, 10, 0))
    )
    february = client.get(reverse("events:calendar"), {"month": "2027-02"})
    assert "February 2027: 1 event" in february.content.decode()


def test_the_event_list_shows_the_course_once_with_its_sessions(client):
    make_course()
    page = client.get(reverse("events:list")).content.decode()
    assert page.count("Parenting with confidence") == 1
    assert "6 sessions, 5 January to 9 February 2027" in page


def test_the_dashboard_shows_the_next_session(client, carer, time_machine):
    course = make_course()
    services.booking_create(event=course, user=carer)
    time_machine.move_to(at(2027, 1, 13, 9, 0), tick=False)
    client.force_login(carer)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Next session: Tuesday 19 January 2027, 10am to midday (session 3 of 6)" in page


def test_duplicating_a_course_copies_its_sessions_at_the_same_time_of_day():
    course = make_course()
    copy = services.event_duplicate(event=course, starts_at=at(2027, 3, 2, 10, 0))
    days = [
        (
            s.starts_at.astimezone(LONDON).date().isoformat(),
            f"{s.starts_at.astimezone(LONDON):%H:%M}",
        )
        for s in sessions(copy)
    ]
    # 28 March 2027 the clocks go forward: still 10am.
    assert days == [
        ("2027-03-02", "10:00"),
        ("2027-03-09", "10:00"),
        ("2027-03-16", "10:00"),
        ("2027-03-23", "10:00"),
        ("2027-03-30", "10:00"),
        ("2027-04-06", "10:00"),
    ]
    assert copy.ends_at == at(2027, 4, 6, 12, 0)


# Django admin ------------------------------------------------------------------------------


def test_sessions_on_the_event_page_set_the_courses_dates(content_admin_client):
    from tests.events.test_admin import _change_form

    event = EventFactory(starts_at=at(2027, 1, 5, 10, 0), ends_at=at(2027, 1, 5, 12, 0))
    url = reverse("admin:events_event_change", args=[event.pk])
    data = _change_form(
        event,
        **{
            "sessions-TOTAL_FORMS": "2",
            "sessions-0-starts_at_0": "2027-01-05",
            "sessions-0-starts_at_1": "10:00:00",
            "sessions-0-ends_at_0": "2027-01-05",
            "sessions-0-ends_at_1": "12:00:00",
            "sessions-1-starts_at_0": "2027-01-12",
            "sessions-1-starts_at_1": "10:00:00",
            "sessions-1-ends_at_0": "2027-01-12",
            "sessions-1-ends_at_1": "09:00:00",
        },
    )
    response = content_admin_client.post(url, data)
    assert response.status_code == 200
    assert "The end must be after the start" in response.content.decode()
    assert not EventSession.objects.exists()

    data["sessions-1-ends_at_1"] = "12:30:00"
    assert content_admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.sessions.count() == 2
    assert (event.starts_at, event.ends_at) == (at(2027, 1, 5, 10, 0), at(2027, 1, 12, 12, 30))


def test_admin_adds_sessions_by_a_rule(content_admin_client):
    event = EventFactory(starts_at=at(2027, 1, 5, 10, 0), ends_at=at(2027, 1, 5, 12, 0))
    url = reverse("admin:events_event_sessions_add", args=[event.pk])
    rule = {"frequency": "weekly", "interval": "1", "count": "6", "dates": ""}
    check = content_admin_client.post(url, {**rule, "continue": "Continue"}).content.decode()
    assert "Tuesday 9 February 2027, 10am to midday" in check
    assert "Add 6 sessions" in check
    assert content_admin_client.post(url, {**rule, "confirm": "Add"}).status_code == 302
    event.refresh_from_db()
    assert event.sessions.count() == 6
    assert event.ends_at == at(2027, 2, 9, 12, 0)


def test_admin_action_cancels_a_session_and_tells_the_bookers(
    content_admin_client, django_capture_on_commit_callbacks
):
    course = make_course()
    services.booking_create(event=course, user=CarerProfileFactory().user)
    second = sessions(course)[1]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = content_admin_client.post(
            reverse("admin:events_eventsession_changelist"),
            {"action": "cancel_sessions", "_selected_action": [second.pk]},
            follow=True,
        )
    assert "1 session cancelled. 1 person with a place was emailed." in response.content.decode()
    assert len(mail.outbox) == 1
    second.refresh_from_db()
    assert second.cancelled_at is not None


def test_the_confirmation_lists_every_session_and_joining_opens_for_each(
    client, time_machine, django_capture_on_commit_callbacks
):
    course = make_course()
    carer = CarerProfileFactory(user__email="ann@example.org").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=course, user=carer)
    [message] = mail.outbox
    assert message.subject == "Your place is booked: Parenting with confidence"
    assert "- Tuesday 19 January 2027, 10am to midday" in message.body
    assert "Tuesday 9 February 2027, 10am to midday" in message.alternatives[0][0]
    [(_name, content, _type)] = message.attachments
    assert len(Calendar.from_ical(content).walk("VEVENT")) == 6

    # Between the first and second sessions, the button waits for the second one.
    time_machine.move_to(at(2027, 1, 12, 9, 50), tick=False)
    client.force_login(carer)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Join the event" in page  # 10 minutes before session 2
    time_machine.move_to(at(2027, 1, 12, 13, 0), tick=False)
    client.force_login(carer)
    page = client.get(course.get_absolute_url()).content.decode()
    assert (
        "The “Join the event” button will appear here from Tuesday 19 January 2027, 9:45am" in page
    )
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "Tuesday 19 January 2027, 9:45am" in dashboard
