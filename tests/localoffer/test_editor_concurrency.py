"""Editors saving the same section at the same moment take turns: the history shows each
change from the text the one before it saved, so no editor's words vanish unrecorded."""

import pytest

from localoffer import services
from tests.concurrency import run_together
from tests.factories import StaffMembershipFactory, VirtualSchoolFactory, local_authority
from tests.localoffer.factories import LEEDS, full_offer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("attempt", range(3))
def test_four_editors_saving_one_section_at_once_leave_an_unbroken_history(attempt):
    school = VirtualSchoolFactory(local_authority=local_authority(LEEDS))
    editors = [
        StaffMembershipFactory(virtual_school=school, edits_local_offer=True).user for _ in range(4)
    ]
    offer = full_offer(LEEDS)

    def save(editor):
        services.section_save(
            offer=offer, kind="financial", by=editor, body=f"Written by {editor.email}."
        )

    assert run_together(save, editors) == []

    changes = list(offer.changes.filter(part="financial").order_by("pk"))
    assert len(changes) == 4
    bodies = [next(c for c in change.changes if c["field"] == "body") for change in changes]
    assert bodies[0]["before"] == "About financial."
    for earlier, later in zip(bodies, bodies[1:], strict=False):
        assert later["before"] == earlier["after"], "a change was recorded from stale text"
    assert bodies[-1]["after"] == offer.sections.get(kind="financial").body
    assert {change.changed_by_id for change in changes} == {editor.pk for editor in editors}
