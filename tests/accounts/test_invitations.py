"""Staff are not self-registered: a head or a content admin invites them by email."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.services import InvitationError, invitation_accept, invitation_create
from schools.models import StaffMembership
from tests.factories import (
    StaffMembershipFactory,
    UserFactory,
    VirtualSchoolFactory,
    local_authority,
)

pytestmark = pytest.mark.django_db


def _accept_path(message) -> str:
    match = re.search(r"http://testserver(/accounts/invitation/[^\s/]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_head_invites_officer_who_sets_up_account_then_mfa(
    client, head, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("schools:staff_invite"),
            {"email": "New.Officer@Leeds.example", "role": "officer"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.officer@leeds.example"]
    assert head.staff_membership.virtual_school.name in message.body
    path = _accept_path(message)

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Set up your staff account" in page.content.decode()
    response = client.post(
        path,
        {
            "first_name": "Sam",
            "last_name": "Okoro",
            "password1": "a-long-safe-passphrase",
            "password2": "a-long-safe-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    user = User.objects.get(email="new.officer@leeds.example")
    assert user.staff_membership.virtual_school == head.staff_membership.virtual_school
    assert user.staff_membership.role == StaffMembership.Role.OFFICER
    assert user.emailaddress_set.get().verified
    # Signed in, but /school/ waits for MFA, which they can set up without a second password prompt.
    assert client.get("/school/")["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fschool%2F"
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    # The link works once.
    assert "cannot be used" in client.get(path).content.decode()


def test_expired_invitation_cannot_be_used(client, head):
    invitation = invitation_create(
        email="late@example.org",
        role="officer",
        invited_by=head,
        virtual_school=head.staff_membership.virtual_school,
    )
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(InvitationError):
        invitation_accept(
            invitation=invitation, first_name="A", last_name="B", password="a-long-safe-passphrase"
        )
    response = client.post(
        reverse("accounts:invitation_accept", args=[invitation.token]),
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "a-long-safe-passphrase",
            "password2": "a-long-safe-passphrase",
        },
    )
    assert not User.objects.filter(email="late@example.org").exists()
    assert response.status_code == 200


def test_unknown_invitation_token_is_a_404(client):
    assert client.get(reverse("accounts:invitation_accept", args=["nope"])).status_code == 404


def test_invitation_form_rejects_bad_input(client, head):
    invitation = invitation_create(
        email="x@example.org",
        role="officer",
        invited_by=head,
        virtual_school=head.staff_membership.virtual_school,
    )
    path = reverse("accounts:invitation_accept", args=[invitation.token])
    response = client.post(
        path,
        {
            "first_name": "",
            "last_name": "B",
            "password1": "a-long-safe-passphrase",
            "password2": "different-passphrase",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter your first name" in body
    assert "The passwords do not match" in body
    response = client.post(
        path, {"first_name": "A", "last_name": "B", "password1": "12345", "password2": "12345"}
    )
    assert "This password is too short" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_officers_and_read_only_staff_cannot_invite_or_remove(client):
    for role in ("officer", "read_only"):
        member = StaffMembershipFactory(role=role)
        from tests.conftest import give_mfa

        give_mfa(member.user)
        client.force_login(member.user)
        assert client.get(reverse("schools:staff_invite")).status_code == 403
        assert (
            client.post(
                reverse("schools:staff_invite"), {"email": "a@b.org", "role": "head"}
            ).status_code
            == 403
        )
        assert client.post(reverse("schools:staff_remove", args=[member.pk])).status_code == 403
    assert not Invitation.objects.exists()


def test_head_cannot_remove_staff_of_another_authority(client, head):
    other_school = VirtualSchoolFactory(local_authority=local_authority("E10000016"))  # Kent
    stranger = StaffMembershipFactory(virtual_school=other_school)
    client.force_login(head)
    assert client.get(reverse("schools:staff_remove", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("schools:staff_remove", args=[stranger.pk])).status_code == 404
    assert StaffMembership.objects.filter(pk=stranger.pk).exists()


def test_head_removes_officer_who_loses_access_at_once(client, head):
    officer = StaffMembershipFactory(virtual_school=head.staff_membership.virtual_school)
    from tests.conftest import give_mfa

    give_mfa(officer.user)
    officer_client = client.__class__()
    officer_client.force_login(officer.user)
    assert officer_client.get("/school/").status_code == 200

    client.force_login(head)
    response = client.post(reverse("schools:staff_remove", args=[officer.pk]))
    assert response.status_code == 302
    assert officer_client.get("/school/").status_code == 403


def test_last_head_cannot_be_removed(head):
    from schools.services import SchoolError
    from schools.services.staff import staff_membership_remove

    other_head = StaffMembershipFactory(
        virtual_school=head.staff_membership.virtual_school, role="head"
    )
    staff_membership_remove(membership=other_head, removed_by=head)
    with pytest.raises(SchoolError):
        staff_membership_remove(membership=head.staff_membership, removed_by=head)


def test_an_operator_invites_a_head_from_django_admin(
    client, operator, content_admin, django_capture_on_commit_callbacks
):
    school = VirtualSchoolFactory()
    client.force_login(content_admin)  # curators do not choose who joins a Virtual School
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_invitation_add"),
            {"email": "newhead@leeds.example", "role": "head", "virtual_school": school.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="newhead@leeds.example")
    assert invitation.virtual_school == school
    assert invitation.invited_by == operator
    assert mail.outbox[0].to == ["newhead@leeds.example"]

    # A Virtual School role without a school is refused beside the form.
    response = client.post(
        reverse("admin:accounts_invitation_add"), {"email": "n@x.org", "role": "officer"}
    )
    assert response.status_code == 200
    assert "Choose the Virtual School this person will join" in response.content.decode()


def test_invited_content_admin_becomes_staff():
    invitation = invitation_create(
        email="curator@example.org", role="content_admin", invited_by=None
    )
    user = invitation_accept(
        invitation=invitation, first_name="C", last_name="D", password="a-long-safe-passphrase"
    )
    assert user.is_staff
    assert user.requires_mfa


def test_existing_account_accepts_when_signed_in(client):
    carer = UserFactory(email="both@example.org")
    school = VirtualSchoolFactory()
    invitation = invitation_create(
        email="both@example.org", role="officer", invited_by=None, virtual_school=school
    )
    path = reverse("accounts:invitation_accept", args=[invitation.token])
    assert "Sign in" in client.get(path).content.decode()
    client.force_login(carer)
    response = client.post(path, {"accept_signed_in": "1"})
    assert response["Location"] == reverse("mfa_activate_totp")
    carer.refresh_from_db()
    assert carer.staff_membership.virtual_school == school
