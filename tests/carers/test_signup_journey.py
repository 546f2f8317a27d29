"""A carer signs up, confirms their email, is led through onboarding and lands on the dashboard."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from resources.models import Topic
from schools.models import LocalAuthority
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_confirm_onboard_dashboard(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "Nana.Joan@Example.com",
                "password1": "a-long-safe-passphrase",
                "password2": "a-long-safe-passphrase",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    # Before confirming, the dashboard is out of reach.
    assert client.get(reverse("portal:dashboard")).status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nana.joan@example.com"]
    link = _confirmation_link(message)

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    response = client.post(link)
    assert response.status_code == 302

    # Signed in straight after confirming; the dashboard sends them to onboarding first.
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("carers:onboarding")

    leeds = LocalAuthority.objects.get(name="Leeds")
    topic = Topic.objects.get(slug="education-and-school")
    response = client.post(
        reverse("carers:onboarding"),
        {
            "first_name": "Joan",
            "last_name": "Mensah",
            "local_authority": leeds.pk,
            "relationship": "grandparent",
            "arrangement": "sgo",
            "topics": [topic.pk],
            "digest_frequency": "monthly",
            "reminders_enabled": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")

    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.status_code == 200
    assert "Hello, Joan" in dashboard.content.decode()

    user = User.objects.get(email="nana.joan@example.com")
    profile = user.carer_profile
    assert profile.is_onboarded
    assert profile.local_authority == leeds
    assert profile.arrangement == "sgo"
    assert profile.digest_frequency == "monthly"
    assert list(profile.topics.all()) == [topic]


def test_unverified_user_cannot_sign_in_or_see_dashboard(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
        )
    # allauth sends a fresh confirmation link instead of signing them in.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1

    # Even with a session (say, from before verification was required), the dashboard stays shut.
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("portal:dashboard"))
    assert "Hello," not in response.content.decode()
    assert (
        "verify" in response.content.decode().lower()
        or "confirm" in response.content.decode().lower()
    )


def test_onboarded_carer_is_not_sent_back_to_onboarding(carer_client):
    response = carer_client.get(reverse("carers:onboarding"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


def test_visitor_is_asked_to_sign_in(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
