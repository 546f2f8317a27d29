"""Two heads of different authorities invite the same address at the same moment: one
invitation is sent, the other head is told they cannot invite it, and neither invitation
silently replaces the other (security review, finding 7, under concurrency)."""

import pytest

from accounts.models import Invitation
from accounts.services import InvitationError, invitation_create
from tests.concurrency import run_together
from tests.factories import StaffMembershipFactory, VirtualSchoolFactory, local_authority

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("attempt", range(5))
def test_only_one_team_gets_the_invitation(attempt):
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

    errors = run_together(invite, heads)

    assert len(sent) == 1, f"both heads were told their invitation went: {sent}"
    assert len(errors) == 1 and isinstance(errors[0], InvitationError), errors
    assert "You cannot invite this email address" in str(errors[0])
    [kept] = Invitation.objects.filter(email="sought.after@example.org")
    assert kept.pk == sent[0].pk  # the invitation that was sent is the one that stands
