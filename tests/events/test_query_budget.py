"""Event pages run a fixed number of queries whatever the number of events and bookings."""

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
