import pytest
from django.urls import reverse

from carers import services
from carers.models import Child, ConsentEvent
from schools.models import LocalAuthority
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_profile_edit_saves_changes(carer_client, carer):
    kent = LocalAuthority.objects.get(name="Kent")
    response = carer_client.post(
        reverse("carers:profile_edit"),
        {
            "first_name": "Joan",
            "last_name": "Okafor",
            "local_authority": kent.pk,
            "relationship": "aunt_uncle",
            "arrangement": "cao",
            "digest_frequency": "never",
        },
    )
    assert response.status_code == 302
    carer.refresh_from_db()
    assert carer.get_full_name() == "Joan Okafor"
    assert carer.carer_profile.local_authority == kent
    assert carer.carer_profile.digest_frequency == "never"
    assert carer.carer_profile.reminders_enabled is False  # unticked box turns reminders off
    page = carer_client.get(reverse("carers:profile")).content.decode()
    assert "Kent" in page and "Child arrangements order" in page


def test_add_child_with_consent_records_who_and_when(carer_client, carer):
    response = carer_client.post(
        reverse("carers:child_add"),
        {
            "first_name": "Amara",
            "year_of_birth": "2016",
            "school_year": "4",
            "school_name": "Talbot Primary",
            "share_with_virtual_school": "on",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(carer__user=carer)
    assert child.first_name == "Amara"
    assert child.shares_with_virtual_school
    event = child.consent_events.get()
    assert event.action == ConsentEvent.Action.GIVEN
    assert event.recorded_by == carer
    assert event.recorded_at is not None
    assert "Amara" in event.statement


def test_withdrawing_consent_is_recorded_and_shown(carer_client, carer):
    child = services.child_create(
        profile=carer.carer_profile,
        first_name="Kai",
        year_of_birth=2011,
        school_year="",
        share_with_virtual_school=True,
    )
    response = carer_client.post(
        reverse("carers:child_sharing", args=[child.pk]), {"action": "withdraw"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert not child.shares_with_virtual_school
    assert [e.action for e in child.consent_events.all()] == ["withdrawn", "given"]
    page = carer_client.get(reverse("carers:child_sharing", args=[child.pk])).content.decode()
    assert "Consent withdrawn" in page and "Not shared" in page


def test_giving_consent_twice_records_it_once(carer):
    child = ChildFactory(carer=carer.carer_profile)
    services.child_consent_give(child=child, by=carer)
    services.child_consent_give(child=child, by=carer)
    assert child.consent_events.count() == 1


def test_another_carers_child_is_a_404(carer_client):
    someone_elses = ChildFactory()
    for name in ("carers:child_edit", "carers:child_delete", "carers:child_sharing"):
        assert carer_client.get(reverse(name, args=[someone_elses.pk])).status_code == 404
        assert (
            carer_client.post(
                reverse(name, args=[someone_elses.pk]),
                {"action": "withdraw", "first_name": "X", "year_of_birth": "2015"},
            ).status_code
            == 404
        )
    someone_elses.refresh_from_db()
    assert someone_elses.first_name != "X"


def test_remove_child(carer_client, carer):
    child = ChildFactory(carer=carer.carer_profile, first_name="Poppy")
    assert carer_client.post(reverse("carers:child_delete", args=[child.pk])).status_code == 302
    assert not Child.objects.filter(pk=child.pk).exists()
