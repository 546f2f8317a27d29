"""Content admins e-mail an event's people from Django admin: one group (confirmed places,
the waiting list, or those who attended), a subject and a message, checked ("Send to 3
people") and then sent through the notification ledger, once per person, in each person's
language, to whoever is still in the group when their e-mail goes."""

import re
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from events import services
from events.models import Booking, Event, EventMessage
from tests.concurrency import run_together, saves_held_together
from tests.conftest import give_mfa
from tests.factories import CarerProfileFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Room change for Thursday"
BODY = "We have moved to the big hall.\n\nParking is at the back: https://example.org/parking"


@pytest.fixture
def admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


def carer(email: str, **user):
    return CarerProfileFactory(user__email=email, **{f"user__{k}": v for k, v in user.items()}).user


def event_with_people(*, capacity: int = 2, confirmed: int = 2, waiting: int = 1, **fields):
    """A workshop with `confirmed` places taken and `waiting` people on its waiting list."""
    event = EventFactory(capacity=capacity, title="Money workshop", **fields)
    people = {"confirmed": [], "waiting": []}
    for n in range(confirmed + waiting):
        booking = services.booking_create(event=event, user=carer(f"person{n}@example.org"))
        group = "confirmed" if booking.status == Booking.Status.CONFIRMED else "waiting"
        people[group].append(booking.user.email)
    assert [len(people["confirmed"]), len(people["waiting"])] == [confirmed, waiting]
    return event, people


def send(event, audience="confirmed", *, subject=SUBJECT, body=BODY, token=None):
    return services.event_message_send(
        event=event,
        audience=audience,
        subject=subject,
        body=body,
        sent_by=None,
        token=token or uuid.uuid4(),
    )


def message_url(event) -> str:
    return reverse("admin:events_event_message", args=[event.pk])


def ledger() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.EVENT_MESSAGE).values_list(
            "recipient__email", "status"
        )
    )


# --- The service and the e-mails ------------------------------------------------------


def test_each_person_with_a_place_is_sent_the_message_once(django_capture_on_commit_callbacks):
    event, people = event_with_people(confirmed=2, waiting=1)

    with django_capture_on_commit_callbacks(execute=True):
        message, claimed = send(event)

    assert claimed == 2
    assert ledger() == [(email, "sent") for email in sorted(people["confirmed"])]
    assert set(
        Notification.objects.filter(kind=Notification.Kind.EVENT_MESSAGE).values_list(
            "key", flat=True
        )
    ) == {f"event-message:{message.pk}"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people["confirmed"])
    for email in mail.outbox:
        assert email.subject == f"Message about Money workshop: {SUBJECT}"
        assert "We have moved to the big hall." in email.body
        assert f"http://testserver{event.get_absolute_url()}" in email.body
        assert "because you have a place at this event" in email.body
        html = email.alternatives[0][0]
        assert '<a href="https://example.org/parking"' in html  # the address became a link
    assert people["waiting"][0] not in {m.to[0] for m in mail.outbox}


def test_the_same_form_sent_twice_sends_once(django_capture_on_commit_callbacks):
    event, people = event_with_people(confirmed=2, waiting=0)
    token = uuid.uuid4()

    with django_capture_on_commit_callbacks(execute=True):
        first, claimed = send(event, token=token)
    with django_capture_on_commit_callbacks(execute=True):
        again, claimed_again = send(event, token=token)

    assert (claimed, claimed_again) == (2, None)
    assert again == first
    assert EventMessage.objects.count() == 1
    assert len(mail.outbox) == 2


def test_the_waiting_list_option_reaches_only_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event, people = event_with_people(capacity=1, confirmed=1, waiting=2)

    with django_capture_on_commit_callbacks(execute=True):
        send(event, "waiting")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(people["waiting"])
    assert "because you are on the waiting list for this event" in mail.outbox[0].body


def test_the_attended_option_reaches_only_people_marked_as_attending(
    django_capture_on_commit_callbacks,
):
    event, people = event_with_people(confirmed=2, waiting=0)
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timezone.timedelta(hours=3), ends_at=now - timezone.timedelta(hours=1)
    )
    came, missed = Booking.objects.filter(event=event).order_by("pk")
    services.booking_mark_attendance(booking=came, attended=True)
    services.booking_mark_attendance(booking=missed, attended=False)

    with django_capture_on_commit_callbacks(execute=True):
        send(event, "attended", subject="Thank you for coming")

    assert [m.to[0] for m in mail.outbox] == [came.user.email]
    assert "because you came to this event" in mail.outbox[0].body


