"""The attendance register in admin: everyone with a confirmed place, who they are, and a
present or absent choice for each, saved together; printable; reached from the event."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Booking
from tests.conftest import give_mfa
from tests.factories import CarerProfileFactory, StaffMembershipFactory, UserFactory
from tests.professionals.factories import ProfessionalFactory, ProfessionalsEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


@pytest.fixture
def event_with_people():
    """A training event for professionals and carers, booked by a designated teacher (with
    access needs), a Virtual School officer and a carer of 2."""
    event = ProfessionalsEventFactory(audiences=["carers", "professionals"], capacity=10)
    teacher = ProfessionalFactory(
        user__first_name="Amira", user__last_name="Bello", organisation="Oakwood Primary School"
    ).user
    officer = StaffMembershipFactory(user__first_name="Owen", user__last_name="Clarke").user
    give_mfa(officer)
    carer = CarerProfileFactory(user__first_name="Joan", user__last_name="Mensah").user
    people = {
        "teacher": event_services.booking_create(
            event=event, user=teacher, access_needs="Step-free access, please"
        ),
        "officer": event_services.booking_create(event=event, user=officer),
        "carer": event_services.booking_create(event=event, user=carer, places=2),
    }
    mail.outbox.clear()
    return event, people


def register_url(event) -> str:
    return reverse("admin:professionals_attendance_register", args=[event.pk])


def _started(event):
    """The event began an hour ago (bookings were made before)."""
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timezone.timedelta(hours=1),
        ends_at=timezone.now() + timezone.timedelta(hours=1),
    )


def test_the_register_lists_who_is_coming_and_who_they_are(admin_client, event_with_people):
    event, _ = event_with_people
    page = admin_client.get(register_url(event))
    assert page.status_code == 200
    html = page.content.decode()
    for text in [
        "Amira Bello",
        "Designated teacher",
        "Oakwood Primary School",
        "Step-free access, please",
        "Owen Clarke",
        "Virtual School staff",
        "Joan Mensah",
        "Kinship carer",
        "3 bookings with a confirmed place, 4 places in all",
    ]:
        assert text in html, text
    # Alphabetical by surname, to find people quickly at the door.
    assert html.index("Amira Bello") < html.index("Owen Clarke") < html.index("Joan Mensah")
    # Before the start it is a sheet to print, not a form to save.
    assert "You can record who was there once the event has started" in html
    assert 'name="attended-' not in html
    assert "professionals/register.css" in html
    assert "Print the register" in html


def test_the_register_is_printable(admin_client, event_with_people):
    event, _ = event_with_people
    admin_client.get(register_url(event))
    from django.contrib.staticfiles import finders

    with open(finders.find("professionals/register.css")) as stylesheet:
        css = stylesheet.read()
    assert "@media print" in css
    assert "#header" in css and ".register-print-only" in css


def test_marks_are_saved_together(
    admin_client, event_with_people, django_capture_on_commit_callbacks
):
    event, people = event_with_people
    _started(event)
    page = admin_client.get(register_url(event)).content.decode()
    assert f'name="attended-{people["teacher"].pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            register_url(event),
            {
                f"attended-{people['teacher'].pk}": "present",
                f"attended-{people['officer'].pk}": "absent",
                f"attended-{people['carer'].pk}": "present",
            },
            follow=True,
        )
    assert "Attendance saved for 3 people." in response.content.decode()
    marks = {name: Booking.objects.get(pk=b.pk).attended for name, b in people.items()}
    assert marks == {"teacher": True, "officer": False, "carer": True}
    # Present at an event that gives certificates: theirs is e-mailed (not to the absent).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["teacher"].user.email, people["carer"].user.email]
    )
    html = admin_client.get(register_url(event)).content.decode()
    assert html.count("Emailed") == 2


def test_nothing_is_saved_before_the_event_starts(admin_client, event_with_people):
    event, people = event_with_people
    from professionals import services

    with pytest.raises(event_services.BookingError):
        services.attendance_register_save(event=event, marks={b.pk: True for b in people.values()})
    assert not Booking.objects.filter(attended__isnull=False).exists()


def test_a_register_with_a_cancelled_booking_saves_nothing(admin_client, event_with_people):
    event, people = event_with_people
    _started(event)
    Booking.objects.filter(pk=people["officer"].pk).update(status=Booking.Status.CANCELLED)
    response = admin_client.post(
        register_url(event),
        {
            f"attended-{people['teacher'].pk}": "present",
            f"attended-{people['carer'].pk}": "present",
        },
        follow=True,
    )
    # The officer's row is no longer on the register: the others are saved.
    assert "Attendance saved for 2 people." in response.content.decode()
    from professionals import services

    with pytest.raises(event_services.BookingError, match="has been cancelled"):
        services.attendance_register_save(
            event=event,
            marks={people["teacher"].pk: False, people["officer"].pk: True},
        )
    assert Booking.objects.get(pk=people["teacher"].pk).attended is True  # unchanged


def test_a_made_up_mark_saves_nothing(admin_client, event_with_people):
    event, people = event_with_people
    _started(event)
    response = admin_client.post(
        register_url(event),
        {f"attended-{people['teacher'].pk}": "present", f"attended-{people['carer'].pk}": "maybe"},
        follow=True,
    )
    assert "Choose present or absent for each person" in response.content.decode()
    assert not Booking.objects.filter(attended__isnull=False).exists()


def test_the_register_is_linked_from_the_event_and_its_attendees(admin_client, event_with_people):
    event, _ = event_with_people
    change = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert register_url(event) in change.content.decode()
    attendees = admin_client.get(reverse("admin:events_event_attendees", args=[event.pk]))
    assert register_url(event) in attendees.content.decode()


def test_only_content_admins_reach_the_register(client, event_with_people):
    event, _ = event_with_people
    client.force_login(CarerProfileFactory().user)
    assert client.get(register_url(event)).status_code == 302  # to the admin's sign-in
    staff_without_rights = UserFactory(is_staff=True)
    give_mfa(staff_without_rights)
    client.force_login(staff_without_rights)
    assert client.get(register_url(event)).status_code == 403


def test_the_register_needs_two_factor_authentication(client, event_with_people):
    from django.contrib.auth.models import Permission

    event, _ = event_with_people
    admin = UserFactory(is_staff=True)  # no authenticator app yet
    admin.user_permissions.add(Permission.objects.get(codename="view_booking"))
    client.force_login(admin)
    response = client.get(register_url(event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))  # ?next=the register


def test_a_content_admin_cannot_open_professional_profiles(admin_client):
    assert (
        admin_client.get(reverse("admin:professionals_professionalprofile_changelist")).status_code
        == 403
    )


def test_marking_on_the_attendees_page_sends_certificates_too(
    admin_client, event_with_people, django_capture_on_commit_callbacks
):
    event, people = event_with_people
    _started(event)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:events_event_attendees", args=[event.pk]),
            {f"attended-{people['teacher'].pk}": "yes"},
        )
    [message] = mail.outbox
    assert message.to == [people["teacher"].user.email]
    assert message.attachments[0][2] == "application/pdf"


def _register_queries(client, event) -> list[str]:
    """The page's queries, less the session's own (saved on some requests, not others)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(register_url(event))
    assert page.status_code == 200
    return [
        q["sql"]
        for q in queries
        if "accounts_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


def test_the_register_reads_the_same_number_of_queries_for_3_or_12_people(
    admin_client, event_with_people
):
    event, _ = event_with_people
    type(event).objects.filter(pk=event.pk).update(capacity=20)
    with_3 = _register_queries(admin_client, event)
    for _n in range(3):  # three more of each kind of person
        event_services.booking_create(event=event, user=ProfessionalFactory().user)
        event_services.booking_create(event=event, user=StaffMembershipFactory().user)
        event_services.booking_create(event=event, user=CarerProfileFactory().user)
    with_12 = _register_queries(admin_client, event)
    assert Booking.objects.filter(event=event, status="confirmed").count() == 12
    assert len(with_12) == len(with_3), "the register reads each person's role or team one by one"
