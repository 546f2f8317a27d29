"""Reminders and feedback requests: the time windows, preferences, and once only."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail

from core.models import Notification
from events import services
from events.tasks import send_due_reminders, send_feedback_requests
from tests.concurrency import run_together
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 12, 10, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture
def booked(time_machine):
    """A confirmed place at an online event starting at 11am on 10 December."""
    time_machine.move_to(START - datetime.timedelta(days=10), tick=False)
    event = EventFactory(
        title="Reminder workshop", starts_at=START, ends_at=START + datetime.timedelta(hours=1)
    )
    booking = services.booking_create(event=event, user=CarerProfileFactory().user)
    return booking


def _reminders():
    return [m for m in mail.outbox if m.subject.startswith("Reminder")]


def _run(task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return task()


def test_two_days_and_two_hours_before(booked, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(START - datetime.timedelta(days=2, minutes=5), tick=False)
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 0  # not yet

    time_machine.move_to(
        START - datetime.timedelta(days=2) + datetime.timedelta(minutes=3), tick=False
    )
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 1
    assert (
        _run(send_due_reminders, django_capture_on_commit_callbacks) == 0
    )  # beat fires again: nothing new
    [early] = _reminders()
    assert early.to == [booked.user.email]
    assert booked.event.join_url in early.body
    assert "/events/bookings/cancel/" in early.body

    time_machine.move_to(START - datetime.timedelta(hours=1, minutes=50), tick=False)
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 1
    assert len(_reminders()) == 2

    time_machine.move_to(START + datetime.timedelta(minutes=1), tick=False)
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 0
    assert len(_reminders()) == 2


def test_worker_down_catches_up_with_only_the_closest_reminder(
    booked, time_machine, django_capture_on_commit_callbacks
):
    # Nothing ran for two days; 90 minutes before the start the 2-hour reminder is due, not both.
    time_machine.move_to(START - datetime.timedelta(minutes=90), tick=False)
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 1
    assert len(_reminders()) == 1
    statuses = dict(Notification.objects.filter(kind="event_reminder").values_list("key", "status"))
    assert statuses == {
        f"booking:{booked.pk}:before:2880": "skipped",
        f"booking:{booked.pk}:before:120": "sent",
    }


def test_reminders_respect_the_carers_choice(
    booked, time_machine, django_capture_on_commit_callbacks
):
    profile = booked.user.carer_profile
    profile.reminders_enabled = False
    profile.save()
    time_machine.move_to(START - datetime.timedelta(hours=1), tick=False)
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 0
    assert _reminders() == []


def test_no_reminder_for_cancelled_places_or_events(
    booked, time_machine, django_capture_on_commit_callbacks
):
    other = services.booking_create(
        event=EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=1)),
        user=CarerProfileFactory().user,
    )
    services.booking_cancel(booking=booked)
    services.event_cancel(event=other.event)
    mail.outbox.clear()
    time_machine.move_to(START - datetime.timedelta(hours=1), tick=False)
    assert _run(send_due_reminders, django_capture_on_commit_callbacks) == 0
    assert _reminders() == []


def test_a_reminder_claimed_before_cancelling_is_not_sent(
    booked, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(START - datetime.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_due_reminders()
    services.booking_cancel(booking=booked)  # they cancel before the worker gets to it
    for callback in callbacks:
        callback()
    assert _reminders() == []
    claimed = Notification.objects.get(kind="event_reminder", key=f"booking:{booked.pk}:before:120")
    assert claimed.status == "skipped"


def test_feedback_request_after_the_event(booked, time_machine, django_capture_on_commit_callbacks):
    from resources.models import Resource

    recording = Resource.objects.create(
        title="Recording",
        slug="recording",
        summary="s",
        status="published",
        published_at=START,
        audiences=["carers"],
    )
    booked.event.recording = recording
    booked.event.save()
    time_machine.move_to(START + datetime.timedelta(minutes=30), tick=False)
    assert _run(send_feedback_requests, django_capture_on_commit_callbacks) == 0  # still on
    time_machine.move_to(START + datetime.timedelta(hours=2), tick=False)
    assert _run(send_feedback_requests, django_capture_on_commit_callbacks) == 1
    assert _run(send_feedback_requests, django_capture_on_commit_callbacks) == 0
    [thanks] = [m for m in mail.outbox if m.subject.startswith("Thank you for coming")]
    assert feedback_link(thanks).startswith(f"{settings.SITE_URL}/events/bookings/feedback/")
    assert f"{settings.SITE_URL}/resources/recording/" in thanks.body
    time_machine.move_to(START + datetime.timedelta(days=5), tick=False)
    assert (
        _run(send_feedback_requests, django_capture_on_commit_callbacks) == 0
    )  # outside the window


def test_feedback_request_does_not_link_a_staff_only_recording(
    booked, time_machine, django_capture_on_commit_callbacks
):
    from tests.factories import ResourceFactory

    booked.event.recording = ResourceFactory(
        slug="staff-recording", kind="recording", published_at=START, staff_only=True
    )
    booked.event.save()
    time_machine.move_to(START + datetime.timedelta(hours=2), tick=False)
    assert _run(send_feedback_requests, django_capture_on_commit_callbacks) == 1
    [thanks] = [m for m in mail.outbox if m.subject.startswith("Thank you for coming")]
    assert "/events/bookings/feedback/" in thanks.body
    assert "staff-recording" not in thanks.body
    assert "Watch the recording" not in thanks.body


def feedback_link(message) -> str:
    """The link under "Tell us how it went" in the thank-you e-mail: the same in its text
    and in its HTML (the button and the copyable link)."""
    [link] = re.findall(r"Tell us how it went: it takes 1 minute.\n(\S+)\n", message.body)
    [html] = [content for content, kind in message.alternatives if kind == "text/html"]
    assert re.findall(r'href="([^"]+/feedback/[^"]+)"', html) == [link, link]
    return link


def test_feedback_form_from_the_email(
    client, booked, time_machine, django_capture_on_commit_callbacks
):
    """The link in the thank-you e-mail opens the feedback form without signing in, and what
    is sent there is kept for the booking; a link altered by hand is not found."""
    from events.models import EventFeedback

    time_machine.move_to(START + datetime.timedelta(hours=2), tick=False)
    assert _run(send_feedback_requests, django_capture_on_commit_callbacks) == 1
    [thanks] = [m for m in mail.outbox if m.subject.startswith("Thank you for coming")]
    link = feedback_link(thanks)
    assert link.startswith(settings.SITE_URL)
    url = urlsplit(link).path
    assert "How was Reminder workshop?" in client.get(url).content.decode()
    response = client.post(url, {"comment": "Great"})
    assert "Choose how the event was" in response.content.decode()
    response = client.post(url, {"rating": "5", "comment": "Really useful"})
    assert response.status_code == 302
    feedback = EventFeedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.event_id) == (
        5,
        "Really useful",
        booked.event_id,
    )
    assert "Thank you" in client.get(response["Location"]).content.decode()
    assert client.get(url[:-3] + "abc/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminder_task_run_twice_at_once_sends_once(time_machine):
    """Two workers run the reminder task at the same moment, each on its own connection:
    every person gets one reminder, because each is claimed by inserting its row in the
    ledger and the unique constraint notification_once lets only one insert stand."""
    time_machine.move_to(START - datetime.timedelta(days=10), tick=False)
    event = EventFactory(starts_at=START, ends_at=START + datetime.timedelta(hours=1))
    bookings = [
        services.booking_create(event=event, user=CarerProfileFactory().user) for _ in range(5)
    ]
    mail.outbox.clear()
    time_machine.move_to(START - datetime.timedelta(hours=1), tick=False)

    claimed = []

    errors = run_together(lambda _: claimed.append(send_due_reminders()), range(2))

    assert errors == []
    assert len(claimed) == 2 and sum(claimed) == 5  # both ran; five claimed between them
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert sorted(m.to[0] for m in reminders) == sorted(b.user.email for b in bookings)
    assert Notification.objects.filter(kind="event_reminder", status="sent").count() == 5
