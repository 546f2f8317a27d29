"""A content admin curates the library and events and nothing else: no children's or staff
data, no way onto a Virtual School's team (security review, 30 November 2026, finding 2)."""

import pytest
from django.urls import reverse

from accounts.services import invitation_accept, invitation_create
from tests.conftest import give_mfa
from tests.factories import UserFactory, VirtualSchoolFactory

pytestmark = pytest.mark.django_db

CURATES = [
    "admin:resources_resource_changelist",
    "admin:resources_resource_add",
    "admin:resources_topic_changelist",
    "admin:resources_entitlement_add",
    "admin:resources_resourcefeedback_changelist",
    "admin:events_event_changelist",
    "admin:events_event_add",
    "admin:events_booking_changelist",
    "admin:events_booking_add",  # booking a carer who phoned
    "admin:core_notification_changelist",
]
OUT_OF_BOUNDS = [
    "admin:schools_auditentry_changelist",  # every authority's pupil names
    "admin:schools_virtualschool_changelist",
    "admin:schools_school_changelist",
    "admin:carers_carerprofile_changelist",
    "admin:carers_consentevent_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_invitation_add",
    "admin:auth_group_changelist",
]


def test_a_content_admin_reaches_what_they_curate_and_nothing_else(client, content_admin):
    assert not content_admin.is_superuser
    client.force_login(content_admin)
    for name in CURATES:
        assert client.get(reverse(name)).status_code == 200, name
    for name in OUT_OF_BOUNDS:
        assert client.get(reverse(name)).status_code == 403, name
    index = client.get(reverse("admin:index")).content.decode()
    assert "Audit entries" not in index and "Carer profiles" not in index


def test_nobody_joins_a_team_through_django_admin(client, operator):
    """Even an operator: team membership changes only at /school/staff/, by the head."""
    school = VirtualSchoolFactory()
    client.force_login(operator)
    page = client.get(reverse("admin:schools_virtualschool_change", args=[school.pk]))
    assert page.status_code == 200
    assert "staff_memberships" not in page.content.decode()
    assert "Staff memberships" not in client.get(reverse("admin:index")).content.decode()


def test_an_invited_content_admin_can_do_the_job_without_being_a_superuser(client):
    invitation = invitation_create(
        email="curator@example.org", role="content_admin", invited_by=None
    )
    user = invitation_accept(
        invitation=invitation, first_name="Cai", last_name="Rees", password="a-long-safe-passphrase"
    )
    assert user.is_staff and not user.is_superuser
    give_mfa(user)
    client.force_login(user)
    assert client.get(reverse("admin:resources_resource_add")).status_code == 200
    assert client.get(reverse("admin:events_event_add")).status_code == 200
    assert client.get(reverse("admin:schools_auditentry_changelist")).status_code == 403


def test_the_demo_content_admin_is_not_a_superuser():
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", demo_site=True, verbosity=0)
    curator = User.objects.get(email="admin@example.com")
    assert curator.is_staff and not curator.is_superuser
    assert curator.has_perm("resources.add_resource")
    assert not curator.has_perm("schools.view_kinshippupil")
    assert not UserFactory().has_perm("resources.add_resource")
