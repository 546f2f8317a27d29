"""A carer booked for 2 who can now bring only 1 gives a place back: the waiting list moves
up as it does after a cancellation. Only ever fewer places, never none, only their own
booking. The cancel pages count places. The dashboard's calendar feed opens a calendar app."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from events import services
from events.services import BookingError
from events.tokens import cancel_token
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db


def carer():
    return CarerProfileFactory().user


def mail_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def messages_after(client, response) -> str:
    assert response.status_code == 302
    return page(client, response["Location"])


@pytest.fixture
def full_event_with_two_waiting(carer):
    """Capacity 2, all taken by `carer`'s booking for 2; two people wait for 1 place each."""
    event = EventFactory(capacity=2)
    booking = services.booking_create(event=event, user=carer, places=2)
    first = services.booking_create(event=event, user=CarerProfileFactory().user)
    second = services.booking_create(event=event, user=CarerProfileFactory().user)
    assert (booking.status, first.status, second.status) == (
        "confirmed",
        "waitlisted",
        "waitlisted",
    )
    return event, booking, first, second


# --- The service -------------------------------------------------------------------------


def test_reducing_two_to_one_gives_the_first_waiting_person_the_place_and_tells_them_once(
    full_event_with_two_waiting, django_capture_on_commit_callbacks
):
    event, booking, first, second = full_event_with_two_waiting
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.booking_reduce_places(booking=booking, places=1)

    assert promoted == [first]
    booking.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (booking.status, booking.places) == ("confirmed", 1)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    event.refresh_from_db()
    assert event.places_left() == 0
    # The promoted person is told once; the carer is not sent their confirmation again.
    [told] = mail_to(first.user)
    assert "A place has come up" in told.subject
    assert mail_to(booking.user) == [] and mail_to(second.user) == []
    assert (
        Notification.objects.filter(kind="booking_confirmed", recipient=booking.user).count() == 1
    )

    # Nothing more to free: a later change of capacity does not tell the promoted person again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_set_capacity(event=event, capacity=2)
    assert mail_to(first.user) == []
    assert Notification.objects.filter(kind="booking_promoted", recipient=first.user).count() == 1


def test_places_can_only_go_down_and_never_to_none(carer):
    booking = services.booking_create(event=EventFactory(), user=carer, places=2)
    for places, message in (
        (2, "fewer than 2 places"),
        (3, "fewer than 2 places"),
        (0, "at least 1"),
    ):
        with pytest.raises(BookingError, match=message) as raised:
            services.booking_reduce_places(booking=booking, places=places)
        assert raised.value.field == "places"
    booking.refresh_from_db()
    assert booking.places == 2
    assert not LogEntry.objects.exists()


def test_a_cancelled_or_waiting_booking_cannot_be_changed(carer):
    event = EventFactory(capacity=2)
    booking = services.booking_create(event=event, user=carer, places=2)
    services.booking_cancel(booking=booking)
    with pytest.raises(BookingError, match="Only a booking with confirmed places"):
        services.booking_reduce_places(booking=booking, places=1)
    waiting = services.booking_create(event=event, user=carer, places=2)
    services.booking_create(event=event, user=CarerProfileFactory().user, places=2)
    waiting_too = services.booking_create(event=event, user=CarerProfileFactory().user, places=2)
    assert waiting.status == "confirmed" and waiting_too.status == "waitlisted"
    with pytest.raises(BookingError, match="Only a booking with confirmed places"):
        services.booking_reduce_places(booking=waiting_too, places=1)
    booking.refresh_from_db()
    waiting_too.refresh_from_db()
    assert (booking.places, booking.status) == (2, "cancelled")
    assert (waiting_too.places, waiting_too.status) == (2, "waitlisted")


def test_places_cannot_be_changed_once_the_event_has_started(carer, carer_client, time_machine):
    event = EventFactory()
    booking = services.booking_create(event=event, user=carer, places=2)
    time_machine.move_to(event.starts_at + timezone.timedelta(minutes=1))
    with pytest.raises(BookingError, match="has started"):
        services.booking_reduce_places(booking=booking, places=1)
    body = page(carer_client, reverse("events:change_places", args=[event.slug]))
    assert "This event has started, so the places can no longer be changed." in body
    assert 'name="places"' not in body
    carer_client.post(reverse("events:change_places", args=[event.slug]), {"places": "1"})
    booking.refresh_from_db()
    assert booking.places == 2


def test_the_change_is_in_the_bookings_history_in_admin(carer):
    booking = services.booking_create(event=EventFactory(), user=carer, places=2)
    services.booking_reduce_places(booking=booking, places=1, changed_by=carer)
    [entry] = LogEntry.objects.all()
    assert (entry.user, entry.object_id, entry.action_flag) == (carer, str(booking.pk), CHANGE)
    assert entry.get_change_message() == "Changed Places."


# --- The carer's pages -------------------------------------------------------------------


