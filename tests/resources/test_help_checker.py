import pytest
from django.urls import reverse

from resources.models import Entitlement, EntitlementRule
from schools.models import LocalAuthority
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _answers(**overrides):
    answers = {
        "arrangement": "sgo",
        "looked_after": "yes",
        "stage": "ks2",
        "local_authority": LocalAuthority.objects.get(name="Leeds").pk,
    }
    return {**answers, **overrides}


def _names(response) -> list[str]:
    return [e.name for e in response.context["results"]]


def test_sgo_from_care_in_england_gets_pupil_premium_plus_and_admissions(client):
    names = _names(client.get(reverse("resources:help_checker"), _answers()))
    assert "Pupil Premium Plus for the child's school" in names
    assert "Highest priority for school places" in names
    assert "Special guardianship allowance" in names
    assert "Fostering allowance" not in names


def test_never_looked_after_gets_no_pupil_premium_plus(client):
    names = _names(client.get(reverse("resources:help_checker"), _answers(looked_after="no")))
    assert "Pupil Premium Plus for the child's school" not in names
    assert "Advice from your council's Virtual School" in names


def test_wales_does_not_get_england_only_support(client):
    cardiff = LocalAuthority.objects.get(name="Cardiff").pk
    names = _names(client.get(reverse("resources:help_checker"), _answers(local_authority=cardiff)))
    assert "Pupil Premium Plus for the child's school" not in names
    assert "Special guardianship allowance" in names


def test_rules_are_data_curators_edit(client):
    leeds = LocalAuthority.objects.get(name="Leeds")
    guide = ResourceFactory(title="Leeds holiday activities")
    entitlement = Entitlement.objects.create(
        name="Leeds holiday clubs", summary="Free holiday clubs."
    )
    entitlement.resources.add(guide)
    EntitlementRule.objects.create(entitlement=entitlement, local_authority=leeds, stages=["ks2"])
    response = client.get(reverse("resources:help_checker"), _answers())
    assert "Leeds holiday clubs" in _names(response)
    assert "Leeds holiday activities" in response.content.decode()
    kent = LocalAuthority.objects.get(name="Kent").pk
    assert "Leeds holiday clubs" not in _names(
        client.get(reverse("resources:help_checker"), _answers(local_authority=kent))
    )


def test_page_says_it_is_guidance_not_legal_advice(client):
    assert "not legal advice" in client.get(reverse("resources:help_checker")).content.decode()
    assert (
        "not legal advice"
        in client.get(reverse("resources:help_checker"), _answers()).content.decode()
    )


def test_missing_answers_get_field_messages(client):
    response = client.get(
        reverse("resources:help_checker"), {"arrangement": "sgo", "local_authority": "nope"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select yes, no or I&#x27;m not sure" in body
    assert "Choose the child&#x27;s stage of education" in body
    assert "Choose the council area you live in" in body
    assert response.context["results"] is None
