"""Failure drills: Redis down or a dead worker delays mail but never loses or doubles it, and
nobody is stopped from signing in or booking."""

import datetime

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse

from core.models import Notification
from core.tasks import requeue_pending_notifications
from events.models import Booking
from kinship_portal.celery import app
from tests.conftest import forget_celery_connections
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


REDIS_DOWN = "redis://127.0.0.1:9/0"  # nothing listens on port 9


@pytest.fixture
def redis_down(settings):
    """Redis is unreachable: it is both the Celery broker and the cache of rate-limit counters,
    and rate limits are on, as in production."""
    old = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport)
    app.conf.task_always_eager = False
    app.conf.broker_url = REDIS_DOWN
    app.conf.broker_transport = None  # the URL says which broker
    forget_celery_connections()
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_DOWN}
    }
    settings.BOOKING_RATE_LIMIT = "10/m"
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
    yield
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport = old
    forget_celery_connections()


def test_booking_succeeds_while_redis_is_down_and_mail_follows(
    carer_client, carer, redis_down, django_capture_on_commit_callbacks, time_machine
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


def test_people_can_sign_in_while_redis_is_down(client, redis_down):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_works_while_redis_is_down_and_the_confirmation_email_goes_at_once(
    client, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new.carer@example.com",
                "password1": "a-long-family-password",
                "password2": "a-long-family-password",
            },
        )
    assert response.status_code == 302
    [message] = mail.outbox  # sent from the request: the broker could not take it
    assert message.to == ["new.carer@example.com"]
    assert "/accounts/confirm-email/" in message.body


def test_rate_limits_still_count_while_redis_is_down(client, redis_down, settings):
    """Counted in the process's memory instead: weaker than Redis, but still a limit."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert "You have tried to sign in too many times" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _claimed_booking_confirmation(carer):
    """A booking whose confirmation is claimed in the ledger but not yet taken by a worker."""
    from events import services

    services.booking_create(event=EventFactory(title="Ledger drill"), user=carer)
    return Notification.objects.get(kind="booking_confirmed", recipient=carer)


def _later(time_machine, minutes):
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=minutes))


def test_a_worker_that_dies_before_taking_the_mail_leaves_it_pending_then_it_goes_once(
    carer, django_capture_on_commit_callbacks, time_machine, monkeypatch
):
    """Killed while building the message (before the claim commits): delayed, never lost."""
    from core import registry, tasks

    with django_capture_on_commit_callbacks(execute=False):
        notification = _claimed_booking_confirmation(carer)

    class WorkerKilled(BaseException):  # like SIGKILL: not an ordinary error the task records
        pass

    def die(notification):
        raise WorkerKilled

    monkeypatch.setitem(registry._builders, "booking_confirmed", die)
    with pytest.raises(WorkerKilled):
        tasks.send_notification.run(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "pending" and mail.outbox == []  # its transaction rolled back

    monkeypatch.undo()
    _later(time_machine, 5)
    assert requeue_pending_notifications() == 1  # redelivered (acks_late) or requeued by beat
    tasks.send_notification.run(notification.pk)  # a late duplicate delivery does nothing
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == "sent"


def test_a_worker_killed_while_handing_over_is_never_resent_by_itself_and_a_person_is_asked(
    carer, client, content_admin, django_capture_on_commit_callbacks, time_machine, monkeypatch
):
    """Killed mid-handover: the mail server may or may not have the message. The ledger says
    "being sent", no retry or sweep sends it again, and after the grace period it is marked
    "not known if sent" for a person, who can send it again from Django admin."""
    from core import tasks

    with django_capture_on_commit_callbacks(execute=False):
        notification = _claimed_booking_confirmation(carer)

    class WorkerKilled(BaseException):
        pass

    def die(message):
        raise WorkerKilled

    monkeypatch.setattr(tasks, "deliver", die)
    with pytest.raises(WorkerKilled):
        tasks.send_notification.run(notification.pk)
    monkeypatch.undo()
    notification.refresh_from_db()
    assert notification.status == "sending"  # committed before the handover: the truth

    assert tasks.send_notification.run(notification.pk) == "not pending"  # redelivered task
    _later(time_machine, 5)
    assert requeue_pending_notifications() == 0
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == "sending"

    _later(time_machine, 20)  # past IN_FLIGHT_GRACE
    requeue_pending_notifications()
    notification.refresh_from_db()
    assert notification.status == "unknown" and mail.outbox == []
    assert "Check the mail server" in notification.last_error

    client.force_login(content_admin)
    response = client.get(reverse("admin:core_notification_changelist") + "?status=unknown")
    assert "Not known if sent: check before sending again" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:core_notification_changelist"),
            {"action": "retry_failed", "_selected_action": [notification.pk]},
        )
    [message] = mail.outbox
    assert message.to == [carer.email] and "Ledger drill" in message.subject
    notification.refresh_from_db()
    assert notification.status == "sent"


def _database_refuses_updates(monkeypatch, times):
    """The database says "locked" to the next `times` updates, as SQLite does under load."""
    from django.db.models import QuerySet

    real_update = QuerySet.update
    refusals = {"left": times}

    def update(self, **kwargs):
        if self.model is Notification and refusals["left"] > 0:
            refusals["left"] -= 1
            raise OperationalError("database is locked")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    return refusals


def test_when_recording_the_send_fails_at_first_the_mail_goes_once_and_shows_as_sent(
    carer, django_capture_on_commit_callbacks, monkeypatch
):
    from core import tasks

    with django_capture_on_commit_callbacks(execute=False):
        notification = _claimed_booking_confirmation(carer)
    naps = []
    monkeypatch.setattr(tasks.time, "sleep", naps.append)
    refusals = _database_refuses_updates(monkeypatch, times=3)

    assert tasks.send_notification.run(notification.pk) == "sent"
    assert refusals["left"] == 0 and naps == [0.2, 0.5, 1]  # waited for the database
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.sent_at is not None

    requeue_pending_notifications()
    tasks.send_notification.run(notification.pk)
    assert len(mail.outbox) == 1


def test_when_the_database_stays_away_after_the_send_it_is_recorded_later_never_resent(
    carer, django_capture_on_commit_callbacks, monkeypatch, time_machine
):
    from core import tasks

    with django_capture_on_commit_callbacks(execute=False):
        notification = _claimed_booking_confirmation(carer)
    monkeypatch.setattr(tasks.time, "sleep", lambda seconds: None)
    queued = []
    monkeypatch.setattr(
        tasks.record_notification_sent, "apply_async", lambda args, **kw: queued.append(args)
    )
    _database_refuses_updates(monkeypatch, times=len(tasks.RECORD_DELAYS) + 1)

    assert tasks.send_notification.run(notification.pk) == "sent"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == "sending"  # not "pending": the sweep must not send it again

    _later(time_machine, 5)
    assert requeue_pending_notifications() == 0
    assert tasks.send_notification.run(notification.pk) == "not pending"
    assert len(mail.outbox) == 1

    [(notification_id, sent_at)] = queued  # the database is back; the queued record runs
    tasks.record_notification_sent.run(notification_id, sent_at)
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert notification.sent_at.isoformat() == sent_at


@pytest.mark.redis
def test_while_redis_is_up_every_process_shares_the_rate_limit_counters():
    """Two web processes (two cache objects) see one count: the fallback is for outages only."""
    import os

    from core.cache import ResilientRedisCache

    location = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/13"
    first, second = (ResilientRedisCache(location, {}) for _ in range(2))
    first.clear()
    first.add("sign-in-attempts", 0)
    first.incr("sign-in-attempts")
    assert second.incr("sign-in-attempts") == 2
    first.clear()
