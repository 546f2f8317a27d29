"""A carer can sign out every other device from their profile (OWASP ASVS 5.0 V7.5.2)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signing_out_everywhere_else_keeps_this_device(carer):
    here, old_phone, shared_pc = Client(), Client(), Client()
    for device in (here, old_phone, shared_pc):
        device.force_login(carer)
        assert device.get(reverse("carers:profile")).status_code == 200

    response = here.post(reverse("carers:sign_out_elsewhere"), follow=True)
    assert "You have been signed out on every other device." in response.content.decode()
    assert here.get(reverse("carers:profile")).status_code == 200
    for device in (old_phone, shared_pc):
        response = device.get(reverse("carers:profile"))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_profile_offers_it(carer_client):
    page = carer_client.get(reverse("carers:profile")).content.decode()
    assert "Sign out of all other devices" in page
    assert f'action="{reverse("carers:sign_out_elsewhere")}"' in page
