"""A professional signs up (name, role, organisation; e-mail confirmed as every account's
is), lands on their training page, and books an event for professionals."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from events.models import Booking
from professionals.models import ProfessionalProfile
from tests.professionals.factories import ProfessionalsEventFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "first_name": "Gwen",
    "last_name": "Rhys",
    "role": "designated_teacher",
    "organisation": "Oakwood Primary School",
    "local_authority": "",
    "email": "Gwen.Rhys@Oakwood.sch.uk",
    "password1": "a-long-safe-passphrase",
    "password2": "a-long-safe-passphrase",
}


def _confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_confirm_and_book(client, django_capture_on_commit_callbacks):
    event = ProfessionalsEventFactory()
    page = client.get(reverse("professionals:signup"))
    assert page.status_code == 200
    assert "Create a professional account" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("professionals:signup"), SIGN_UP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="gwen.rhys@oakwood.sch.uk")
    assert user.get_full_name() == "Gwen Rhys"
    assert user.is_professional and not user.is_carer
    assert not hasattr(user, "carer_profile")
    profile = user.professional_profile
    assert (profile.role, profile.organisation) == ("designated_teacher", "Oakwood Primary School")

    # Nothing to book with until the address is confirmed.
    assert client.get(reverse("professionals:home")).status_code != 200

    [message] = mail.outbox
    link = _confirmation_link(message)
    response = client.post(link)
    assert response.status_code == 302
    home = client.get(reverse("professionals:home"))
    assert home.status_code == 200
    assert "Oakwood Primary School" in home.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:book", args=[event.slug]), {"places": 1})
    assert Booking.objects.get(user=user, event=event).status == Booking.Status.CONFIRMED
    assert "Your place is booked" in mail.outbox[-1].subject
    assert event.title in client.get(reverse("professionals:home")).content.decode()


def test_signing_in_later_leads_to_the_training_page(client):
    client.post(reverse("professionals:signup"), SIGN_UP)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email="gwen.rhys@oakwood.sch.uk").update(verified=True)
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "gwen.rhys@oakwood.sch.uk", "password": "a-long-safe-passphrase"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("professionals:home")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"organisation": ""}, "organisation", "Enter the name of your organisation"),
        ({"role": ""}, "role", "Select your role"),
        ({"role": "other", "role_other": " "}, "role_other", "Enter your role"),
        ({"first_name": ""}, "first_name", "Enter your first name"),
    ],
)
def test_missing_details_are_shown_beside_the_field_and_nothing_is_saved(
    client, change, field, message
):
    response = client.post(reverse("professionals:signup"), {**SIGN_UP, **change})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}' in html  # the error summary links to the field
    assert message in html
    assert not User.objects.filter(email="gwen.rhys@oakwood.sch.uk").exists()
    assert not ProfessionalProfile.objects.exists()


def test_another_role_is_named_and_shown(client):
    client.post(
        reverse("professionals:signup"),
        {**SIGN_UP, "role": "other", "role_other": "Family support worker"},
    )
    profile = ProfessionalProfile.objects.get()
    assert profile.role_label == "Family support worker"


def test_a_professional_changes_their_details(client):
    from tests.professionals.factories import ProfessionalFactory

    profile = ProfessionalFactory()
    client.force_login(profile.user)
    page = client.get(reverse("professionals:details"))
    assert page.status_code == 200
    response = client.post(
        reverse("professionals:details"),
        {
            "first_name": "Siân",
            "last_name": "Ŵyn",
            "role": "social_worker",
            "organisation": "Leeds Children's Services",
            "local_authority": "",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.user.get_full_name() == "Siân Ŵyn"
    assert profile.get_role_display() == "Social worker"
    bad = client.post(reverse("professionals:details"), {"first_name": "Siân", "role": "x"})
    assert bad.status_code == 200
    assert "Select your role" in bad.content.decode()


def test_the_carers_sign_up_page_points_professionals_to_theirs(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert reverse("professionals:signup") in page


def test_a_professional_choosing_welsh_returns_to_their_training_page(client):
    from tests.professionals.factories import ProfessionalFactory

    profile = ProfessionalFactory()
    client.force_login(profile.user)
    response = client.post(reverse("accounts:language"), {"language": "cy"})
    assert response.status_code == 302
    assert response["Location"] == "/cy/training/"
