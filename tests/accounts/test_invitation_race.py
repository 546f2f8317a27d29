"""Two heads of different authorities invite the same address at the same moment: one
invitation is sent, the other head is told they cannot invite it, and neither invitation
silently replaces the other (security review, finding 7, under concurrency).

Both are held until both have passed invitation_check (which refuses an address another
team has invited), so the partial unique constraint invitation_one_open_per_email decides,
and invitation_create must turn its clash into the message."""

import pytest

from accounts.models import Invitation
from accounts.services import InvitationError, invitation_create
from tests.concurrency import run_together, saves_held_together
from tests.factories import StaffMembershipFactory, VirtualSchoolFactory, local_authority

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_only_one_team_gets_the_invitation():
    heads = [
        StaffMembershipFactory(
            role="head", virtual_school=VirtualSchoolFactory(local_authority=local_authority(gss))
        )
        for gss in ("E08000035", "E10000016")  # Leeds, Kent
    ]
    sent = []

    def invite(membership):
        sent.append(
            invitation_create(
                email="sought.after@example.org",
                role="officer",
                invited_by=membership.user,
                virtual_school=membership.virtual_school,
            )
        )

    with saves_held_together(Invitation) as arrived:
        errors = run_together(invite, heads)

    assert len(arrived) == 2, "only one head passed the check: not a race"

    assert len(sent) == 1, f"both heads were told their invitation went: {sent}"
    assert len(errors) == 1 and isinstance(errors[0], InvitationError), errors
    assert "You cannot invite this email address" in str(errors[0])
    [kept] = Invitation.objects.filter(email="sought.after@example.org")
    assert kept.pk == sent[0].pk  # the invitation that was sent is the one that stands
