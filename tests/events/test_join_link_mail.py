"""An online event published with only the date its join link will come: when a content
admin adds the link (or changes it), everyone with a confirmed place gets one e-mail with
it, in their language, through the notification ledger. The same link never goes twice."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from events import services
from events.models import Booking
from tests.events.test_admin import _change_form
from tests.factories import CarerProfileFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/j/money-workshop"
NEW_LINK = "https://meet.example.org/j/money-workshop-2"


def carer(email: str, **user):
    return CarerProfileFactory(user__email=email, **{f"user__{k}": v for k, v in user.items()}).user


def link_to_come(**fields):
    """A published online workshop with no link yet, only the date it will come."""
    return EventFactory(
        title="Money workshop",
        title_cy="Gweithdy arian",
        capacity=2,
        join_url="",
        join_link_by=timezone.now() + timezone.timedelta(days=5),
        **fields,
    )


def with_people(event):
    """Two confirmed places (the event is full), one person waiting and one who left."""
    for email in ("ann@example.org", "bob@example.org", "cat@example.org"):
        services.booking_create(event=event, user=carer(email))
    gone = services.booking_create(event=event, user=carer("dan@example.org"))
    services.booking_cancel(booking=gone)
    return event


def add_link(event, link: str) -> int:
    old_link = event.join_url
    event.join_url = link
    event.save(update_fields=["join_url", "updated_at"])
    return services.event_join_link_changed(event=event, old_link=old_link)


def join_link_mail():
    return sorted(mail.outbox, key=lambda m: m.to[0])


def test_adding_the_link_in_admin_emails_each_confirmed_person_once(
    client, content_admin, django_capture_on_commit_callbacks
):
    event = with_people(link_to_come())
    statuses = dict(event.bookings.values_list("user__email", "status"))
    assert statuses == {
        "ann@example.org": Booking.Status.CONFIRMED,
        "bob@example.org": Booking.Status.CONFIRMED,
        "cat@example.org": Booking.Status.WAITLISTED,
        "dan@example.org": Booking.Status.CANCELLED,
    }
    mail.outbox.clear()
    client.force_login(content_admin)
    url = reverse("admin:events_event_change", args=[event.pk])
    form = _change_form(
        event, join_url=LINK, title_cy=event.title_cy, join_link_by_0="", join_link_by_1=""
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form, follow=True)

    assert response.status_code == 200
    assert "We are emailing the join link to 2 people with a place." in response.content.decode()
    sent = join_link_mail()
    assert [m.to for m in sent] == [["ann@example.org"], ["bob@example.org"]]
    for message in sent:
        assert message.subject == "The link to join: Money workshop"
        assert LINK in message.body
        assert LINK in message.alternatives[0][0]

    # Saved again with the same link (say, a typo fixed in the title): nobody is emailed.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form, "title": "Money workshop for carers"}, follow=True)

    assert response.status_code == 200
    assert "We are emailing the join link" not in response.content.decode()
    assert mail.outbox == []


def test_the_same_link_is_never_emailed_twice_and_a_new_one_is(
    django_capture_on_commit_callbacks,
):
    event = with_people(link_to_come())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert add_link(event, LINK) == 2
    with django_capture_on_commit_callbacks(execute=True):
        # Taken away and put back: the same link, already sent.
        assert add_link(event, "") == 0
        assert add_link(event, LINK) == 0
    assert len(mail.outbox) == 2
    assert "Use this link, not the one we sent before." not in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert add_link(event, NEW_LINK) == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    for message in mail.outbox:
        assert NEW_LINK in message.body
        assert "Use this link, not the one we sent before." in message.body


def test_a_link_changed_before_the_email_goes_sends_only_the_newer_one(
    django_capture_on_commit_callbacks,
):
    event = link_to_come()
    services.booking_create(event=event, user=carer("ann@example.org"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as queued:  # the worker is slow
        add_link(event, LINK)
        add_link(event, NEW_LINK)
    for callback in queued:
        callback()

    assert len(mail.outbox) == 1
    assert NEW_LINK in mail.outbox[0].body and LINK + "\n" not in mail.outbox[0].body
    assert sorted(
        Notification.objects.filter(kind=Notification.Kind.JOIN_LINK).values_list(
            "status", flat=True
        )
    ) == [Notification.Status.SENT, Notification.Status.SKIPPED]


def test_a_welsh_carer_gets_the_link_in_welsh(django_capture_on_commit_callbacks):
    event = link_to_come()
    services.booking_create(event=event, user=carer("nain@example.org", language="cy"))
    services.booking_create(event=event, user=carer("gran@example.org"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        add_link(event, LINK)

    by_address = {m.to[0]: m for m in mail.outbox}
    welsh = by_address["nain@example.org"]
    assert welsh.subject == "Y ddolen ymuno: Gweithdy arian"
    assert LINK in welsh.body
    assert "Here is the link" not in welsh.body
    assert by_address["gran@example.org"].subject == "The link to join: Money workshop"


def test_an_event_that_has_ended_emails_nobody(django_capture_on_commit_callbacks):
    event = link_to_come()
    services.booking_create(event=event, user=UserFactory(email="ann@example.org"))
    event.starts_at = timezone.now() - timezone.timedelta(hours=3)
    event.ends_at = timezone.now() - timezone.timedelta(hours=1)
    event.save(update_fields=["starts_at", "ends_at"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert add_link(event, LINK) == 0

    assert mail.outbox == []
    assert not Notification.objects.filter(kind=Notification.Kind.JOIN_LINK).exists()
