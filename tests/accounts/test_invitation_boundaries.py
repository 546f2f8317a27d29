"""A Virtual School head cannot cancel another authority's invitation, nor learn who is on
another authority's team (security review, 30 November 2026, finding 7)."""

import pytest
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitation_create
from tests.conftest import give_mfa
from tests.factories import (
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
    local_authority,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_head(db):
    """The head of Kent's Virtual School (the `head` fixture is Leeds')."""
    kent = VirtualSchoolFactory(local_authority=local_authority("E10000016"))
    membership = StaffMembershipFactory(role="head", virtual_school=kent)
    give_mfa(membership.user)
    return membership.user


def _invite(client, head, email):
    client.force_login(head)
    return client.post(reverse("schools:staff_invite"), {"email": email, "role": "officer"})


def test_another_authoritys_open_invitation_is_left_alone(client, head, other_head):
    theirs = invitation_create(
        email="sam@example.org",
        role="officer",
        invited_by=other_head,
        virtual_school=other_head.staff_membership.virtual_school,
    )
    response = _invite(client, head, "sam@example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You cannot invite this email address" in html
    assert other_head.staff_membership.virtual_school.name not in html
    assert Invitation.objects.filter(pk=theirs.pk, accepted_at__isnull=True).exists()
    assert Invitation.objects.filter(email="sam@example.org").count() == 1


def test_a_head_does_not_learn_who_is_on_another_team(client, head, other_head):
    member = StaffMembershipFactory(virtual_school=other_head.staff_membership.virtual_school).user
    carer = UserFactory(email="carer@example.org")
    for email in (member.email, carer.email):
        Invitation.objects.filter(email=email).delete()
    on_their_team = _invite(client, head, member.email).content.decode()
    assert "You cannot invite this email address" in on_their_team
    assert "member of a Virtual School team" not in on_their_team
    assert Invitation.objects.filter(email=member.email).count() == 0
    # A carer's address can be invited: they accept while signed in.
    assert _invite(client, head, carer.email).status_code == 302


def test_a_head_can_send_their_own_invitation_again(client, head):
    first = invitation_create(
        email="alex@example.org",
        role="officer",
        invited_by=head,
        virtual_school=head.staff_membership.virtual_school,
    )
    assert _invite(client, head, "alex@example.org").status_code == 302
    [again] = Invitation.objects.filter(email="alex@example.org")
    assert again.pk != first.pk  # the new one replaces theirs, with a fresh link
