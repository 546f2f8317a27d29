"""Content admins run events from Django admin: attendee lists, capacity, cancelling, booking
for carers who phone. And the e-mails carers get about their bookings."""

import csv
import io
import itertools
import warnings

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.deprecation import RemovedInDjango60Warning

from events import notifications, services
from events.models import Booking, Event
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
JOIN_URL = "https://meet.example.org/j/kinship-123"


def make_event(*, capacity: int = 10, **fields) -> Event:
    """A published online event that starts in 10 days, with `capacity` places."""
    n = next(_numbers)
    starts_at = timezone.now().replace(microsecond=0) + timezone.timedelta(days=10)
    values = {
        "title": f"Workshop {n}",
        "slug": f"workshop-{n}",
        "summary": "Help for kinship carers.",
        "starts_at": starts_at,
        "ends_at": starts_at + timezone.timedelta(hours=2),
        "capacity": capacity,
        "max_places_per_booking": 4,
        "status": Event.Status.PUBLISHED,
        "format": Event.Format.ONLINE,
        "join_url": JOIN_URL,
        **fields,
    }
    topics = values.pop("topics", [])
    event = Event.objects.create(**values)
    event.topics.set(topics)
    return event


def book(event: Event, user=None, **kwargs) -> Booking:
    return services.booking_create(event=event, user=user or UserFactory(), **kwargs)