def test_carer_changes_two_places_to_one_from_the_event_page(
    carer_client, full_event_with_two_waiting, django_capture_on_commit_callbacks
):
    event, booking, first, _second = full_event_with_two_waiting
    detail = page(carer_client, reverse("events:detail", args=[event.slug]))
    change_url = reverse("events:change_places", args=[event.slug])
    assert "Cancel my 2 places" in detail
    assert f'href="{change_url}">Change the number of places</a>' in detail

    form = page(carer_client, change_url)
    assert "You have 2 places booked" in form
    assert "Change to 1 place" in form  # the one answer there is: a confirmation, not a question
    assert 'type="radio"' not in form

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = carer_client.post(change_url, {"places": "1"})
    after = messages_after(carer_client, response)
    assert "You now have 1 place booked." in after
    assert "You have 1 place booked" in after
    assert "Cancel my place" in after and "Change the number of places" not in after
    booking.refresh_from_db()
    first.refresh_from_db()
    assert (booking.places, first.status) == (1, "confirmed")
    assert [m.to for m in mail.outbox] == [[first.user.email]]
    assert LogEntry.objects.get().user == booking.user


def test_three_places_offer_one_or_two_and_the_message_counts_them(carer_client, carer):
    event = EventFactory(max_places_per_booking=3)
    booking = services.booking_create(event=event, user=carer, places=3)
    url = reverse("events:change_places", args=[event.slug])
    form = page(carer_client, url)
    assert "How many places do you need now?" in form
    assert 'value="1"' in form and 'value="2"' in form and 'value="3"' not in form
    assert ">1 place</label>" in form and ">2 places</label>" in form

    after = messages_after(carer_client, carer_client.post(url, {"places": "2"}))
    assert "You now have 2 places booked." in after
    booking.refresh_from_db()
    assert booking.places == 2


