"""Links in e-mails and what browsers keep (security review, 30 November 2026, findings 10
and 12)."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.conftest import links_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@override_settings(ALLOWED_HOSTS=["*"], SITE_URL="https://kinship.example.org")
def test_password_reset_links_point_at_the_portal_whatever_host_the_request_named(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="gran@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": user.email},
            HTTP_HOST="attacker.example",
        )
    [message] = mail.outbox
    links = links_in(message)
    assert links and all(link.startswith("https://kinship.example.org/") for link in links)
    assert "attacker.example" not in message.body


@override_settings(ALLOWED_HOSTS=["*"], SITE_URL="https://kinship.example.org")
def test_sign_up_confirmation_links_point_at_the_portal(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "new.carer@example.org",
                "password1": "a-long-family-password",
                "password2": "a-long-family-password",
            },
            HTTP_HOST="attacker.example",
        )
    [message] = mail.outbox
    assert "https://kinship.example.org/accounts/confirm-email/" in message.body
    assert "attacker.example" not in message.body


def test_pages_for_a_signed_in_person_are_never_stored(carer_client):
    for path in [reverse("portal:dashboard"), reverse("carers:profile"), reverse("events:list")]:
        response = carer_client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], path


def test_staff_pages_are_never_stored(client, officer):
    client.force_login(officer)
    response = client.get(reverse("schools:pupils"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_pages_for_visitors_may_be_cached(client):
    response = client.get(reverse("resources:list"))
    assert "no-store" not in response.get("Cache-Control", "")
