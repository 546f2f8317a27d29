"""A carer who moves council stops sharing with the old council's Virtual School: their child's
record is unlinked (audited) and they are told (security review, 30 November 2026, finding 8)."""

import pytest
from django.urls import reverse

from carers import services as carer_services
from schools.models import AuditEntry, KinshipPupil, LocalAuthority
from schools.services import records as record_services
from tests.factories import CarerProfileFactory
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _profile_form(profile, local_authority) -> dict:
    return {
        "first_name": profile.user.first_name or "Rhian",
        "last_name": profile.user.last_name or "Jones",
        "local_authority": local_authority.pk,
        "relationship": profile.relationship or "grandparent",
        "arrangement": profile.arrangement or "sgo",
        "digest_frequency": "never",
    }


def test_moving_council_unlinks_the_child_and_tells_the_carer(client, two_authorities):  # noqa: F811
    leeds, kent = two_authorities
    profile = CarerProfileFactory(local_authority=leeds["vs"].local_authority)
    child = carer_services.child_create(
        profile=profile,
        first_name="Noor",
        year_of_birth=2015,
        school_year="",
        share_with_virtual_school=True,
    )
    record_services.pupil_link_child(pupil=leeds["pupil"], child=child, actor=leeds["officer"])

    client.force_login(profile.user)
    kent_council = LocalAuthority.objects.get(pk=kent["vs"].local_authority_id)
    response = client.post(
        reverse("carers:profile_edit"), _profile_form(profile, kent_council), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"You have moved to {kent_council}" in page
    assert "can no longer see what you shared about Noor" in page

    assert KinshipPupil.objects.get(pk=leeds["pupil"].pk).child is None
    entry = AuditEntry.objects.get(action="unlink", object_id=leeds["pupil"].pk)
    assert entry.virtual_school == leeds["vs"] and entry.actor == profile.user
    assert f"Carer moved to {kent_council}" in entry.summary


def test_saving_the_profile_without_moving_keeps_the_link(client, two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    profile = CarerProfileFactory(local_authority=leeds["vs"].local_authority)
    child = carer_services.child_create(
        profile=profile,
        first_name="Noor",
        year_of_birth=2015,
        school_year="",
        share_with_virtual_school=True,
    )
    record_services.pupil_link_child(pupil=leeds["pupil"], child=child, actor=leeds["officer"])
    client.force_login(profile.user)
    client.post(reverse("carers:profile_edit"), _profile_form(profile, profile.local_authority))
    assert KinshipPupil.objects.get(pk=leeds["pupil"].pk).child == child
    assert not AuditEntry.objects.filter(action="unlink").exists()
