from django.db import transaction

from schools.models import StaffMembership


class SchoolError(Exception):
    """A Virtual School operation is not allowed; the message says why, for the person."""


@transaction.atomic
def staff_membership_remove(*, membership: StaffMembership, removed_by) -> None:
    """Remove a member of staff from their Virtual School team. They lose access at once."""
    membership = StaffMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == removed_by.pk:
        raise SchoolError("You cannot remove yourself. Ask another head or a content admin.")
    if membership.is_head:
        other_heads = StaffMembership.objects.filter(
            virtual_school=membership.virtual_school, role=StaffMembership.Role.HEAD
        ).exclude(pk=membership.pk)
        if not other_heads.exists():
            raise SchoolError("A Virtual School must keep at least one head.")
    # /school/ checks the membership on every request, so access ends at once.
    membership.delete()
