"""Deleting an account the audit log names works, and the log keeps who it was (security review,
30 November 2026, finding 4; it was a 500 on PostgreSQL, after signing the carer out)."""

import pytest
from django.urls import reverse

from accounts.models import User
from carers import services as carer_services
from schools.models import AuditEntry
from schools.services import records as record_services
from tests.factories import CarerProfileFactory
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_a_carer_who_withdrew_consent_can_delete_their_account(client, two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    profile = CarerProfileFactory(
        local_authority=leeds["vs"].local_authority, user__first_name="Rhian"
    )
    child = carer_services.child_create(
        profile=profile,
        first_name="Ada",
        year_of_birth=2015,
        school_year="",
        share_with_virtual_school=True,
    )
    record_services.pupil_link_child(pupil=leeds["pupil"], child=child, actor=leeds["officer"])
    carer_services.child_consent_withdraw(child=child, by=profile.user)
    entry = AuditEntry.objects.get(action="unlink", object_id=leeds["pupil"].pk)
    assert entry.actor == profile.user  # the log names the carer

    client.force_login(profile.user)
    response = client.post(reverse("carers:delete"), {"password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert not User.objects.filter(pk=profile.user.pk).exists()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_label == profile.user.get_full_name()
    assert entry.summary and entry.action == "unlink"  # nothing else about it changed


def test_a_member_of_staff_named_in_the_log_can_be_deleted(two_authorities):  # noqa: F811
    leeds, _ = two_authorities
    officer = leeds["officer"]
    written = list(AuditEntry.objects.filter(actor=officer).values_list("pk", "summary"))
    assert written  # the fixture's officer viewed and changed records
    officer.delete()
    kept = AuditEntry.objects.filter(pk__in=[pk for pk, _ in written])
    assert sorted(kept.values_list("pk", "summary")) == sorted(written)
    assert set(kept.values_list("actor", flat=True)) == {None}
