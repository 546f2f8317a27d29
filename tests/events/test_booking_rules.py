"""Booking rules, the waiting list and promotion, through the services and the pages."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Booking
from events.services import BookingError
from tests.factories import CarerProfileFactory, EventFactory, UserFactory, local_authority

pytestmark = pytest.mark.django_db


def carer(**kwargs):
    return CarerProfileFactory(**kwargs).user


def test_capacity_counts_people_and_the_rest_wait():
    event = EventFactory(capacity=3)
    first = services.booking_create(event=event, user=carer(), places=2)
    second = services.booking_create(event=event, user=carer(), places=1)
    third = services.booking_create(event=event, user=carer(), places=1)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    event.refresh_from_db()
    assert event.places_left() == 0


def test_household_limit_and_capacity_limit():
    event = EventFactory(capacity=3, max_places_per_booking=2)
    with pytest.raises(BookingError, match="up to 2 places"):
        services.booking_create(event=event, user=carer(), places=3)
    tiny = EventFactory(capacity=1, max_places_per_booking=2)
    with pytest.raises(BookingError, match="1 places in total"):
        services.booking_create(event=tiny, user=carer(), places=2)
    assert not Booking.objects.exists()


def test_one_active_booking_per_person():
    event = EventFactory()
    person = carer()
    services.booking_create(event=event, user=person)
    with pytest.raises(BookingError, match="already have a place"):
        services.booking_create(event=event, user=person)
    # After cancelling they may book again.
    services.booking_cancel(booking=Booking.objects.get(user=person))
    assert services.booking_create(event=event, user=person).status == "confirmed"
    assert Booking.objects.filter(user=person).count() == 2


def test_database_refuses_a_second_active_booking():
    from django.db import IntegrityError, transaction

    event = EventFactory()
    person = carer()
    Booking.objects.create(event=event, user=person, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(event=event, user=person, status="waitlisted")


def test_booking_closes_at_the_deadline_or_start(time_machine):
    event = EventFactory(booking_closes_at=timezone.now() + timezone.timedelta(days=2))
    time_machine.move_to(event.booking_closes_at + timezone.timedelta(seconds=1))
    with pytest.raises(BookingError, match="closed"):
        services.booking_create(event=event, user=carer())
    started = EventFactory(starts_at=timezone.now() - timezone.timedelta(minutes=5))
    with pytest.raises(BookingError, match="closed"):
        services.booking_create(event=started, user=carer())


def test_booking_not_open_yet():
    event = EventFactory(booking_opens_at=timezone.now() + timezone.timedelta(days=1))
    with pytest.raises(BookingError, match="not opened yet"):
        services.booking_create(event=event, user=carer())


def test_restricted_to_one_local_authority():
    kent = local_authority("E10000016")
    event = EventFactory(local_authority=kent)
    with pytest.raises(BookingError, match="only for kinship carers living in Kent"):
        services.booking_create(event=event, user=carer())  # lives in Leeds
    assert (
        services.booking_create(event=event, user=carer(local_authority=kent)).status == "confirmed"
    )


def test_unverified_user_cannot_book(client):
    event = EventFactory()
    person = UserFactory(verified=False)
    CarerProfileFactory(user=person)
    with pytest.raises(BookingError, match="Confirm your email address"):
        services.booking_create(event=event, user=person)
    client.force_login(person)
    client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert not Booking.objects.exists()


def test_drafts_and_cancelled_events_cannot_be_booked():
    for status, message in (("draft", "not open"), ("cancelled", "cancelled")):
        with pytest.raises(BookingError, match=message):
            services.booking_create(event=EventFactory(status=status), user=carer())


def test_waiting_list_order_and_promotion_on_cancel(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2)
    holder = services.booking_create(event=event, user=carer(), places=2)
    big = services.booking_create(event=event, user=carer(), places=2)
    small = services.booking_create(event=event, user=carer(), places=1)
    later = services.booking_create(event=event, user=carer(), places=1)
    assert [b.status for b in (big, small, later)] == ["waitlisted"] * 3

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.booking_cancel(booking=holder)
    # The longest-waiting booking that fits goes first: the family of two fills both places.
    assert promoted == [big]
    for b in (big, small, later):
        b.refresh_from_db()
    assert (big.status, small.status, later.status) == ("confirmed", "waitlisted", "waitlisted")
    assert {m.to[0] for m in mail.outbox} == {holder.user.email, big.user.email}
    assert any("A place has come up" in m.subject for m in mail.outbox if m.to == [big.user.email])


def test_promotion_skips_bookings_that_do_not_fit():
    event = EventFactory(capacity=2)
    one = services.booking_create(event=event, user=carer(), places=1)
    services.booking_create(event=event, user=carer(), places=1)
    two = services.booking_create(event=event, user=carer(), places=2)
    single = services.booking_create(event=event, user=carer(), places=1)
    services.booking_cancel(booking=one)
    two.refresh_from_db()
    single.refresh_from_db()
    assert two.status == "waitlisted" and single.status == "confirmed"


def test_capacity_increase_promotes_and_tells_them(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=carer())
    waiting = [services.booking_create(event=event, user=carer()) for _ in range(3)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.event_set_capacity(event=event, capacity=3)
    assert promoted == waiting[:2]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.user.email for b in waiting[:2])


def test_leaving_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=carer())
    first = services.booking_create(event=event, user=carer())
    second = services.booking_create(event=event, user=carer())
    assert services.booking_cancel(booking=first) == []
    second.refresh_from_db()
    assert second.status == "waitlisted"


def test_event_cancel_tells_everyone(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    people = [services.booking_create(event=event, user=carer()).user for _ in range(2)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = services.event_cancel(event=event)
    assert told == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert not Booking.objects.filter(status__in=["confirmed", "waitlisted"]).exists()


def test_confirmation_mail_is_sent_after_commit_only(django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = services.booking_create(event=event, user=carer())
    assert mail.outbox == []  # nothing sent inside the transaction
    for callback in callbacks:  # the commit: the mail, and the events pages' generation
        callback()
    assert [message.to for message in mail.outbox] == [[booking.user.email]]