def test_someone_who_leaves_the_group_before_their_email_goes_is_not_sent_it(
    django_capture_on_commit_callbacks,
):
    event, people = event_with_people(confirmed=2, waiting=0)
    with django_capture_on_commit_callbacks() as queued:  # claimed, not yet sent
        send(event)
    services.booking_cancel(booking=Booking.objects.get(user__email=people["confirmed"][0]))

    for callback in queued:  # the worker takes them now
        callback()

    assert [m.to[0] for m in mail.outbox] == [people["confirmed"][1]]
    assert ledger() == [(people["confirmed"][0], "skipped"), (people["confirmed"][1], "sent")]


def test_a_welsh_carer_gets_the_words_around_the_message_in_welsh(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Money workshop", title_cy="Gweithdy arian")
    cymraes = carer("nain@example.org", language="cy", first_name="Gwen")
    english = carer("gran@example.org", first_name="Jean")
    for person in (cymraes, english):
        services.booking_create(event=event, user=person)

    with django_capture_on_commit_callbacks(execute=True):
        send(event)

    by_address = {m.to[0]: m for m in mail.outbox}
    welsh, in_english = by_address[cymraes.email], by_address[english.email]
    assert welsh.subject == f"Neges ynglŷn â ‘Gweithdy arian’: {SUBJECT}"
    assert "Helo Gwen," in welsh.body
    assert "Rydych yn cael yr e-bost hwn am fod gennych le yn y digwyddiad hwn." in welsh.body
    assert f"/cy{event.get_absolute_url()}" in welsh.body
    assert "We have moved to the big hall." in welsh.body  # what the admin wrote, as written
    assert "Message about" not in welsh.body + welsh.subject
    assert in_english.subject == f"Message about Money workshop: {SUBJECT}"
    assert "Hello Jean," in in_english.body
    assert dict(
        Notification.objects.filter(kind=Notification.Kind.EVENT_MESSAGE).values_list(
            "recipient__email", "language"
        )
    ) == {cymraes.email: "cy", english.email: "en-gb"}


def test_what_the_admin_wrote_is_shown_as_text_in_the_html_email(
    django_capture_on_commit_callbacks,
):
    event, _people = event_with_people(confirmed=1, waiting=0)

    with django_capture_on_commit_callbacks(execute=True):
        send(event, subject="<b>Hi</b>", body="<script>alert(1)</script>")

    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>Hi</b>" not in html
    assert mail.outbox[0].subject.endswith(": <b>Hi</b>")  # a subject is plain text


# --- The admin pages -------------------------------------------------------------------


def token_in(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_an_admin_checks_the_message_then_sends_it_and_a_replay_sends_nothing(
    admin_client, content_admin, django_capture_on_commit_callbacks
):
    event, people = event_with_people(capacity=3, confirmed=3, waiting=1)
    attendees = admin_client.get(reverse("admin:events_event_attendees", args=[event.pk]))
    assert message_url(event) in attendees.content.decode()

    form = admin_client.get(message_url(event)).content.decode()
    assert "People with a confirmed place (3)" in form
    assert "People on the waiting list (1)" in form
    data = {"token": token_in(form), "audience": "confirmed", "subject": SUBJECT, "body": BODY}
    check = admin_client.post(message_url(event), {**data, "continue": "Continue"})
    page = check.content.decode()
    assert 'value="Send to 3 people"' in page
    assert "Parking is at the back" in page
    assert not EventMessage.objects.exists() and not mail.outbox  # nothing sent yet

    send_again = {**data, "token": token_in(page), "send": "Send to 3 people"}
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_client.post(message_url(event), send_again, follow=True)
    assert "Your message is being sent to 3 people." in sent.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people["confirmed"])
    message = EventMessage.objects.get()
    assert (message.sent_by, message.audience, message.subject) == (
        content_admin,
        "confirmed",
        SUBJECT,
    )

    with django_capture_on_commit_callbacks(execute=True):  # a double click, or a replay
        replayed = admin_client.post(message_url(event), send_again, follow=True)
    assert "This message was already sent. Nobody was emailed twice." in replayed.content.decode()
    assert len(mail.outbox) == 3
    assert EventMessage.objects.count() == 1
    assert len(ledger()) == 3


def test_form_errors_are_shown_beside_each_field_and_nothing_is_sent(
    admin_client, django_capture_on_commit_callbacks
):
    event, _people = event_with_people(capacity=2, confirmed=2, waiting=0)
    token = str(uuid.uuid4())

    with django_capture_on_commit_callbacks(execute=True):
        empty = admin_client.post(message_url(event), {"token": token, "send": "Send"})
        too_long = admin_client.post(
            message_url(event),
            {
                "token": token,
                "audience": "waiting",  # nobody is waiting
                "subject": "x" * 151,
                "body": "Hello\x00",
                "send": "Send",
            },
        )

    page = empty.content.decode()
    assert empty.status_code == 200
    assert "There is a problem" in page
    assert _row(page, "audience").count("Select who to email") == 1
    assert "Enter a subject" in _row(page, "subject")
    assert "Enter a message" in _row(page, "body")
    page = too_long.content.decode()
    assert "Nobody is on the waiting list for this event" in _row(page, "audience")
    assert "The subject must be 150 characters or fewer" in _row(page, "subject")
    assert "Null characters are not allowed" in _row(page, "body")
    assert not EventMessage.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.EVENT_MESSAGE).exists()
    assert not mail.outbox


