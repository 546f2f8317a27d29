"""Joining an online event: only people with a confirmed place ever get the join link (page,
dashboard, calendar files, feed, emails); the "Join the event" button shows from 15 minutes
before the start; an online event is not published without its link or the date it will come;
one calendar UID per event. And the question for the speaker asked at booking."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from carers.selectors import carer_export
from events import services
from events.models import Booking, Event
from tests.events.test_admin import _change_form, read_csv
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db

NEEDED = (
    "Enter the online join link, or the date you will send it, before publishing an online event"
)
# The start-style button that links to the join link: its whole opening tag.
BUTTON = re.compile(
    r'<a href="https://meet\.example\.org/secret-room-123"[^>]*govuk-button--start[^>]*>'
)


def _vevent(response):
    assert response.status_code == 200
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    return vevent


def _feed(client, user):
    return client.get(reverse("events:feed", args=[user.carer_profile.calendar_token]))


def _everything_sent() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        parts += [str(attachment[1]) for attachment in message.attachments]
    return "\n".join(parts)


@pytest.fixture
def content_admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


# --- Who sees the link ---------------------------------------------------------------------


def test_a_visitor_never_sees_the_join_link(client):
    event = EventFactory()
    assert event.join_url not in client.get(event.get_absolute_url()).content.decode()
    download = client.get(reverse("events:ics", args=[event.slug]))
    assert event.join_url not in download.content.decode()
    assert str(_vevent(download).get("url")) == f"http://testserver{event.get_absolute_url()}"


def test_a_carer_on_the_waiting_list_never_sees_the_join_link(
    carer_client, carer, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=CarerProfileFactory().user)  # takes the place
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(event=event, user=carer)
    assert booking.status == Booking.Status.WAITLISTED

    [email] = mail.outbox
    assert "waiting list" in email.subject.lower()
    assert event.join_url not in _everything_sent()
    page = carer_client.get(event.get_absolute_url()).content.decode()
    assert "number 1" in page and event.join_url not in page
    assert "Join the event" not in page
    assert event.join_url not in carer_client.get(reverse("portal:dashboard")).content.decode()
    assert (
        event.join_url
        not in carer_client.get(reverse("events:ics", args=[event.slug])).content.decode()
    )
    feed = _feed(carer_client, carer)
    assert str(_vevent(feed).get("status")) == "TENTATIVE"
    assert event.join_url not in feed.content.decode()


def test_a_carer_who_cancelled_no_longer_gets_the_link(carer_client, carer):
    event = EventFactory()
    services.booking_cancel(booking=services.booking_create(event=event, user=carer))
    assert event.join_url not in carer_client.get(event.get_absolute_url()).content.decode()
    assert event.join_url not in _feed(carer_client, carer).content.decode()


def test_a_confirmed_booker_gets_the_link_on_the_page_in_calendar_files_and_emails(
    carer_client, carer, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Online money workshop")
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(event=event, user=carer)
    assert event.join_url in _everything_sent()  # the confirmation and its calendar file

    page = carer_client.get(event.get_absolute_url()).content.decode()
    assert f'<a class="govuk-link" href="{event.join_url}" rel="noopener noreferrer">' in page
    dashboard = carer_client.get(reverse("portal:dashboard")).content.decode()
    assert event.join_url in dashboard

    own_file = carer_client.get(reverse("events:ics", args=[event.slug]))
    assert own_file["Cache-Control"] == "private, no-store"
    vevent = _vevent(own_file)
    assert str(vevent.get("url")) == event.join_url
    assert str(vevent.get("location")) == event.join_url
    assert event.join_url in str(vevent.get("description"))

    from_feed = _vevent(_feed(carer_client, carer))
    assert str(from_feed.get("url")) == event.join_url
    assert event.join_url in str(from_feed.get("description"))


def test_the_join_button_shows_from_15_minutes_before_the_start_until_the_end(
    carer_client, carer, time_machine
):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    event = EventFactory(
        starts_at=now + datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=90),
    )
    services.booking_create(event=event, user=carer)
    join_at = timezone.localtime(event.starts_at - datetime.timedelta(minutes=15))

    def pages() -> list[str]:
        return [
            carer_client.get(event.get_absolute_url()).content.decode(),
            carer_client.get(reverse("portal:dashboard")).content.decode(),
        ]

    time_machine.move_to(event.starts_at - datetime.timedelta(minutes=16), tick=False)
    for page in pages():
        assert not BUTTON.search(page)
        assert "You can join from 15 minutes before it starts." in page
        assert f"from {join_at:%A} {join_at.day} {join_at:%B %Y}, " in page  # when it will come
        assert event.join_url in page  # the link itself, as text

    time_machine.move_to(event.starts_at - datetime.timedelta(minutes=14), tick=False)
    for page in pages():
        button = BUTTON.search(page)
        assert button and 'rel="noopener noreferrer"' in button.group()
        assert "Join the event" in page
        assert "You can join from 15 minutes before it starts." not in page

    time_machine.move_to(event.ends_at - datetime.timedelta(minutes=1), tick=False)
    assert BUTTON.search(pages()[0])
    time_machine.move_to(event.ends_at, tick=False)
    assert not BUTTON.search(pages()[0])


def test_an_online_event_published_before_the_rule_says_the_link_will_come(carer_client, carer):
    event = EventFactory(join_url="")  # published with no link and no date, as old events were
    services.booking_create(event=event, user=carer)
    page = carer_client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert "The link to join will be here before the event starts." in page.content.decode()
    assert carer_client.get(reverse("portal:dashboard")).status_code == 200

    event.join_link_by = event.starts_at - datetime.timedelta(days=2)
    event.save()
    page = carer_client.get(event.get_absolute_url()).content.decode()
    when = timezone.localtime(event.join_link_by)
    assert f"The link to join will be here by {when:%A} {when.day} {when:%B %Y}, " in page


# --- Publishing ----------------------------------------------------------------------------


def test_an_online_event_is_not_published_without_its_link_or_the_date_it_will_come():
    event = EventFactory(status=Event.Status.DRAFT, format=Event.Format.HYBRID, join_url="")
    event.venue_name = "Town hall"
    event.save()
    with pytest.raises(services.BookingError, match=NEEDED) as refused:
        services.event_publish(event=event)
    assert refused.value.field == "join_url"
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT

    event.status = Event.Status.PUBLISHED
    with pytest.raises(ValidationError) as invalid:
        event.full_clean()
    assert invalid.value.message_dict["join_url"] == [NEEDED]

    event.refresh_from_db()
    event.join_link_by = event.starts_at - datetime.timedelta(days=1)
    event.save()
    services.event_publish(event=event)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    in_person = EventFactory(status="draft", format=Event.Format.IN_PERSON, join_url="")
    assert services.event_publish(event=in_person).status == Event.Status.PUBLISHED


def test_the_admin_form_says_beside_the_join_link_field_what_is_missing(content_admin_client):
    event = EventFactory(status=Event.Status.DRAFT, join_url="")
    url = reverse("admin:events_event_change", args=[event.pk])

    response = content_admin_client.post(url, _change_form(event, status="published"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["join_url"] == [NEEDED]
    assert response.content.decode().count(NEEDED) == 1
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT

    by = timezone.localtime(event.starts_at - datetime.timedelta(days=1))
    response = content_admin_client.post(
        url,
        _change_form(
            event,
            status="published",
            join_link_by_0=f"{by:%Y-%m-%d}",
            join_link_by_1=f"{by:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.join_link_by == by.replace(microsecond=0)


def test_the_publish_action_refuses_an_online_draft_without_a_link(content_admin_client):
    missing = EventFactory(status=Event.Status.DRAFT, join_url="", title="No link yet")
    ready = EventFactory(status=Event.Status.DRAFT, title="Link ready")
    response = content_admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish_events", "_selected_action": [missing.pk, ready.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert f"No link yet was not published: {NEEDED}" in body
    assert "1 event published." in body
    missing.refresh_from_db()
    ready.refresh_from_db()
    assert (missing.status, ready.status) == ("draft", "published")


# --- One UID per event ---------------------------------------------------------------------


def test_the_event_pages_calendar_file_and_the_feed_give_the_same_uid(carer_client, carer):
    event = EventFactory()
    # Cancelled and booked again: still one VEVENT for the event in the feed.
    services.booking_cancel(booking=services.booking_create(event=event, user=carer))
    services.booking_create(event=event, user=carer)

    public = _vevent(Client().get(reverse("events:ics", args=[event.slug])))  # a visitor
    own = _vevent(carer_client.get(reverse("events:ics", args=[event.slug])))
    feed = _vevent(_feed(carer_client, carer))
    again = _vevent(_feed(carer_client, carer))

    assert str(public.get("uid")) == f"event-{event.pk}@testserver"
    assert str(own.get("uid")) == str(feed.get("uid")) == str(public.get("uid"))
    assert str(again.get("uid")) == str(feed.get("uid"))
    assert str(feed.get("status")) == "CONFIRMED"


# --- A question for the speaker ------------------------------------------------------------


def test_the_question_for_the_speaker_reaches_the_organisers(carer_client, carer, content_admin):
    event = EventFactory()
    page = carer_client.get(event.get_absolute_url()).content.decode()
    assert "Is there anything you would like the speaker to cover? (optional)" in page
    assert page.index('name="access_needs"') < page.index('name="question"')

    carer_client.post(
        reverse("events:book", args=[event.slug]),
        {"places": "1", "question": "  How do we explain contact visits?  "},
    )
    booking = Booking.objects.get(user=carer)
    assert booking.question == "How do we explain contact visits?"

    organiser = Client()
    organiser.force_login(content_admin)
    attendees = organiser.get(
        reverse("admin:events_event_attendees", args=[event.pk])
    ).content.decode()
    assert "Question for the speaker" in attendees
    assert "How do we explain contact visits?" in attendees

    rows = read_csv(organiser.get(reverse("admin:events_event_attendees_csv", args=[event.pk])))
    column = rows[0].index("Question for the speaker")
    assert rows[1][column] == "How do we explain contact visits?"

    [exported] = carer_export(profile=carer.carer_profile)["bookings"]
    assert exported["question_for_the_speaker"] == "How do we explain contact visits?"


def test_a_question_over_1000_characters_is_refused_beside_the_field(carer_client):
    event = EventFactory()
    response = carer_client.post(
        reverse("events:book", args=[event.slug]), {"places": "1", "question": "x" * 1001}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["question"] == ["Your question must be 1,000 characters or fewer"]
    assert "Your question must be 1,000 characters or fewer" in response.content.decode()
    assert not Booking.objects.exists()

    with pytest.raises(services.BookingError) as refused:  # the service holds the rule too
        services.booking_create(event=event, user=CarerProfileFactory().user, question="x" * 1001)
    assert refused.value.field == "question"
    assert not Booking.objects.exists()
