"""Capacity holds when many people book and cancel at the same moment: real threads, each with
its own PostgreSQL connection, released together by a barrier.

What decides: the event's row lock (events.services._lock), taken before the checks, makes
each booking and cancellation of an event wait for the one before it; without it more than
the capacity are confirmed. Behind it, the partial unique constraint
booking_one_active_per_person keeps one active booking per person and event, whoever
writes it."""

import pytest

from events import services
from events.models import Booking, Event
from tests.concurrency import run_together, saves_held_together
from tests.factories import CarerProfileFactory, EventFactory

# serialized_rollback keeps the rows that data migrations load (local authorities, topics).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_50_people_booking_10_places_at_once():
    """10 confirmed and 40 on the waiting list: each booking counts the places left after the
    one before it has committed (the event's lock)."""
    event = EventFactory(capacity=10)
    people = [CarerProfileFactory().user for _ in range(50)]

    errors = run_together(lambda user: services.booking_create(event=event, user=user), people)

    assert errors == []
    assert Booking.objects.filter(event=event, status="confirmed").count() == 10
    assert Booking.objects.filter(event=event, status="waitlisted").count() == 40
    assert event.places_left() == 0


def test_households_booking_at_once_never_exceed_capacity():
    """Two places a booking: never more places confirmed than the capacity (the event's lock)."""
    event = EventFactory(capacity=10, max_places_per_booking=2)
    people = [CarerProfileFactory().user for _ in range(30)]
    errors = run_together(
        lambda user: services.booking_create(event=event, user=user, places=2), people
    )
    assert errors == []
    confirmed = Booking.objects.filter(event=event, status="confirmed")
    assert sum(b.places for b in confirmed) == 10
    assert confirmed.count() == 5


def test_the_same_person_submitting_five_times_at_once_gets_one_booking_by_the_constraint(
    monkeypatch,
):
    """The partial unique constraint booking_one_active_per_person, alone: the event's lock
    is lifted and every save held until all five have passed the "already booked" checks,
    so only the database can refuse the other four, and booking_create must tell them
    they have a place already, not fail. (With the lock, as the portal runs, the checks
    refuse them first: the constraint is the rule for any writer the lock misses.)"""
    event = EventFactory()
    person = CarerProfileFactory().user
    monkeypatch.setattr(services, "_lock", lambda event: Event.objects.get(pk=event.pk))

    with saves_held_together(Booking, threads=5) as arrived:
        errors = run_together(lambda _: services.booking_create(event=event, user=person), range(5))

    assert len(arrived) == 5, f"only {len(arrived)} passed the checks: not a race"
    assert Booking.objects.filter(event=event, user=person).count() == 1
    assert [(type(e), str(e)) for e in errors] == 4 * [
        (services.BookingError, "You already have a place or a waiting list place for this event")
    ]


def test_concurrent_cancellations_promote_exactly_as_many_as_were_freed():
    """Six cancel at once: the six who waited longest are confirmed, no more, no fewer (each
    cancellation counts the free places after the one before it, under the event's lock)."""
    event = EventFactory(capacity=10)
    confirmed = [
        services.booking_create(event=event, user=CarerProfileFactory().user) for _ in range(10)
    ]
    waiting = [
        services.booking_create(event=event, user=CarerProfileFactory().user) for _ in range(10)
    ]
    cancelling = confirmed[:6]

    errors = run_together(lambda booking: services.booking_cancel(booking=booking), cancelling)

    assert errors == []
    assert Booking.objects.filter(event=event, status="confirmed").count() == 10
    promoted = set(
        Booking.objects.filter(pk__in=[b.pk for b in waiting], status="confirmed").values_list(
            "pk", flat=True
        )
    )
    assert promoted == {b.pk for b in waiting[:6]}  # the six who waited longest
    assert Booking.objects.filter(event=event, status="waitlisted").count() == 4


def _series(capacity: int, dates: int):
    from events.services import series as series_services

    first = EventFactory(capacity=capacity)
    series = series_services.event_repeat(event=first, frequency="weekly", count=dates)
    for date in series.dates.all():
        services.event_publish(event=date)
    return list(series.dates.order_by("starts_at"))


def test_carers_booking_every_date_of_a_series_at_once_never_overbook_a_date():
    """Eight carers book all three dates at once: two confirmed on each date, nobody
    deadlocked (every request locks the dates in date order)."""
    from events.services import series as series_services

    dates = _series(capacity=2, dates=3)
    people = [CarerProfileFactory().user for _ in range(8)]

    errors = run_together(
        lambda user: series_services.series_book_all(event=dates[0], user=user), people
    )

    assert errors == []  # nobody deadlocked: every request takes the dates in date order
    for date in dates:
        assert Booking.objects.filter(event=date, status="confirmed").count() == 2
        assert Booking.objects.filter(event=date, status="waitlisted").count() == 6


def test_one_carer_pressing_book_all_three_times_at_once_gets_one_place_on_each_date():
    """Each press after the first waits for the date's lock, then is told, date by date,
    that they have a place already: no error, and one booking on each date."""
    from events.services import series as series_services

    dates = _series(capacity=5, dates=3)
    person = CarerProfileFactory().user
    answers = []

    def book_all(_):
        answers.append(series_services.series_book_all(event=dates[0], user=person))

    assert run_together(book_all, range(3)) == []

    for date in dates:
        assert Booking.objects.filter(event=date, user=person).count() == 1
    booked = [[outcome.booking is not None for outcome in answer] for answer in answers]
    assert sorted(booked) == [[False] * 3, [False] * 3, [True] * 3]
