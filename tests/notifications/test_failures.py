"""Failure drills: mail is delayed by a broken broker or a dead worker, never lost or doubled."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from core.tasks import requeue_pending_notifications
from events.models import Booking
from kinship_portal.celery import app
from tests.conftest import forget_celery_connections
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """The broker is unreachable: nothing listens on port 9."""
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    forget_celery_connections()
    yield
    app.conf.task_always_eager, app.conf.broker_url = old
    forget_celery_connections()


def test_booking_succeeds_while_the_broker_is_down_and_mail_follows(
    carer_client, carer, broker_down, django_capture_on_commit_callbacks, time_machine
):
    event = EventFactory(title="Drill workshop")
    with django_capture_on_commit_callbacks(execute=True):
        response = carer_client.post(reverse("events:book", args=[event.slug]), {"places": "1"})
    assert response.status_code == 302  # the carer is told their place is booked
    assert Booking.objects.get(user=carer).status == "confirmed"
    notification = Notification.objects.get(kind="booking_confirmed", recipient=carer)
    assert notification.status == "pending"
    assert mail.outbox == []

    # The broker comes back; beat's requeue task picks up what was left pending.
    app.conf.task_always_eager = True
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5))
    assert requeue_pending_notifications() == 1
    assert requeue_pending_notifications() == 0
    [message] = mail.outbox
    assert message.to == [carer.email] and "Drill workshop" in message.subject
    notification.refresh_from_db()
    assert notification.status == "sent"


def test_a_worker_that_dies_mid_send_leaves_the_mail_pending_then_it_goes_once(
    carer, django_capture_on_commit_callbacks, time_machine, monkeypatch
):
    from core import tasks
    from events import services

    with django_capture_on_commit_callbacks(execute=False):
        services.booking_create(event=EventFactory(), user=carer)
    notification = Notification.objects.get(kind="booking_confirmed")

    class WorkerKilled(BaseException):  # like SIGKILL: not an ordinary error the task records
        pass

    def die(message):
        raise WorkerKilled

    monkeypatch.setattr(tasks, "deliver", die)
    with pytest.raises(WorkerKilled):
        tasks.send_notification.run(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "pending" and mail.outbox == []  # its transaction rolled back

    monkeypatch.undo()
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5))
    assert requeue_pending_notifications() == 1  # redelivered (acks_late) or requeued by beat
    tasks.send_notification.run(notification.pk)  # a late duplicate delivery does nothing
    assert len(mail.outbox) == 1