@pytest.mark.parametrize("places", ["4", "3", "0", "", "two"])
def test_the_page_refuses_more_the_same_or_none_beside_the_field(carer_client, carer, places):
    event = EventFactory(max_places_per_booking=3)
    booking = services.booking_create(event=event, user=carer, places=3)
    response = carer_client.post(
        reverse("events:change_places", args=[event.slug]), {"places": places}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Choose how many places you need now" in body
    booking.refresh_from_db()
    assert booking.places == 3
    assert not LogEntry.objects.exists()


def test_someone_elses_booking_cannot_be_changed(carer_client):
    event = EventFactory()
    theirs = services.booking_create(event=event, user=carer(), places=2)
    url = reverse("events:change_places", args=[event.slug])
    assert carer_client.get(url).status_code == 404
    assert carer_client.post(url, {"places": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.places == 2


def test_a_cancelled_or_waiting_booking_has_no_change_page(carer_client, carer):
    event = EventFactory(capacity=2)
    url = reverse("events:change_places", args=[event.slug])
    booking = services.booking_create(event=event, user=carer, places=2)
    services.booking_cancel(booking=booking)
    assert carer_client.get(url).status_code == 404
    assert carer_client.post(url, {"places": "1"}).status_code == 404
    services.booking_create(event=event, user=CarerProfileFactory().user, places=2)
    services.booking_create(event=event, user=carer, places=2)  # waiting list
    assert carer_client.get(url).status_code == 404
    detail = page(carer_client, reverse("events:detail", args=[event.slug]))
    assert "Change the number of places" not in detail


def test_a_single_place_is_the_fewest(carer_client, carer):
    event = EventFactory()
    services.booking_create(event=event, user=carer, places=1)
    assert "Change the number of places" not in page(
        carer_client, reverse("events:detail", args=[event.slug])
    )
    body = page(carer_client, reverse("events:change_places", args=[event.slug]))
    assert "1 place is the fewest you can have." in body
    assert reverse("events:cancel", args=[event.slug]) in body
    assert 'name="places"' not in body


# --- Cancelling counts places ------------------------------------------------------------


def test_cancelling_two_places_says_two(carer_client, carer):
    event = EventFactory()
    services.booking_create(event=event, user=carer, places=2)
    url = reverse("events:cancel", args=[event.slug])
    confirm = page(carer_client, url)
    assert "Cancel your 2 places" in confirm  # the page title
    assert "Are you sure you want to cancel your 2 places?" in confirm
    assert "Your 2 places will go to people on the waiting list." in confirm
    assert "Yes, cancel my 2 places" in confirm
    assert "your place" not in confirm
    # If only some of the family cannot come, the page points to the change instead.
    assert reverse("events:change_places", args=[event.slug]) in confirm

    after = messages_after(carer_client, carer_client.post(url))
    assert "Your 2 places have been cancelled. Thank you for letting us know." in after


def test_cancelling_one_place_still_says_your_place(carer_client, carer):
    event = EventFactory()
    services.booking_create(event=event, user=carer, places=1)
    url = reverse("events:cancel", args=[event.slug])
    confirm = page(carer_client, url)
    assert "Are you sure you want to cancel your place?" in confirm
    assert "Yes, cancel my place" in confirm
    assert reverse("events:change_places", args=[event.slug]) not in confirm
    after = messages_after(carer_client, carer_client.post(url))
    assert "Your place has been cancelled. Thank you for letting us know." in after


def test_the_emailed_cancel_link_counts_places(client):
    booking = services.booking_create(event=EventFactory(), user=carer(), places=2)
    url = reverse("events:cancel_by_link", args=[cancel_token(booking)])
    confirm = page(client, url)
    assert "Cancel your 2 places" in confirm
    assert "We will give your 2 places to people on the waiting list." in confirm
    assert "Yes, cancel my 2 places" in confirm
    done = page(client, client.post(url)["Location"])
    assert "Your 2 places have been cancelled" in done
    assert "Your 2 places will go to people on the waiting list." in done


def test_leaving_the_waiting_list_by_link_is_not_called_a_cancelled_place(client):
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=carer())
    waiting = services.booking_create(event=event, user=carer())
    url = reverse("events:cancel_by_link", args=[cancel_token(waiting)])
    done = page(client, client.post(url)["Location"])
    assert "<title>You have left the waiting list" in done
    assert "has been cancelled" not in done


# --- Content admins ----------------------------------------------------------------------


@pytest.fixture
def content_admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


def test_a_content_admin_reduces_places_from_the_attendee_list(
    content_admin_client,
    content_admin,
    full_event_with_two_waiting,
    django_capture_on_commit_callbacks,
):
    event, booking, first, second = full_event_with_two_waiting
    attendees_url = reverse("admin:events_event_attendees", args=[event.pk])
    reduce_url = reverse("admin:events_booking_reduce_places", args=[booking.pk])
    attendees = page(content_admin_client, attendees_url)
    assert reduce_url in attendees
    assert reverse("admin:events_booking_reduce_places", args=[first.pk]) not in attendees

    change_page = reverse("admin:events_booking_change", args=[booking.pk])
    assert reduce_url in page(content_admin_client, change_page)
    form = page(content_admin_client, reduce_url)
    assert '<option value="1">1</option>' in form and 'value="2"' not in form
    assert '<option value="" selected>' in form  # nothing given away by a slip

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = content_admin_client.post(reduce_url, {"places": "1"})
    assert response.status_code == 302 and response["Location"] == attendees_url
    after = page(content_admin_client, attendees_url)
    assert "now has 1 place." in after
    assert "1 person was moved from the waiting list and emailed." in after
    booking.refresh_from_db()
    first.refresh_from_db()
    assert (booking.places, first.status) == (1, "confirmed")
    assert [m.to for m in mail.outbox] == [[first.user.email]]
    entry = LogEntry.objects.get()
    assert entry.user == content_admin and entry.object_id == str(booking.pk)
    # The booking's view-only page links to the change only while it can be made.
    assert reduce_url not in page(content_admin_client, change_page)


def test_the_admin_cannot_add_places_or_change_a_waiting_booking(
    content_admin_client, full_event_with_two_waiting
):
    _event, booking, first, _second = full_event_with_two_waiting
    url = reverse("admin:events_booking_reduce_places", args=[booking.pk])
    response = content_admin_client.post(url, {"places": "3"})
    assert response.status_code == 200
    assert "Choose how many places to keep" in response.content.decode()
    booking.refresh_from_db()
    assert booking.places == 2
    waiting_page = page(
        content_admin_client, reverse("admin:events_booking_reduce_places", args=[first.pk])
    )
    assert "Only a confirmed booking of 2 or more places can be reduced" in waiting_page
    assert (
        content_admin_client.post(
            reverse("admin:events_booking_reduce_places", args=[first.pk]), {"places": "1"}
        ).status_code
        == 200
    )
    first.refresh_from_db()
    assert (first.status, first.places) == ("waitlisted", 1)
    assert (
        content_admin_client.get(
            reverse("admin:events_booking_reduce_places", args=["not-a-number"])
        ).status_code
        == 404
    )


# --- The calendar feed on the dashboard --------------------------------------------------


def test_dashboard_offers_the_feed_as_a_webcal_link_and_a_copy_button(carer_client, carer):
    body = page(carer_client, reverse("portal:dashboard"))
    path = reverse("events:feed", args=[carer.carer_profile.calendar_token])
    webcal = f'href="webcal://testserver{path}">'
    assert webcal + "Add to your phone or computer's calendar</a>" in body
    assert f'<code id="calendar-feed-url">http://testserver{path}</code>' in body
    # The button is hidden until the module finds a browser that can copy.
    assert 'data-portal-copy-from="calendar-feed-url"' in body and "Copy link" in body
    assert 'data-portal-copied="Link copied"' in body and 'aria-live="polite"' in body
    assert 'src="/static/js/copy.mjs"' in body
    assert "<script>" not in body  # the Content-Security-Policy allows no inline script
    for how in ("iPhone, iPad or Mac", "Android phone (Google Calendar)", "Outlook"):
        assert how in body