def run_action(client, model: str, action: str, objects):
    return client.post(
        reverse(f"admin:events_{model}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects]},
    )


@pytest.fixture
def content_admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- Attendee lists ----------------------------------------------------------------------


def test_csv_export_lists_the_selected_events_confirmed_first(content_admin_client, content_admin):
    first = make_event(capacity=1, title="Money workshop")
    second = make_event(capacity=5, title="School admissions")
    not_selected = make_event(title="Not selected")
    alice = UserFactory(first_name="Alice", last_name="Smith", email="alice@example.com")
    hacker = UserFactory(first_name="=HYPERLINK(1)", last_name="X", email="h@example.com")
    book(
        first,
        alice,
        places=1,
        access_needs="Wheelchair user",
        question="Can we talk about school transport?",
        booked_by=content_admin,
    )
    book(first, hacker, access_needs="+44 7700 900000 call me")  # full: waiting list
    book(second, UserFactory(email="bob@example.com"), places=2)
    book(not_selected, UserFactory(email="carol@example.com"))

    response = run_action(content_admin_client, "event", "export_attendees", [second, first])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="attendees-{today}.csv"'
    rows = read_csv(response)
    assert rows[0] == [
        "Event",
        "Starts",
        "Name",
        "Email",
        "Places",
        "Status",
        "Access needs",
        "Question for the speaker",
        "Booked on behalf by",
        "Attended",
    ]
    assert [(r[0], r[3], r[5]) for r in rows[1:]] == [
        ("Money workshop", "alice@example.com", "Confirmed"),
        ("Money workshop", "h@example.com", "On the waiting list"),
        ("School admissions", "bob@example.com", "Confirmed"),
    ]
    alice_row, hacker_row, bob_row = rows[1:]
    assert alice_row[2] == "Alice Smith"
    assert alice_row[6] == "Wheelchair user"
    assert alice_row[7] == "Can we talk about school transport?"
    assert alice_row[8] == content_admin.email
    assert bob_row[4] == "2"
    # ISO 8601 in UK time, as every export writes a date and time (core.spreadsheets).
    assert alice_row[1] == timezone.localtime(first.starts_at).replace(microsecond=0).isoformat()
    assert alice_row[9] == bob_row[9] == ""  # attendance not recorded yet: an empty cell
    # Spreadsheet formulas are neutralised.
    assert hacker_row[2] == "'=HYPERLINK(1) X"
    assert hacker_row[6] == "'+44 7700 900000 call me"


def _attendees_page(size: int):
    event = make_event(capacity=size // 2)
    bookings = [
        book(event, UserFactory(email=f"person-{i:02d}@example.com"), access_needs=f"need {i}")
        for i in range(size)
    ]
    return event, bookings


# Session and user (2), the content admin's MFA check (1), their permissions, their own and
# their group's (2: a content admin is not a superuser), the event with its counts (1), its
# bookings with people joined (1), the staff membership for role checks (1), and the session's
# idle-timeout stamp saved in a savepoint (3). The same for 2 bookings as for 20.
@pytest.mark.parametrize("size", [2, 20])
def test_attendees_page_lists_places_then_waiting_list(
    content_admin_client, django_assert_num_queries, size
):
    event, bookings = _attendees_page(size)
    url = reverse("admin:events_event_attendees", args=[event.pk])

    with django_assert_num_queries(11):
        response = content_admin_client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    confirmed_part, waiting_part = body.split('id="waiting"')
    half = size // 2
    for booking in bookings[:half]:
        assert booking.user.email in confirmed_part
    for booking in bookings[half:]:
        assert booking.user.email not in confirmed_part
    positions = [waiting_part.index(b.user.email) for b in bookings[half:]]
    assert positions == sorted(positions)  # the order people joined the waiting list
    assert reverse("admin:events_event_attendees_csv", args=[event.pk]) in body

    change_page = content_admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert url in change_page.content.decode()


def test_per_event_csv_has_only_that_event(content_admin_client):
    event, bookings = _attendees_page(4)
    book(make_event(), UserFactory(email="elsewhere@example.com"))

    rows = read_csv(
        content_admin_client.get(reverse("admin:events_event_attendees_csv", args=[event.pk]))
    )

    assert [r[3] for r in rows[1:]] == [b.user.email for b in bookings]


def test_attendance_is_stored_once_the_event_has_started(content_admin_client):
    event = make_event()
    came, missed = book(event), book(event)
    url = reverse("admin:events_event_attendees", args=[event.pk])
    data = {f"attended-{came.pk}": "yes", f"attended-{missed.pk}": "no"}

    too_early = content_admin_client.post(url, data, follow=True)  # not started yet
    assert "You can record attendance once the event has started" in too_early.content.decode()
    came.refresh_from_db()
    assert came.attended is None

    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timezone.timedelta(hours=1), ends_at=now + timezone.timedelta(hours=1)
    )
    response = content_admin_client.post(url, data, follow=True)

    assert "Attendance saved for 2 bookings" in response.content.decode()
    came.refresh_from_db()
    missed.refresh_from_db()
    assert came.attended is True and missed.attended is False


def test_attendance_actions_on_bookings(content_admin_client):
    started = make_event()
    upcoming = make_event()
    came, too_early = book(started), book(upcoming)
    now = timezone.now()
    Event.objects.filter(pk=started.pk).update(
        starts_at=now - timezone.timedelta(hours=3), ends_at=now - timezone.timedelta(hours=1)
    )

    run_action(content_admin_client, "booking", "mark_attended", [came, too_early])

    came.refresh_from_db()
    too_early.refresh_from_db()
    assert came.attended is True
    assert too_early.attended is None


# --- Changing events ---------------------------------------------------------------------


def _change_form(event: Event, **overrides) -> dict:
    def split(value):
        local = timezone.localtime(value)
        return f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"

    data = {
        "title": event.title,
        "slug": event.slug,
        "summary": event.summary,
        "description": event.description,
        "kind": event.kind,
        "organiser": event.organiser,
        "status": event.status,
        "format": event.format,
        "join_url": event.join_url,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "access_information": event.access_information,
        "capacity": event.capacity,
        "max_places_per_booking": event.max_places_per_booking,
        "booking_opens_at_0": "",
        "booking_opens_at_1": "",
        "booking_closes_at_0": "",
        "booking_closes_at_1": "",
        "audiences": ["carers"],
        "topics": [t.pk for t in event.topics.all()],
        "local_authority": "",
        "recording": "",
        # The recordings and materials inline: none added here.
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
        # A course's sessions inline: none here (tests/events/test_courses.py adds some).
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data["starts_at_0"], data["starts_at_1"] = split(event.starts_at)
    data["ends_at_0"], data["ends_at_1"] = split(event.ends_at)
    data.update(overrides)
    return data


def test_raising_capacity_gives_the_first_waiting_person_a_place(
    content_admin_client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    book(event, UserFactory(email="first@example.com"))
    waiting_first = book(event, UserFactory(email="second@example.com"))
    waiting_next = book(event, UserFactory(email="third@example.com"))
    assert waiting_first.status == waiting_next.status == Booking.Status.WAITLISTED

    with django_capture_on_commit_callbacks(execute=True):
        response = content_admin_client.post(
            reverse("admin:events_event_change", args=[event.pk]),
            _change_form(event, capacity=2, title="Money workshop (bigger room)"),
            follow=True,
        )

    assert response.status_code == 200
    assert "1 person was moved from the waiting list" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2 and event.title == "Money workshop (bigger room)"
    waiting_first.refresh_from_db()
    waiting_next.refresh_from_db()
    assert waiting_first.status == Booking.Status.CONFIRMED
    assert waiting_next.status == Booking.Status.WAITLISTED
    assert [m.to for m in mail.outbox] == [["second@example.com"]]
    assert mail.outbox[0].subject.startswith("A place has come up")
    assert JOIN_URL in mail.outbox[0].body


def test_event_form_has_no_django_6_url_warning(content_admin_client):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = content_admin_client.get(reverse("admin:events_event_add"))
    assert response.status_code == 200
    assert not [w for w in caught if issubclass(w.category, RemovedInDjango60Warning)]


def test_cancel_action_cancels_every_booking_and_tells_each_person(
    content_admin_client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    placed = book(event, UserFactory(email="placed@example.com"))
    waiting = book(event, UserFactory(email="waiting@example.com"))
    other = make_event()
    book(other)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(content_admin_client, "event", "cancel_events", [event])

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert not event.bookings.filter(status__in=["confirmed", "waitlisted"]).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [placed.user.email, waiting.user.email]
    local_start = timezone.localtime(event.starts_at)
    for message in mail.outbox:
        assert message.subject.startswith(f"Cancelled: {event.title} on {local_start:%A}")
        assert JOIN_URL not in message.body
    assert other.bookings.get().status == Booking.Status.CONFIRMED


def test_cancelling_a_booking_in_admin_moves_the_waiting_list_up(
    content_admin_client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    placed = book(event, UserFactory(email="placed@example.com"))
    waiting = book(event, UserFactory(email="waiting@example.com"))

    with django_capture_on_commit_callbacks(execute=True):
        run_action(content_admin_client, "booking", "cancel_bookings", [placed])

    placed.refresh_from_db()
    waiting.refresh_from_db()
    assert placed.status == Booking.Status.CANCELLED
    assert waiting.status == Booking.Status.CONFIRMED
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["placed@example.com"].startswith("Your booking is cancelled")
    assert subjects["waiting@example.com"].startswith("A place has come up")


def test_bookings_cannot_be_deleted_or_edited(content_admin_client):
    booking = book(make_event())
    response = content_admin_client.get(reverse("admin:events_booking_change", args=[booking.pk]))
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    delete_url = reverse("admin:events_booking_delete", args=[booking.pk])
    assert content_admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_duplicate_action_makes_a_draft_a_week_later_with_the_same_topics(content_admin_client):
    topics = [TopicFactory(), TopicFactory()]
    event = make_event(topics=topics)

    run_action(content_admin_client, "event", "duplicate_events", [event])

    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == Event.Status.DRAFT
    assert copy.starts_at == event.starts_at + timezone.timedelta(days=7)
    assert copy.title == event.title and copy.slug != event.slug
    assert set(copy.topics.all()) == set(topics)


def test_event_list_shows_places_booked_and_waiting(content_admin_client):
    event = make_event(capacity=3)
    book(event, places=2)
    book(event, places=2)  # does not fit: waiting list

    response = content_admin_client.get(reverse("admin:events_event_changelist"))

    row = response.context["cl"].result_list.get(pk=event.pk)
    assert (row.confirmed_places, row.waiting_count, row.places_left()) == (2, 1, 1)


# --- Booking on a carer's behalf ----------------------------------------------------------


def _book_for(client, event, email, **extra):
    data = {"event": event.pk, "carer_email": email, "places": 1, "access_needs": "", **extra}
    return client.post(reverse("admin:events_booking_add"), data)


def test_booking_on_behalf_emails_the_carer_and_records_who_booked(
    content_admin_client, content_admin, carer, django_capture_on_commit_callbacks
):
    event = make_event(capacity=5)

    with django_capture_on_commit_callbacks(execute=True):
        response = _book_for(
            content_admin_client, event, carer.email.upper(), places=2, access_needs="Hearing loop"
        )

    assert response.status_code == 302
    booking = Booking.objects.get(event=event)
    assert booking.user == carer
    assert booking.booked_by == content_admin
    assert (booking.status, booking.places, booking.access_needs) == (
        "confirmed",
        2,
        "Hearing loop",
    )
    assert [m.to for m in mail.outbox] == [[carer.email]]
    message = mail.outbox[0]
    assert message.subject == f"Your place is booked: {event.title}"
    assert "Hearing loop" in message.body and JOIN_URL in message.body


def test_booking_on_behalf_with_an_unknown_email_says_so_beside_the_field(content_admin_client):
    event = make_event()

    response = _book_for(content_admin_client, event, "nobody@example.com")

    assert response.status_code == 200
    form = response.context["adminform"].form
    error = "No account uses this email address. Ask the carer to create an account first."
    assert form.errors["carer_email"] == [error]
    assert error in response.content.decode()
    assert not Booking.objects.exists()
    assert mail.outbox == []


def test_booking_on_behalf_for_too_many_places_says_so_beside_places(content_admin_client, carer):
    event = make_event(max_places_per_booking=2)

    response = _book_for(content_admin_client, event, carer.email, places=3)

    assert response.context["adminform"].form.errors["places"] == ["You can book up to 2 places"]
    assert not Booking.objects.exists()


def test_booking_on_behalf_for_a_full_event_joins_the_waiting_list(
    content_admin_client, carer, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    book(event)

    with django_capture_on_commit_callbacks(execute=True):
        response = _book_for(content_admin_client, event, carer.email)

    assert response.status_code == 302
    assert Booking.objects.get(user=carer).status == Booking.Status.WAITLISTED
    assert [m.subject for m in mail.outbox] == [f"You're on the waiting list: {event.title}"]


# --- E-mails -----------------------------------------------------------------------------


def _send_all(booking, capture) -> dict:
    """Send each booking e-mail about `booking`; return the messages by template name."""
    senders = {
        "booking_confirmed": lambda: notifications.booking_confirmed(booking),
        "booking_waitlisted": lambda: notifications.booking_waitlisted(booking),
        "booking_promoted": lambda: notifications.booking_promoted(booking),
        "booking_cancelled": lambda: notifications.booking_cancelled(booking, was_confirmed=True),
        "event_cancelled": lambda: notifications.event_cancelled(booking),
    }
    sent = {}
    for name, send in senders.items():
        mail.outbox.clear()
        with capture(execute=True):
            send()
        (sent[name],) = mail.outbox
    return sent


def _booking(event) -> Booking:
    return Booking.objects.create(
        event=event, user=UserFactory(first_name="Maureen"), places=1, status="confirmed"
    )


def test_emails_give_the_join_link_only_to_people_with_a_place(
    django_capture_on_commit_callbacks,
):
    event = make_event(organiser="Leeds Virtual School")
    booking = _booking(event)
    local_start = timezone.localtime(event.starts_at)
    date_words = f"{local_start:%A} {local_start.day} {local_start:%B %Y}"

    sent = _send_all(booking, django_capture_on_commit_callbacks)

    for name, message in sent.items():
        html = message.alternatives[0][0]
        has_place = name in ("booking_confirmed", "booking_promoted")
        assert (JOIN_URL in message.body) is has_place, name
        assert (JOIN_URL in html) is has_place, name
        assert date_words in message.body and date_words in html, name
        assert f"{local_start:%A}" in message.body and f"{local_start:%B}" in message.body
        assert "Manage your email preferences" in message.body, name
        assert "Hello Maureen" in message.body, name
        assert message.to == [booking.user.email]

    cancel_link = "http://testserver/events/bookings/cancel/"
    for name in ("booking_confirmed", "booking_promoted", "booking_waitlisted"):
        assert cancel_link in sent[name].body, name
    assert "I can no longer come" in sent["booking_confirmed"].body
    assert "Add to your calendar" in sent["booking_confirmed"].body
    assert "If a place comes up" in sent["booking_waitlisted"].body
    assert sent["booking_confirmed"].subject == f"Your place is booked: {event.title}"
    assert sent["event_cancelled"].subject == f"Cancelled: {event.title} on {date_words}"


def test_in_person_emails_give_the_venue_and_no_join_link(django_capture_on_commit_callbacks):
    event = make_event(
        format=Event.Format.IN_PERSON,
        venue_name="Leeds Central Library",
        venue_address="Calverley Street\nLeeds LS1 3AB",
        access_information="Step-free entrance on Centenary Street.",
    )
    booking = _booking(event)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.booking_confirmed(booking)

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert "Leeds Central Library" in message.body and "Calverley Street" in message.body
    assert "Step-free entrance" in message.body and "Step-free entrance" in html
    assert "Calverley Street<br>Leeds LS1 3AB" in html
    assert JOIN_URL not in message.body and JOIN_URL not in html
