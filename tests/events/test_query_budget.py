"""Event pages run a fixed number of queries whatever the number of events and bookings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from events import services
from events.models import Booking
from resources.models import Topic
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db


def _events(count: int, bookings_each: int) -> list:
    topics = list(Topic.objects.all()[:2])
    people = [CarerProfileFactory().user for _ in range(bookings_each)]
    events = []
    for _ in range(count):
        event = EventFactory(capacity=max(1, bookings_each // 2))
        event.topics.set(topics)
        Booking.objects.bulk_create(
            [
                Booking(
                    event=event, user=p, status="confirmed" if i < event.capacity else "waitlisted"
                )
                for i, p in enumerate(people)
            ]
        )
        events.append(event)
    return events


# Visitor: count (1), page of events with places and waiting counts (1), their topics (1),
# topic and council choices for the filter form (2).
@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize(("count", "bookings"), [(3, 2), (25, 12)])
def test_event_list(client, django_assert_num_queries, count, bookings, language):
    _events(count, bookings)
    with translation.override(language):
        url = reverse("events:list")
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


# Visitor: the events of the month's grid, with the days of the months either side, with
# places (1) and their topics (1); with no month asked for, the start of the next event to come,
# which picks the month (1).
@pytest.mark.parametrize("month_given", [True, False])
@pytest.mark.parametrize(("count", "bookings"), [(3, 2), (25, 12)])
def test_calendar(client, django_assert_num_queries, count, bookings, month_given):
    _events(count, bookings)
    month = _events(1, 1)[0].starts_at.strftime("%Y-%m")
    with django_assert_num_queries(2 if month_given else 3):
        response = client.get(reverse("events:calendar"), {"month": month} if month_given else {})
    assert response.status_code == 200


# Signed-in carer with a booking: session and user (2), staff membership (1), the event with
# places and topics (2), their active booking (1), the eligibility check's verified email (0:
# skipped when they have a booking).
@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("bookings", [2, 40])
def test_event_detail(carer_client, carer, django_assert_num_queries, bookings, language):
    event = _events(1, bookings)[0]
    event.capacity = 100
    event.save()
    services.booking_create(event=event, user=carer)
    with translation.override(language):
        url = reverse("events:detail", args=[event.slug])
    with django_assert_num_queries(6):
        response = carer_client.get(url)
    assert response.status_code == 200


def _ended_with_materials(event, materials: int, time_machine) -> None:
    """`materials` ready materials on `event`, half web addresses and half library resources
    (half of those staff-only), half for people who booked; then the event is over."""
    from events.models import EventMaterial
    from tests.factories import ResourceFactory

    for n in range(materials):
        resource = ResourceFactory(staff_only=n % 4 == 1) if n % 2 else None
        EventMaterial.objects.create(
            event=event,
            title=f"Material {n}",
            url="" if resource else f"https://example.org/material-{n}",
            resource=resource,
            shared_with="booked" if n % 3 else "everyone",
            ready=True,
        )
    time_machine.move_to(event.ends_at + datetime.timedelta(minutes=5), tick=False)


def _staff_only(materials: int) -> int:
    """How many of _ended_with_materials' are staff-only resources, not listed for carers."""
    return len(range(1, materials, 4))


# After the event, as on the page above (6), and its ready materials with their library
# resources (1), whoever may see which.
@pytest.mark.parametrize("materials", [2, 30])
def test_event_detail_after_the_event(
    carer_client, carer, django_assert_num_queries, materials, time_machine
):
    event = _events(1, 3)[0]
    event.capacity = 100
    event.save()
    services.booking_create(event=event, user=carer)
    _ended_with_materials(event, materials, time_machine)
    url = reverse("events:detail", args=[event.slug])
    with django_assert_num_queries(7):
        response = carer_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Material ") == materials - _staff_only(materials)


# A visitor: the event with places and topics (2) and its ready materials (1).
@pytest.mark.parametrize("materials", [2, 30])
def test_event_detail_after_the_event_for_a_visitor(
    client, django_assert_num_queries, materials, time_machine
):
    event = _events(1, 3)[0]
    _ended_with_materials(event, materials, time_machine)
    with django_assert_num_queries(3):
        response = client.get(reverse("events:detail", args=[event.slug]))
    assert response.status_code == 200


