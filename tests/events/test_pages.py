import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Booking
from events.tokens import cancel_token
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_carer_books_from_the_event_page(carer_client, carer, django_capture_on_commit_callbacks):
    from django.core import mail

    event = EventFactory(capacity=5)
    page = carer_client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "5 places left" in page and "Book a place" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = carer_client.post(
            reverse("events:book", args=[event.slug]),
            {"places": "2", "access_needs": "Step-free access"},
        )
    assert response.status_code == 302
    booking = Booking.objects.get(user=carer)
    assert (booking.places, booking.status, booking.access_needs) == (
        2,
        "confirmed",
        "Step-free access",
    )
    assert mail.outbox[0].to == [carer.email]
    page = carer_client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "You have 2 places booked" in page and "3 places left" in page


def test_join_link_only_for_confirmed_attendees(client, carer_client, carer):
    event = EventFactory(capacity=1)
    other = CarerProfileFactory().user
    services.booking_create(event=event, user=other)  # fills it
    url = reverse("events:detail", args=[event.slug])
    assert event.join_url not in client.get(url).content.decode()  # visitor
    assert event.join_url not in carer_client.get(url).content.decode()  # not booked
    services.booking_create(event=event, user=carer)  # waiting list
    page = carer_client.get(url).content.decode()
    assert "number 1" in page and event.join_url not in page
    client.force_login(other)
    assert event.join_url in client.get(url).content.decode()
    # Their own calendar file has it too (tests/events/test_joining_online.py has the rest).
    assert event.join_url in client.get(reverse("events:ics", args=[event.slug])).content.decode()


def test_full_event_offers_the_waiting_list(carer_client):
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=CarerProfileFactory().user)
    page = carer_client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Full – join the waiting list" in page and "Join the waiting list" in page
    carer_client.post(reverse("events:book", args=[event.slug]), {"places": "1"})
    assert Booking.objects.filter(status="waitlisted").count() == 1


