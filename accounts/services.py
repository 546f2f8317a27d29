from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, User
from accounts.roles import content_admin_group_sync
from core.mail import absolute_url, render_email
from core.notify import queue_email


class InvitationError(Exception):
    """An invitation cannot be created or accepted; the message says why, for the person."""


def _send_invitation(invitation: Invitation) -> None:
    message = render_email(
        "invitation",
        {
            "invitation": invitation,
            "accept_url": absolute_url(
                reverse("accounts:invitation_accept", args=[invitation.token])
            ),
        },
    )
    queue_email(to=[invitation.email], **message)


# Said when the address belongs to another team, or another team has invited it: a head
# must not learn which addresses belong to other authorities' Virtual Schools.
UNAVAILABLE = _(
    "You cannot invite this email address. If this person should join your team, "
    "ask them to contact the portal's support team."
)


def invitation_check(*, email: str, role: str, virtual_school=None) -> None:
    """Raise InvitationError if this invitation cannot be sent."""
    if role != Invitation.Role.CONTENT_ADMIN and virtual_school is None:
        raise InvitationError(gettext("Choose the Virtual School this person will join"))
    team = None if role == Invitation.Role.CONTENT_ADMIN else virtual_school
    if team is None:
        others = _open_invitations(email).exclude(virtual_school__isnull=True)
    else:
        others = _open_invitations(email).exclude(virtual_school=team)
    if others.exists():
        raise InvitationError(UNAVAILABLE)
    existing = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if existing is None:
        return
    if role == Invitation.Role.CONTENT_ADMIN and existing.is_staff:
        raise InvitationError(gettext("This person is already a content admin"))
    membership = existing.school_membership if team is not None else None
    if membership is not None:
        if membership.virtual_school_id == team.pk:
            raise InvitationError(gettext("This person is already a member of your team"))
        raise InvitationError(UNAVAILABLE)


def _open_invitations(email: str):
    """Invitations to this address that can still be accepted."""
    return Invitation.objects.filter(
        email__iexact=email.strip(), accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    role: str,
    invited_by: User | None,
    virtual_school=None,
    edits_local_offer: bool = False,
) -> Invitation:
    """Invite a member of staff by email. A new invitation replaces the same team's open one
    (or an expired one); another team's is never touched."""
    email = email.strip().lower()
    invitation_check(email=email, role=role, virtual_school=virtual_school)
    if role == Invitation.Role.CONTENT_ADMIN:
        virtual_school = None
    # Only this team's open invitation, or a dead one, is replaced: never another team's, even
    # one sent a moment ago by a head whose check ran at the same time as this one.
    replaceable = Q(virtual_school=virtual_school) if virtual_school else Q(virtual_school=None)
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).filter(
        replaceable | Q(expires_at__lte=timezone.now())
    ).delete()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                role=role,
                invited_by=invited_by,
                virtual_school=virtual_school,
                edits_local_offer=edits_local_offer and virtual_school is not None,
            )
    except IntegrityError:  # invitation_one_open_per_email: another team got there first
        raise InvitationError(UNAVAILABLE) from None
    _send_invitation(invitation)
    return invitation


def _grant_role(user: User, invitation: Invitation) -> None:
    from schools.models import StaffMembership

    if invitation.role == Invitation.Role.CONTENT_ADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(content_admin_group_sync())
        return
    try:
        with transaction.atomic():
            StaffMembership.objects.create(
                user=user,
                virtual_school=invitation.virtual_school,
                role=invitation.role,
                edits_local_offer=invitation.edits_local_offer,
            )
    except IntegrityError:
        raise InvitationError(
            gettext("This account is already a member of a Virtual School team")
        ) from None


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> User:
    """Accept an invitation: create the account (or use the signed-in one) and give it the role.

    The link in the invitation proves the person reads that mailbox, so the
    address counts as verified.
    """
    from allauth.account.models import EmailAddress

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise InvitationError(
            gettext("This invitation has expired or has already been used. Ask for a new one.")
        )
    if user is None:
        if get_user_model().objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError(
                gettext(
                    "An account already uses this email address. Sign in, then open the link again."
                )
            )
        user = get_user_model().objects.create_user(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise InvitationError(gettext("This invitation was sent to a different email address."))
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    _grant_role(user, invitation)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def user_sessions_end_others(*, user: User, request=None) -> None:
    """Sign the account out everywhere except in the browser making this request.

    Called when two-factor authentication is set up or removed: a session that signed in
    before then, with the password alone, must not go on as if it had passed it."""
    User.objects.filter(pk=user.pk).update(session_stamp=F("session_stamp") + 1)
    user.refresh_from_db(fields=["session_stamp"])
    signed_in = getattr(request, "user", None)
    if signed_in is not None and signed_in.is_authenticated and signed_in.pk == user.pk:
        signed_in.session_stamp = user.session_stamp
        update_session_auth_hash(request, signed_in)
