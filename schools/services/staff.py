"""The Virtual School team: removing a member of staff, and each morning's staff summary.
(Invitations to join a team are accounts.services.invitation_create.)"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Notification
from core.notify import notify
from core.registry import staff_summary_sections
from schools.models import AuditEntry, StaffMembership
from schools.services import SchoolError
from schools.services.audit import audit_record


@transaction.atomic
def staff_membership_remove(*, membership: StaffMembership, removed_by) -> None:
    """Remove a member of staff from their Virtual School team. They lose access at once."""
    membership = StaffMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == removed_by.pk:
        raise SchoolError(_("You cannot remove yourself. Ask another head or a content admin."))
    if membership.is_head:
        other_heads = StaffMembership.objects.filter(
            virtual_school=membership.virtual_school, role=StaffMembership.Role.HEAD
        ).exclude(pk=membership.pk)
        if not other_heads.exists():
            raise SchoolError(_("A Virtual School must keep at least one head."))
    # /school/ checks the membership on every request, so access ends at once.
    membership.delete()


@transaction.atomic
def staff_local_offer_editor_set(*, membership: StaffMembership, editor: bool, changed_by) -> bool:
    """Make a member of the team a local offer editor, or stop them being one. A head does
    this for their own team; it is written to the audit log. Returns whether it changed."""
    membership = StaffMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.edits_local_offer == editor:
        return False
    membership.edits_local_offer = editor
    membership.save(update_fields=["edits_local_offer"])
    person = membership.user.get_full_name() or membership.user.email
    audit_record(
        actor=changed_by,
        virtual_school=membership.virtual_school,
        action=AuditEntry.Action.UPDATE,
        obj=membership,
        summary=(
            f"Made {person} a local offer editor"
            if editor
            else f"{person} is no longer a local offer editor"
        ),
    )
    return True


def staff_summaries_claim_due(*, today=None) -> int:
    """Claim today's morning summary for every member of staff who has something waiting."""
    today = today or timezone.localdate()
    claimed = 0
    for membership in StaffMembership.objects.select_related("user", "virtual_school"):
        if staff_summary_sections(membership) and notify(
            kind=Notification.Kind.STAFF_SUMMARY,
            recipient=membership.user,
            key=f"summary:{today:%Y-%m-%d}",
        ):
            claimed += 1
    return claimed
