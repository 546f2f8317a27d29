"""A professional's own account: closing it (as a carer's closes, carers.services.carer_delete),
seeing and downloading what the portal keeps about them, and choosing their e-mails."""

import datetime
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Session, User
from core.models import Notification
from core.notify import common_context
from events import services as event_services
from events.models import Booking
from events.tasks import send_due_reminders
from professionals import services
from professionals.models import ProfessionalProfile
from tests.factories import PASSWORD, CarerProfileFactory
from tests.professionals.factories import (
    ProfessionalFactory,
    ProfessionalsEventFactory,
    attended,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional():
    return ProfessionalFactory(
        user__first_name="Anita",
        user__last_name="Patel",
        organisation="Roundhay School",
    ).user


def _close_through_the_page(client, user):
    client.force_login(user)
    response = client.post(reverse("professionals:delete"), {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert not User.objects.filter(pk=user.pk).exists()


# Closing the account ----------------------------------------------------------------------------


def test_the_training_page_leads_to_closing_the_account_and_to_their_data(client, professional):
    client.force_login(professional)
    home = client.get(reverse("professionals:home")).content.decode()
    assert reverse("professionals:delete") in home
    assert reverse("professionals:export") in home
    details = client.get(reverse("professionals:details")).content.decode()
    assert reverse("professionals:delete") in details


def test_their_place_on_a_full_course_goes_to_the_first_person_waiting(
    client, professional, django_capture_on_commit_callbacks
):
    course = ProfessionalsEventFactory(title="Attachment in the classroom", capacity=1)
    first, second = ProfessionalFactory().user, ProfessionalFactory().user
    event_services.booking_create(
        event=course, user=professional, access_needs="Captions", question="About exclusions?"
    )
    event_services.booking_create(event=course, user=first)
    event_services.booking_create(event=course, user=second)
    address = professional.email
    mail.outbox.clear()

    client.force_login(professional)
    page = client.get(reverse("professionals:delete")).content.decode()
    assert "Close your account" in page
    assert "Attachment in the classroom" in page and "give it to the next person waiting" in page
    assert "This cannot be undone" in page
    with django_capture_on_commit_callbacks(execute=True):
        _close_through_the_page(client, professional)

    assert Booking.objects.get(user=first).status == "confirmed"
    assert Booking.objects.get(user=second).status == "waitlisted"
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert "Attachment in the classroom" in by_recipient[(first.email,)].subject
    goodbye = by_recipient[(address,)]
    assert goodbye.subject == "Your Kinship Portal account has been deleted"
    assert "your place at Attachment in the classroom" in goodbye.body
    assert "your role, your organisation and the council area you work in" in goodbye.body
    assert (second.email,) not in by_recipient
    kept = Booking.objects.get(event=course, user__isnull=True)
    assert (kept.status, kept.access_needs, kept.question) == ("cancelled", "", "")


def test_past_attendance_stays_anonymous_so_it_still_counts(client, professional):
    past = attended(professional, title="Pupil Premium Plus explained")
    Booking.objects.filter(pk=past.pk).update(access_needs="Hearing loop", question="Funding?")
    client.force_login(professional)  # a session of their own, which must go with them
    assert Session.objects.filter(user=professional).exists()
    profile_pk = professional.professional_profile.pk

    _close_through_the_page(client, professional)

    past.refresh_from_db()
    assert (past.user, past.status, past.attended) == (None, "confirmed", True)
    assert (past.access_needs, past.question) == ("", "")
    assert not ProfessionalProfile.objects.filter(pk=profile_pk).exists()
    assert not EmailAddress.objects.filter(email=professional.email).exists()
    assert not Session.objects.filter(user_id=professional.pk).exists()
    assert not Notification.objects.filter(recipient_id=professional.pk).exists()
    # The organisers' register still counts someone there, without a name.
    assert Booking.objects.filter(event=past.event, attended=True).count() == 1


def test_the_last_email_is_in_the_language_they_chose(django_capture_on_commit_callbacks):
    """Closed with no page to take the language from (the retention schedule, at night)."""
    professional = ProfessionalFactory(user__language="cy").user
    with django_capture_on_commit_callbacks(execute=True):
        services.professional_delete(user=professional)
    [goodbye] = mail.outbox
    assert goodbye.subject.startswith("Mae eich cyfrif")
    assert "Beth rydym wedi'i ddileu:" in goodbye.body


def test_the_page_warns_that_certificates_go_with_the_account(client, professional):
    attended(professional)
    attended(professional)
    client.force_login(professional)
    page = client.get(reverse("professionals:delete")).content.decode()
    assert "Your 2 certificates cannot be downloaded once your account is closed" in page


def test_a_wrong_password_closes_nothing(client, professional):
    client.force_login(professional)
    response = client.post(reverse("professionals:delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "The password is not correct" in html
    assert User.objects.filter(pk=professional.pk).exists()


def test_only_a_professional_is_closed_this_way():
    carer = CarerProfileFactory().user
    with pytest.raises(services.ProfessionalError):
        services.professional_delete(user=carer)
    assert User.objects.filter(pk=carer.pk).exists()


# Their data -------------------------------------------------------------------------------------


def _their_bookings(professional):
    attended(professional, title="Attachment and trauma")
    upcoming = ProfessionalsEventFactory(title="Designated teachers' briefing")
    event_services.booking_create(
        event=upcoming, user=professional, access_needs="Step-free access", question="Any PEPs?"
    )


def test_the_data_page_shows_everything_kept_about_them(client, professional):
    _their_bookings(professional)
    someone_else = ProfessionalFactory(organisation="Somewhere Else Academy").user
    attended(someone_else, title="Someone else's course")
    client.force_login(professional)
    html = client.get(reverse("professionals:export")).content.decode()
    for shown in (
        "Anita Patel",
        professional.email,
        "Designated teacher",
        "Roundhay School",
        "Attachment and trauma",
        "You came",
        "Designated teachers&#x27; briefing",
        "Step-free access",
        "Any PEPs?",
    ):
        assert shown in html, shown
    assert "Someone else" not in html and "Somewhere Else Academy" not in html
    assert reverse("professionals:export_download") in html
    assert reverse("professionals:export_csv") in html


def test_their_data_as_a_file(client, professional):
    _their_bookings(professional)
    client.force_login(professional)
    response = client.get(reverse("professionals:export_download"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == professional.email
    assert data["professional"]["organisation"] == "Roundhay School"
    assert data["professional"]["role"] == "Designated teacher"
    assert data["professional"]["event_reminders"] is True
    assert [(b["event"], b["attended"]) for b in data["bookings"]] == [
        ("Attachment and trauma", True),
        ("Designated teachers' briefing", None),
    ]
    assert data["bookings"][1]["access_needs"] == "Step-free access"


def test_their_bookings_as_a_spreadsheet(client, professional):
    _their_bookings(professional)
    client.force_login(professional)
    response = client.get(reverse("professionals:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Event,Starts,Booking,Places,Attended,Access needs,Question for the speaker,Booked"
    )
    assert lines[1].startswith("Attachment and trauma,") and ",Yes," in lines[1]
    assert "Step-free access,Any PEPs?" in lines[2]
    briefing = lines[2].split(",")
    assert briefing[4] == ""  # attendance not recorded: an empty cell, as in every export
    # Dates and times in ISO 8601 (UK time), which a spreadsheet sorts.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[01]:00", briefing[1]), briefing


def test_the_data_page_costs_the_same_queries_however_many_bookings(client, professional):
    client.force_login(professional)
    url = reverse("professionals:export")
    client.get(url)  # warm the site's caches

    def queries_with(bookings: int) -> int:
        for _ in range(bookings):
            attended(professional)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # The session and the person, the verified-address check, the profile with its council,
    # e-mail addresses, bookings with their events and feedback, and the e-mails sent: one
    # query each, however many bookings (1 or 11 here).
    assert queries_with(1) == queries_with(10)


# E-mail preferences ------------------------------------------------------------------------------


def test_a_professional_turns_reminders_off_and_gets_none(
    client, professional, time_machine, django_capture_on_commit_callbacks
):
    client.force_login(professional)
    page = client.get(reverse("professionals:emails")).content.decode()
    assert "Do you want email reminders before the events you have booked?" in page
    response = client.post(reverse("professionals:emails"), {"reminders": "no"})
    assert response.status_code == 302
    professional.professional_profile.refresh_from_db()
    assert professional.professional_profile.reminders_enabled is False
    home = client.get(reverse("professionals:home")).content.decode()
    assert "We will not email you reminders before events." in home

    starts = ProfessionalsEventFactory().starts_at
    wants_them = ProfessionalFactory().user
    for user in (professional, wants_them):
        event = ProfessionalsEventFactory(starts_at=starts)
        event_services.booking_create(event=event, user=user)
    mail.outbox.clear()
    time_machine.move_to(starts - datetime.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    [reminder] = mail.outbox
    assert reminder.to == [wants_them.email]
    # Its "turn off reminders" link leads to the professional's own settings page.
    assert "/training/emails/" in reminder.body and "/profile/edit/" not in reminder.body


def test_a_reminder_claimed_before_they_turned_them_off_is_not_sent(
    professional, time_machine, django_capture_on_commit_callbacks
):
    event = ProfessionalsEventFactory()
    event_services.booking_create(event=event, user=professional)
    mail.outbox.clear()
    time_machine.move_to(event.starts_at - datetime.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send_due_reminders() == 1
    services.professional_preferences_update(
        profile=professional.professional_profile, reminders_enabled=False
    )
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_the_choice_needs_an_answer(client, professional):
    client.force_login(professional)
    response = client.post(reverse("professionals:emails"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Select whether you want email reminders" in html
    professional.professional_profile.refresh_from_db()
    assert professional.professional_profile.reminders_enabled is True


def test_each_persons_emails_lead_to_their_own_settings():
    carer = CarerProfileFactory().user
    professional = ProfessionalFactory().user
    assert common_context(carer)["preferences_url"].endswith("/profile/edit/")
    assert common_context(professional)["preferences_url"].endswith("/training/emails/")
