"""Failure drills: Redis down or a dead worker delays mail but never loses or doubles it, and
nobody is stopped from signing in or booking."""

import datetime

import pytest
from django.core import mail
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
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = REDIS_DOWN
    forget_celery_connections()
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_DOWN}
    }
    settings.BOOKING_RATE_LIMIT = "10/m"
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
    yield
    app.conf.task_always_eager, app.conf.broker_url = old
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
