"""The notification ledger: claimed once, sent once, failures recorded and retried."""

import smtplib

import pytest
from django.core import mail
from icalendar import Calendar

from core.models import Notification
from core.notify import notify
from core.tasks import send_notification
from events import services
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_the_same_occasion_is_claimed_once():
    user = CarerProfileFactory().user
    first = notify(kind="booking_confirmed", recipient=user, key="booking:1")
    second = notify(kind="booking_confirmed", recipient=user, key="booking:1")
    assert first is not None and second is None
    assert Notification.objects.count() == 1


def test_a_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        booking = services.booking_create(event=EventFactory(), user=CarerProfileFactory().user)
    notification = Notification.objects.get(kind="booking_confirmed")
    assert send_notification.apply(args=[notification.pk]).get() == "sent"
    assert send_notification.apply(args=[notification.pk]).get() == "not pending"
    assert [m.to for m in mail.outbox] == [[booking.user.email]]


def test_confirmation_carries_the_calendar_file_and_join_link(django_capture_on_commit_callbacks):
    event = EventFactory(title="Calendar workshop")
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, user=CarerProfileFactory().user)
    [message] = mail.outbox
    assert event.join_url in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    [vevent] = Calendar.from_ical(content).walk("VEVENT")
    assert (
        str(vevent.get("summary")) == "Calendar workshop"
        and str(vevent.get("status")) == "CONFIRMED"
    )
    html = message.alternatives[0][0]
    assert event.join_url in html and "http://testserver/" in html  # absolute links in every part


def test_waiting_list_mail_has_no_join_link(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=CarerProfileFactory().user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, user=CarerProfileFactory().user)
    [message] = mail.outbox
    assert "waiting list" in message.subject.lower()
    assert event.join_url not in message.body
    assert "/profile/edit/" in message.body  # manage preferences


def test_failures_are_recorded_and_retried_with_backoff(
    monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not picked it up yet
        services.booking_create(event=EventFactory(), user=CarerProfileFactory().user)
    notification = Notification.objects.get(kind="booking_confirmed")

    calls = {"n": 0}
    from core import tasks

    real = tasks.deliver

    def flaky(message):
        calls["n"] += 1
        if calls["n"] < 3:
            raise ConnectionRefusedError("mail server down")
        real(message)

    monkeypatch.setattr(tasks, "deliver", flaky)
    countdowns = []
    monkeypatch.setattr(
        tasks.send_notification,
        "retry",
        lambda exc=None, countdown=None, **kw: (
            countdowns.append(countdown) or (_ for _ in ()).throw(exc)
        ),
    )
    for _ in range(2):
        with pytest.raises(ConnectionRefusedError):
            tasks.send_notification.run(notification.pk)
        notification.refresh_from_db()
        assert notification.status == "pending" and "mail server down" in notification.last_error
    assert countdowns == [30, 60]  # exponential backoff
    assert tasks.send_notification.run(notification.pk) == "sent"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1


def test_a_refused_address_fails_at_once_and_others_still_go(
    monkeypatch, django_capture_on_commit_callbacks
):
    from core import tasks

    bad = CarerProfileFactory(user__email="nobody@invalid.example").user
    good = CarerProfileFactory().user
    real = tasks.deliver

    def refuse_bad(message):
        if message["to"] == [bad.email]:
            raise smtplib.SMTPRecipientsRefused({bad.email: (550, b"No such user")})
        real(message)

    monkeypatch.setattr(tasks, "deliver", refuse_bad)
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, user=bad)
        services.booking_create(event=event, user=good)
    assert [m.to for m in mail.outbox] == [[good.email]]
    failed = Notification.objects.get(recipient=bad)
    assert failed.status == "failed" and "No such user" in failed.last_error


def test_admin_can_retry_failed_notifications(
    client, content_admin, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    booking = services.booking_create(event=EventFactory(), user=CarerProfileFactory().user)
    Notification.objects.filter(kind="booking_confirmed").update(
        status="failed", attempts=6, last_error="down"
    )
    client.force_login(content_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:core_notification_changelist"),
            {
                "action": "retry_failed",
                "_selected_action": list(Notification.objects.values_list("pk", flat=True)),
            },
        )
    assert Notification.objects.get(kind="booking_confirmed").status == "sent"
    assert mail.outbox[-1].to == [booking.user.email]


def test_staff_summary_plugs_in_sections(django_capture_on_commit_callbacks):
    from core import registry
    from schools.services.staff import staff_summaries_claim_due
    from tests.factories import StaffMembershipFactory

    member = StaffMembershipFactory()

    def provider(m):
        return {
            "title": "Follow-ups due",
            "items": [{"text": "Call Roundhay School", "url": ""}],
        }

    registry._summary_providers.append(provider)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert staff_summaries_claim_due() == 1
            assert staff_summaries_claim_due() == 0  # once a day
    finally:
        registry._summary_providers.remove(provider)
    [message] = mail.outbox
    assert message.to == [member.user.email]
    assert "Call Roundhay School" in message.body