# The dashboard of a carer with no children (12: tests/carers/test_query_budget.py counts 13
# with children, whose consent events take one) and events they have been to: their ready
# materials with their library resources in one more query (1), however many.
@pytest.mark.parametrize(("count", "materials"), [(1, 2), (8, 12)])
def test_dashboard_with_materials_of_past_events(
    carer_client, carer, django_assert_num_queries, count, materials, time_machine
):
    events = [EventFactory(capacity=5) for _ in range(count)]
    for event in events:
        services.booking_create(event=event, user=carer)
    for event in events:
        _ended_with_materials(event, materials, time_machine)
    time_machine.move_to(max(e.ends_at for e in events) + datetime.timedelta(days=1), tick=False)
    with django_assert_num_queries(13):
        response = carer_client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("Material ") == count * (
        materials - _staff_only(materials)
    )


# Series and courses -----------------------------------------------------------------------


def _series_and_courses(count: int, dates: int, sessions: int) -> tuple[list, list]:
    """`count` monthly series of `dates` published dates each, and `count` weekly courses of
    `sessions` sessions each, every date and course with bookings; returns (series' first
    dates, courses)."""
    from events.services import series as series_services

    firsts, courses = [], []
    people = [CarerProfileFactory().user for _ in range(3)]
    for _ in range(count):
        first = EventFactory(capacity=2)
        series = series_services.event_repeat(event=first, frequency="monthly", count=dates)
        for date in series.dates.all():
            services.event_publish(event=date)
            for person in people:
                services.booking_create(event=date, user=person)
        course = EventFactory(capacity=2, kind="training")
        series_services.course_sessions_add(
            event=course, frequency="weekly", interval=1, count=sessions
        )
        for person in people:
            services.booking_create(event=course, user=person)
        firsts.append(first)
        courses.append(course)
    return firsts, courses


# As for single events above (5): a series' dates are events like any other, and a course's
# sessions are counted in the events' own query (its dates come from its first and last).
@pytest.mark.parametrize(("count", "dates", "sessions"), [(1, 3, 2), (6, 8, 10)])
def test_event_list_with_series_and_courses(
    client, django_assert_num_queries, count, dates, sessions
):
    _events(3, 2)
    _series_and_courses(count, dates, sessions)
    with django_assert_num_queries(5):
        response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert "One date of a series" in response.content.decode()
    assert f"{sessions} sessions, " in response.content.decode()


# As for the calendar above (2, or 3 with no month asked for), and the sessions of the courses
# in the month's grid (1), however many courses and sessions.
@pytest.mark.parametrize("month_given", [True, False])
@pytest.mark.parametrize(("count", "dates", "sessions"), [(1, 3, 2), (6, 8, 10)])
def test_calendar_with_series_and_courses(
    client, django_assert_num_queries, count, dates, sessions, month_given
):
    _, courses = _series_and_courses(count, dates, sessions)
    month = courses[0].starts_at.strftime("%Y-%m")
    with django_assert_num_queries(3 if month_given else 4):
        response = client.get(reverse("events:calendar"), {"month": month} if month_given else {})
    assert response.status_code == 200
    shown = [e for week in response.context["weeks"] for day in week for e in day["events"]]
    assert sum(1 for e in shown if getattr(e, "course_session", None)) >= count


# As for the event page above (6), and the series' other dates with places, waiting lists and
# the carer's own place on each (1), however many dates.
@pytest.mark.parametrize(("count", "dates"), [(1, 3), (2, 12)])
def test_event_detail_of_a_series_date(
    carer_client, carer, django_assert_num_queries, count, dates
):
    firsts, _ = _series_and_courses(count, dates, 2)
    event = firsts[0]
    event.capacity = 10
    event.save()
    services.booking_create(event=event, user=carer)
    with django_assert_num_queries(7):
        response = carer_client.get(reverse("events:detail", args=[event.slug]))
    assert response.status_code == 200
    assert len(response.context["series_dates"]) == dates - 1


# As for the event page above (6), and the course's sessions (1), however many sessions.
@pytest.mark.parametrize(("count", "sessions"), [(1, 2), (2, 20)])
def test_event_detail_of_a_course(carer_client, carer, django_assert_num_queries, count, sessions):
    _, courses = _series_and_courses(count, 2, sessions)
    event = courses[0]
    event.capacity = 10
    event.save()
    services.booking_create(event=event, user=carer)
    with django_assert_num_queries(7):
        response = carer_client.get(reverse("events:detail", args=[event.slug]))
    assert response.status_code == 200
    assert len(response.context["sessions"]) == sessions
