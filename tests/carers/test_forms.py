"""Every carer form rejects bad input with a message beside the field, saves nothing and never errors."""

import pytest
from django.urls import reverse

from carers.models import Child
from schools.models import LocalAuthority

pytestmark = pytest.mark.django_db

VALID_PROFILE = {
    "first_name": "Joan",
    "last_name": "Mensah",
    "relationship": "grandparent",
    "arrangement": "sgo",
    "digest_frequency": "weekly",
}


def _field_error(response, text: str) -> None:
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body  # the error summary
    assert "govuk-error-message" in body  # the message beside the field
    assert text in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_name": ""}, "Enter your first name"),
        ({"last_name": "   "}, "Enter your last name"),
        ({"local_authority": ""}, "Choose the council area you live in"),
        ({"local_authority": "999999"}, "Choose the council area you live in"),
        ({"local_authority": "<script>"}, "Choose the council area you live in"),
        ({"relationship": "astronaut"}, "Choose how you are related to the child"),
        ({"arrangement": ""}, "Choose the legal arrangement"),
        ({"digest_frequency": ""}, "Choose how often you would like an email"),
        ({"topics": ["not-a-number"]}, "Choose topics from the list"),
        ({"first_name": "x" * 500}, "First name must be 150 characters or fewer"),
    ],
)
def test_profile_forms_reject_bad_input(carer_client, carer, change, message):
    data = {
        **VALID_PROFILE,
        "local_authority": LocalAuthority.objects.get(name="Leeds").pk,
        **change,
    }
    before = carer.get_full_name()
    response = carer_client.post(reverse("carers:profile_edit"), data)
    _field_error(response, message)
    assert "Error: " in response.content.decode().split("</title>")[0]
    carer.refresh_from_db()
    assert carer.get_full_name() == before


def test_onboarding_rejects_empty_form_and_stays_not_onboarded(client, db):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("carers:onboarding"), {})
    _field_error(response, "Enter your first name")
    assert "Choose the council area you live in" in response.content.decode()
    user.refresh_from_db()
    assert not user.carer_profile.is_onboarded


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "", "year_of_birth": "2015"}, "Enter the child&#x27;s first name"),
        ({"first_name": "   ", "year_of_birth": "2015"}, "Enter the child&#x27;s first name"),
        (
            {"first_name": "Amara"},
            "Enter the child&#x27;s year of birth or choose their school year",
        ),
        (
            {"first_name": "Amara", "year_of_birth": "twenty"},
            "Year of birth must be a year, like 2015",
        ),
        (
            {"first_name": "Amara", "year_of_birth": "3000"},
            "Year of birth must be this year or in the past",
        ),
        ({"first_name": "Amara", "year_of_birth": "1900"}, "Year of birth must be"),
        ({"first_name": "Amara", "year_of_birth": "-5"}, "Year of birth must be"),
        ({"first_name": "Amara", "year_of_birth": "99999999999999999999"}, "Year of birth must be"),
        ({"first_name": "Amara", "school_year": "Year 99"}, "Choose a school year from the list"),
        (
            {"first_name": "A" * 61, "year_of_birth": "2015"},
            "First name must be 60 characters or fewer",
        ),
        (
            {"first_name": "Amara", "year_of_birth": "2015", "school_name": "S" * 151},
            "School name must be 150 characters or fewer",
        ),
    ],
)
def test_child_form_rejects_bad_input(carer_client, carer, data, message):
    response = carer_client.post(reverse("carers:child_add"), data)
    _field_error(response, message)
    assert not Child.objects.filter(carer__user=carer).exists()


def test_child_form_keeps_what_was_typed(carer_client):
    response = carer_client.post(
        reverse("carers:child_add"), {"first_name": "Amara", "year_of_birth": "3000"}
    )
    assert 'value="Amara"' in response.content.decode()
