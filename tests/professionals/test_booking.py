"""Who may book what: professionals book events for professionals or schools, carers book
events for carers, each is told plainly when an event is not for them, and an event for
one council area is for the carers who live there and the professionals who work there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Booking
from tests.conftest import give_mfa
from tests.factories import (
    CarerProfileFactory,
    EventFactory,
    StaffMembershipFactory,
    VirtualSchoolFactory,
    local_authority,
)
from tests.professionals.factories import ProfessionalFactory, ProfessionalsEventFactory

pytestmark = pytest.mark.django_db

KENT = "E10000016"


@pytest.fixture
def professional():
    return ProfessionalFactory().user


def test_a_professional_is_not_a_carer_and_costs_no_query_to_tell(
    professional, django_assert_num_queries
):
    professional.refresh_from_db()
    with django_assert_num_queries(0):
        assert professional.is_carer is False
        assert professional.is_professional is True


def test_a_professional_books_cancels_and_sees_a_professionals_event(client, professional):
    event = ProfessionalsEventFactory()
    client.force_login(professional)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Book a place" in page
    assert "Professionals, such as designated teachers and social workers" in page

    response = client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert response.status_code == 302
    booking = Booking.objects.get(event=event, user=professional)
    assert booking.status == Booking.Status.CONFIRMED
    assert "You have 1 place booked" in client.get(event.get_absolute_url()).content.decode()
    assert event.title in client.get(reverse("professionals:home")).content.decode()

    assert client.get(reverse("events:cancel", args=[event.slug])).status_code == 200
    client.post(reverse("events:cancel", args=[event.slug]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_professional_cannot_book_an_event_only_for_carers(client, professional):
    event = EventFactory(audiences=["carers"])
    with pytest.raises(services.BookingError, match="not open to professionals"):
        services.booking_create(event=event, user=professional)
    client.force_login(professional)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event is for kinship carers. It is not open to professionals." in page
    assert "Book a place" not in page
    response = client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert response.status_code == 200
    assert "It is not open to professionals" in response.content.decode()
    assert not Booking.objects.filter(event=event).exists()


def test_a_carer_pressing_book_on_a_professionals_event_is_told_why_not(client):
    carer = CarerProfileFactory().user
    event = ProfessionalsEventFactory()
    client.force_login(carer)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "It is not open to kinship carers." in page
    response = client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert response.status_code == 200
    assert "It is not open to kinship carers" in response.content.decode()
    assert not Booking.objects.filter(event=event).exists()


def test_an_event_for_carers_and_professionals_takes_both(professional):
    event = ProfessionalsEventFactory(audiences=["carers", "professionals"])
    carer = CarerProfileFactory().user
    assert services.booking_create(event=event, user=carer).status == "confirmed"
    assert services.booking_create(event=event, user=professional).status == "confirmed"


def test_virtual_school_staff_book_with_their_own_account(client):
    membership = StaffMembershipFactory()
    give_mfa(membership.user)
    event = ProfessionalsEventFactory(audiences=["schools"])
    client.force_login(membership.user)
    response = client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert response.status_code == 302
    assert Booking.objects.get(event=event).user == membership.user
    page = client.get(reverse("professionals:home")).content.decode()
    assert event.title in page
    assert f"{membership.virtual_school.name}" in page  # their team, as the register shows it


def test_an_event_for_one_council_is_for_professionals_who_work_there(professional):
    leeds = local_authority()
    event = ProfessionalsEventFactory(local_authority=leeds)
    with pytest.raises(services.BookingError, match="only for people who work in Leeds"):
        services.booking_create(event=event, user=professional)  # no area given

    professional.professional_profile.local_authority = local_authority(KENT)
    professional.professional_profile.save()
    professional.refresh_from_db()
    with pytest.raises(services.BookingError, match="only for people who work in Leeds"):
        services.booking_create(event=event, user=professional)

    professional.professional_profile.local_authority = leeds
    professional.professional_profile.save()
    professional.refresh_from_db()
    assert services.booking_create(event=event, user=professional).status == "confirmed"


def test_an_event_for_one_council_takes_that_councils_virtual_school_only(client):
    leeds_staff = StaffMembershipFactory(virtual_school=VirtualSchoolFactory())
    kent_staff = StaffMembershipFactory(
        virtual_school=VirtualSchoolFactory(local_authority=local_authority(KENT))
    )
    event = ProfessionalsEventFactory(local_authority=local_authority())
    assert services.booking_create(event=event, user=leeds_staff.user).status == "confirmed"
    with pytest.raises(services.BookingError, match="only for people who work in Leeds"):
        services.booking_create(event=event, user=kent_staff.user)


def test_a_carer_still_needs_to_live_in_the_council_area():
    event = EventFactory(local_authority=local_authority(KENT))
    carer = CarerProfileFactory().user  # in Leeds
    with pytest.raises(services.BookingError, match="only for kinship carers living in Kent"):
        services.booking_create(event=event, user=carer)


def test_the_carers_dashboard_sends_a_professional_to_their_training(client, professional):
    client.force_login(professional)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("professionals:home")
    home = client.get(reverse("professionals:home")).content.decode()
    assert "Your training" in home
    assert professional.professional_profile.organisation in home


def test_the_header_offers_a_professional_their_training_not_a_carers_pages(client, professional):
    client.force_login(professional)
    page = client.get(reverse("events:list")).content.decode()
    assert reverse("professionals:home") in page
    assert reverse("carers:profile") not in page
    assert reverse("portal:dashboard") not in page


def test_a_professional_is_reminded_before_the_event(professional, time_machine):
    from core.models import Notification

    event = ProfessionalsEventFactory()
    services.booking_create(event=event, user=professional)
    time_machine.move_to(event.starts_at - timezone.timedelta(hours=1))
    assert services.reminders_claim_due() == 1
    reminder = Notification.objects.exclude(status=Notification.Status.SKIPPED).get(
        kind="event_reminder"
    )
    assert reminder.recipient == professional


def test_the_events_list_shows_professionals_their_events(client):
    for_carers = EventFactory(title="Coffee morning for carers")
    for_schools = ProfessionalsEventFactory(audiences=["schools"], title="Designated teacher forum")
    for_everyone = EventFactory(audiences=[], title="Open webinar for everyone")
    page = client.get(reverse("events:list"), {"audience": "professionals"}).content.decode()
    assert for_schools.title in page and for_everyone.title in page
    assert for_carers.title not in page
    page = client.get(reverse("events:list"), {"audience": "carers"}).content.decode()
    assert for_carers.title in page and for_everyone.title in page
    assert for_schools.title not in page
    page = client.get(reverse("events:list"), {"audience": "pirates"}).content.decode()
    assert "Choose who it is for from the list" in page