def _row(page: str, field: str) -> str:
    """The form row that holds this field: its errors are shown there, beside it."""
    rows = page.split('<div class="form-row')
    [row] = [row for row in rows if f'name="{field}"' in row]
    return row


def test_the_event_page_lists_each_message_with_what_the_ledger_says(
    admin_client, django_capture_on_commit_callbacks
):
    event, people = event_with_people(capacity=3, confirmed=3, waiting=0)
    with django_capture_on_commit_callbacks(execute=True):
        message, _claimed = send(event)
    Notification.objects.filter(recipient__email=people["confirmed"][0]).filter(
        kind=Notification.Kind.EVENT_MESSAGE
    ).update(status=Notification.Status.FAILED)

    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))

    body = page.content.decode()
    assert SUBJECT in body
    assert "2 sent, 0 waiting, 1 failed, 0 not needed" in body
    assert message_url(event) in body
    ledger_link = (
        f"{reverse('admin:core_notification_changelist')}?key=event-message%3A{message.pk}"
    )
    assert ledger_link in body
    assert admin_client.get(ledger_link).content.decode().count(f"event-message:{message.pk}") >= 3


@pytest.mark.parametrize("who", ["visitor", "carer"])
def test_carers_and_visitors_cannot_reach_the_page(client, who, django_capture_on_commit_callbacks):
    event, _people = event_with_people(confirmed=1, waiting=0)
    if who == "carer":
        client.force_login(carer("curious@example.org"))
    data = {"token": str(uuid.uuid4()), "audience": "confirmed", "subject": "Hi", "body": "Hi"}

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(message_url(event))
        sent = client.post(message_url(event), {**data, "send": "Send"})

    for response in (page, sent):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert not EventMessage.objects.exists() and not mail.outbox


def test_staff_who_may_only_look_at_events_cannot_send(client, django_capture_on_commit_callbacks):
    event, _people = event_with_people(confirmed=1, waiting=0)
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    give_mfa(viewer)
    client.force_login(viewer)
    data = {"token": str(uuid.uuid4()), "audience": "confirmed", "subject": "Hi", "body": "Hi"}

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(message_url(event))
        sent = client.post(message_url(event), {**data, "send": "Send"})

    assert (page.status_code, sent.status_code) == (403, 403)
    assert not EventMessage.objects.exists() and not mail.outbox


def test_what_the_admin_wrote_is_shown_as_text_on_the_admin_pages(admin_client):
    event, _people = event_with_people(confirmed=1, waiting=0)
    script = "<script>alert(1)</script>"
    data = {"token": str(uuid.uuid4()), "audience": "confirmed", "subject": script, "body": script}

    check = admin_client.post(message_url(event), {**data, "continue": "Continue"})
    admin_client.post(message_url(event), {**data, "send": "Send to 1 person"})

    for page in (
        check,
        admin_client.get(message_url(event)),
        admin_client.get(reverse("admin:events_event_change", args=[event.pk])),
    ):
        body = page.content.decode()
        assert script not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_five_times_at_once_sends_once():
    """Five requests with the same form, each on its own PostgreSQL connection, all held
    until all five have looked for a message with the form's token and found none: the
    token's unique constraint lets one store it, and the other four must return that one
    and claim nothing. One message stored, one notification per person, one e-mail each."""
    event, people = event_with_people(confirmed=2, waiting=0)
    token = uuid.uuid4()
    mail.outbox.clear()  # their booking confirmations, sent as each booking committed

    with saves_held_together(EventMessage, threads=5) as arrived:
        errors = run_together(lambda _: send(event, token=token), range(5))

    assert len(arrived) == 5, f"only {len(arrived)} passed the check: not a race"
    assert errors == []
    assert EventMessage.objects.count() == 1
    assert ledger() == [(email, "sent") for email in sorted(people["confirmed"])]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people["confirmed"])
