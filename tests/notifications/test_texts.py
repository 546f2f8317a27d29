"""Text messages through GOV.UK Notify (the fake in tests/fakes/notify.py): each channel of
each notification is its own ledger row, sent once; Notify's refusals and receipts are
recorded; with no Notify key the portal sends e-mail exactly as before."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import registry, tasks
from core.models import Notification
from events import services
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db

MOBILE = "+447700900123"


@pytest.fixture
def texts_wanted(monkeypatch):
    """The carers app's choice, stood in for: these people want e-mail and a text for
    bookings, reminders and cancellations, at MOBILE."""
    people = set()
    text_kinds = {"booking_confirmed", "booking_promoted", "event_reminder", "event_cancelled"}
    failed = []
    monkeypatch.setitem(
        registry._texts,
        "channels",
        lambda user, kind: (
            {"email", "sms"} if user.pk in people and kind in text_kinds else {"email"}
        ),
    )
    monkeypatch.setitem(
        registry._texts, "mobile", lambda user: MOBILE if user.pk in people else None
    )
    monkeypatch.setitem(registry._texts, "failure", lambda user: failed.append(user.pk))
    return people, failed


def _book(carer, django_capture_on_commit_callbacks, *, execute=True, **event):
    with django_capture_on_commit_callbacks(execute=execute):
        return services.booking_create(event=EventFactory(**event), user=carer)


def test_one_text_and_one_email_for_a_confirmation_even_when_the_task_runs_twice(
    client, fake_notify_email, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    booking = _book(carer, django_capture_on_commit_callbacks, title="Cuppa and chat")

    rows = Notification.objects.filter(kind="booking_confirmed", recipient=carer)
    assert sorted(rows.values_list("channel", "status")) == [("email", "sent"), ("sms", "sent")]
    for row in rows:  # a duplicated or retried task finds nothing pending
        assert tasks.send_notification.run(row.pk) == "not pending"
    assert len(fake_notify_email.texts) == 1 and len(fake_notify_email.emails) == 1

    [text] = fake_notify_email.texts
    assert text["phone_number"] == MOBILE
    body = text["personalisation"]["body"]
    assert body.startswith("Kinship Portal: you are booked on Cuppa and chat, ")
    short = f"/events/e/{booking.event.pk}/"
    assert body.endswith(f"http://testserver{short}")
    assert client.get(short)["Location"] == booking.event.get_absolute_url()
    sms = rows.get(channel="sms")
    assert text["reference"] == f"notification-{sms.pk}"
    assert sms.provider_id and sms.fragments == 1
    [email] = fake_notify_email.emails
    assert email["email_address"] == carer.email
    assert email["reference"] == f"notification-{rows.get(channel='email').pk}"


def test_people_who_chose_no_texts_get_email_only(
    fake_notify_email, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    _book(carer, django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("channel", flat=True)) == ["email"]
    assert fake_notify_email.texts == [] and len(fake_notify_email.emails) == 1


def test_a_kind_with_no_text_skips_its_text_row(
    fake_notify, texts_wanted, monkeypatch, django_capture_on_commit_callbacks
):
    """Someone whose choice says text for a kind the portal writes no text for (joining a
    waiting list): the row is claimed, then skipped, never sent empty."""
    monkeypatch.setitem(registry._texts, "channels", lambda user, kind: {"email", "sms"})
    event = EventFactory(capacity=1)
    first, second = CarerProfileFactory().user, CarerProfileFactory().user
    texts_wanted[0].update({first.pk, second.pk})
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, user=first)
        services.booking_create(event=event, user=second)
    waitlisted = Notification.objects.get(kind="booking_waitlisted", channel="sms")
    assert waitlisted.status == "skipped"
    assert len(fake_notify.texts) == 1  # only the first carer's confirmation


def test_a_429_from_notify_is_retried_with_backoff_and_sent_later(
    fake_notify, texts_wanted, monkeypatch, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    _book(carer, django_capture_on_commit_callbacks, execute=False)
    sms = Notification.objects.get(channel="sms")
    fake_notify.fail_next(429, times=2)
    countdowns = []
    monkeypatch.setattr(
        tasks.send_notification,
        "retry",
        lambda exc=None, countdown=None, **kw: (
            countdowns.append(countdown) or (_ for _ in ()).throw(exc)
        ),
    )
    for _ in range(2):
        with pytest.raises(Exception, match="429"):
            tasks.send_notification.run(sms.pk)
        sms.refresh_from_db()
        assert sms.status == "pending" and "RateLimitError" in sms.last_error
    assert countdowns == [30, 60]  # exponential backoff
    assert tasks.send_notification.run(sms.pk) == "sent"
    assert len(fake_notify.texts) == 1
    assert texts_wanted[1] == []  # a busy Notify is not the number's fault


def test_notify_refusing_the_number_fails_at_once_and_turns_texts_off(
    fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    fake_notify.fail_next(400)
    _book(carer, django_capture_on_commit_callbacks)
    sms = Notification.objects.get(channel="sms")
    assert sms.status == "failed" and sms.attempts == 1
    assert texts_wanted[1] == [carer.pk]
    assert Notification.objects.get(channel="email").status == "sent"  # mail still went


def test_an_answer_lost_on_the_way_back_is_not_sent_again(
    fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    """Notify took the request but its answer never came: it may have sent the text. The row
    waits for a person, as when a worker dies mid-handover."""
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    fake_notify.drop_next()
    _book(carer, django_capture_on_commit_callbacks)
    sms = Notification.objects.get(channel="sms")
    assert sms.status == "unknown"
    assert tasks.send_notification.run(sms.pk) == "not pending"
    assert len(fake_notify.texts) == 1


# Delivery receipts -----------------------------------------------------------------------


def _receipt(client, fake, row, status, token=None):
    body = fake.receipt(row.provider_id or "00000000-0000-0000-0000-000000000000", status)
    body["reference"] = f"notification-{row.pk}"
    return client.post(
        reverse("core:notify_callback"),
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token or fake.callback_token}"},
    )


def test_a_permanent_failure_receipt_turns_texts_off(
    client, fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    _book(carer, django_capture_on_commit_callbacks)
    sms = Notification.objects.get(channel="sms")
    assert _receipt(client, fake_notify, sms, "permanent-failure").status_code == 204
    sms.refresh_from_db()
    assert sms.delivery == "permanent-failure" and sms.delivery_at is not None
    assert texts_wanted[1] == [carer.pk]


def test_a_delivered_receipt_is_recorded_on_its_own_row(
    client, fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    _book(carer, django_capture_on_commit_callbacks)
    sms = Notification.objects.get(channel="sms")
    _receipt(client, fake_notify, sms, "delivered")
    assert Notification.objects.get(channel="sms").delivery == "delivered"
    assert Notification.objects.get(channel="email").delivery == ""
    assert texts_wanted[1] == []


def test_receipts_need_the_token(
    client, fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    _book(carer, django_capture_on_commit_callbacks)
    sms = Notification.objects.get(channel="sms")
    assert _receipt(client, fake_notify, sms, "permanent-failure", token="guess").status_code == 401
    sms.refresh_from_db()
    assert sms.delivery == "" and texts_wanted[1] == []
    # A receipt naming another Notify id is not this row's.
    body = fake_notify.receipt(sms.provider_id, "permanent-failure")
    body["id"] = "11111111-1111-1111-1111-111111111111"
    client.post(
        reverse("core:notify_callback"),
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {fake_notify.callback_token}"},
    )
    sms.refresh_from_db()
    assert sms.delivery == ""


def test_with_no_callback_token_there_is_no_callback(client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    response = client.post(reverse("core:notify_callback"), "{}", content_type="application/json")
    assert response.status_code == 404


# Without Notify ----------------------------------------------------------------------------


def test_with_no_notify_key_mail_goes_as_before(django_capture_on_commit_callbacks):
    carer = CarerProfileFactory().user
    _book(carer, django_capture_on_commit_callbacks, title="Worker workshop")
    [row] = Notification.objects.all()
    assert (row.channel, row.status, row.provider_id) == ("email", "sent", "")
    [message] = mail.outbox
    assert "X-Portal-Reference" not in message.extra_headers
    assert message.attachments  # the .ics still goes with the e-mail


# The cost of texts -------------------------------------------------------------------------


def test_admin_counts_texts_and_fragments_each_month(
    client, content_admin, fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    for _ in range(2):
        carer = CarerProfileFactory().user
        texts_wanted[0].add(carer.pk)
        _book(carer, django_capture_on_commit_callbacks, title="A " + "very long title " * 12)
    client.force_login(content_admin)
    page = client.get(reverse("admin:core_notification_texts")).content.decode()
    fragments = sum(Notification.objects.filter(channel="sms").values_list("fragments", flat=True))
    assert fragments >= 4  # each of these texts is more than one fragment
    assert "<td>2</td>" in page and f"<td>{fragments}</td>" in page


# Calendar files by link ----------------------------------------------------------------------


def test_through_notify_the_email_links_to_her_own_calendar_file(
    client, fake_notify_email, django_capture_on_commit_callbacks
):
    """Notify takes no attachments: the confirmation links to the booking's own calendar
    file, signed, instead of attaching it."""
    carer = CarerProfileFactory().user
    booking = _book(carer, django_capture_on_commit_callbacks, title="Cuppa and chat")
    [email] = fake_notify_email.emails
    body = email["personalisation"]["body"]
    [link] = [word for word in body.split() if "/events/bookings/calendar/" in word]
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Cuppa and chat" in response.content.decode()
    # Tampered with, it is nobody's.
    assert client.get(link.removeprefix("http://testserver")[:-8] + "xxxx.ics").status_code == 404
    assert booking.event.slug in response["Content-Disposition"]


def test_the_pending_sweep_never_sends_a_text_twice(
    fake_notify, texts_wanted, django_capture_on_commit_callbacks
):
    carer = CarerProfileFactory().user
    texts_wanted[0].add(carer.pk)
    _book(carer, django_capture_on_commit_callbacks)
    assert len(fake_notify.texts) == 1
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.requeue_pending_notifications()
    assert len(fake_notify.texts) == 1
    # A text still waiting (the broker was down) goes once when the sweep finds it.
    sms = Notification.objects.get(channel="sms")
    Notification.objects.filter(pk=sms.pk).update(status="pending", sent_at=None)
    for _ in range(2):
        tasks.requeue_pending_notifications()
    assert len(fake_notify.texts) == 2
    assert Notification.objects.get(pk=sms.pk).status == "sent"