def test_booking_form_errors_are_shown_beside_the_field(carer_client):
    event = EventFactory(max_places_per_booking=2)
    response = carer_client.post(
        reverse("events:book", args=[event.slug]), {"places": "7", "access_needs": "x" * 1001}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose how many people are coming" in body
    assert "Access needs must be 1,000 characters or fewer" in body
    assert not Booking.objects.exists()


def test_restricted_event_explains_who_can_book(carer_client):
    from tests.factories import local_authority

    event = EventFactory(local_authority=local_authority("E10000016"))
    page = carer_client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "only for kinship carers living in Kent" in page
    assert "Book a place" not in page


def test_visitor_is_asked_to_sign_in_to_book(client):
    event = EventFactory()
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Sign in to book" in page
    response = client.post(reverse("events:book", args=[event.slug]), {"places": "1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_cancel_from_the_page_promotes_the_next(carer_client, carer):
    event = EventFactory(capacity=1)
    services.booking_create(event=event, user=carer)
    waiting = services.booking_create(event=event, user=CarerProfileFactory().user)
    confirm = carer_client.get(reverse("events:cancel", args=[event.slug]))
    assert "Are you sure you want to cancel your place?" in confirm.content.decode()
    carer_client.post(reverse("events:cancel", args=[event.slug]))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_one_click_cancel_link_needs_no_sign_in_and_confirms_first(client):
    event = EventFactory(capacity=1)
    booking = services.booking_create(event=event, user=CarerProfileFactory().user)
    url = reverse("events:cancel_by_link", args=[cancel_token(booking)])
    page = client.get(url).content.decode()
    assert "Can you no longer come?" in page
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # looking is not cancelling
    response = client.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert "Your place has been cancelled" in client.get(response["Location"]).content.decode()


def test_tampered_cancel_link_is_a_404(client):
    booking = services.booking_create(event=EventFactory(), user=CarerProfileFactory().user)
    token = cancel_token(booking)
    assert client.get(reverse("events:cancel_by_link", args=[token[:-2] + "xx"])).status_code == 404
    assert client.post(reverse("events:cancel_by_link", args=["not-a-token"])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_list_shows_upcoming_events_and_filters(client):
    EventFactory(title="Online SEND webinar", kind="webinar", format="online")
    EventFactory(title="Leeds coffee morning", kind="peer_support", format="in_person")
    EventFactory(title="Past event", starts_at=timezone.now() - timezone.timedelta(days=3))
    EventFactory(title="Draft event", status="draft")
    body = client.get(reverse("events:list")).content.decode()
    assert "Online SEND webinar" in body and "Leeds coffee morning" in body
    assert "Past event" not in body and "Draft event" not in body
    body = client.get(reverse("events:list"), {"format": "in_person"}).content.decode()
    assert "Leeds coffee morning" in body and "Online SEND webinar" not in body
    body = client.get(
        reverse("events:list"), {"kind": "webinar", "format": "in_person"}
    ).content.decode()
    assert "0 upcoming events" in body


def test_area_filter_shows_national_and_local_events(client):
    from tests.factories import local_authority

    EventFactory(title="National webinar")
    EventFactory(title="Kent workshop", local_authority=local_authority("E10000016"))
    EventFactory(title="Leeds workshop", local_authority=local_authority("E08000035"))
    kent = local_authority("E10000016").pk
    body = client.get(reverse("events:list"), {"area": kent}).content.decode()
    assert "National webinar" in body and "Kent workshop" in body and "Leeds workshop" not in body


def test_calendar_month_grid(client):
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    import datetime

    EventFactory(
        title="December drop-in", starts_at=datetime.datetime(2026, 12, 10, 11, 0, tzinfo=london)
    )
    body = client.get(reverse("events:calendar"), {"month": "2026-12"}).content.decode()
    assert "Events in December 2026" in body
    assert "Thursday 10 December 2026" in body
    assert "11am December drop-in" in body
    assert "?month=2026-11" in body and "?month=2027-01" in body
    bad = client.get(reverse("events:calendar"), {"month": "13-2026"})
    assert bad.status_code == 200 and "Enter a month like 2026-12" in bad.content.decode()


def test_dashboard_lists_bookings_and_waiting_places(carer_client, carer):
    booked = EventFactory(title="Booked workshop")
    full = EventFactory(title="Full workshop", capacity=1)
    services.booking_create(event=full, user=CarerProfileFactory().user)
    services.booking_create(event=booked, user=carer)
    services.booking_create(event=full, user=carer)
    body = carer_client.get(reverse("portal:dashboard")).content.decode()
    assert "Booked workshop" in body and "Booked: 1 place" in body
    assert "Full workshop" in body and "On the waiting list" in body


def test_booking_is_rate_limited(carer_client, carer, settings):
    from django.core.cache import cache

    cache.clear()
    settings.BOOKING_RATE_LIMIT = "2/m"
    events = [EventFactory() for _ in range(3)]
    for event in events[:2]:
        assert (
            carer_client.post(
                reverse("events:book", args=[event.slug]), {"places": "1"}
            ).status_code
            == 302
        )
    response = carer_client.post(reverse("events:book", args=[events[2].slug]), {"places": "1"})
    assert response.status_code == 200
    assert "You have tried to book too many times" in response.content.decode()
    assert not Booking.objects.filter(event=events[2]).exists()
    cache.clear()


def test_a_staff_only_recording_is_not_linked_for_carers(
    client, carer_client, carer, officer, time_machine
):
    from tests.factories import ResourceFactory

    public = EventFactory(title="Public webinar")
    internal = EventFactory(title="Staff webinar")
    public.recording = ResourceFactory(title="Public recording", kind="recording")
    internal.recording = ResourceFactory(title="Staff recording", kind="recording", staff_only=True)
    public.save()
    internal.save()
    services.booking_create(event=public, user=carer)
    services.booking_create(event=internal, user=carer)
    staff_url = internal.recording.get_absolute_url()

    def page(browser, event) -> str:
        return browser.get(reverse("events:detail", args=[event.slug])).content.decode()

    assert public.recording.get_absolute_url() in page(carer_client, public)
    assert staff_url not in page(carer_client, internal)
    assert "Watch the recording" not in page(carer_client, internal)
    time_machine.move_to(timezone.now() + timezone.timedelta(days=11), tick=False)
    dashboard = carer_client.get(reverse("portal:dashboard")).content.decode()
    assert "Staff webinar" in dashboard and staff_url not in dashboard
    assert public.recording.get_absolute_url() in dashboard
    client.force_login(officer)
    assert staff_url in page(client, internal)  # staff may open it, so it is linked for them
