"""When two people save the same thing at once, the database constraint decides, and the
loser gets the same message as anyone else, not an error page."""

import pytest

from schools.models import School, TermlyReview
from schools.services import SchoolError
from schools.services import records as record_services
from tests.factories import StaffMembershipFactory, workspace_records

pytestmark = pytest.mark.django_db


def test_a_clash_caught_by_the_database_reads_like_the_friendly_check():
    member = StaffMembershipFactory()
    _, pupil, review, _ = workspace_records(
        virtual_school=member.virtual_school,
        actor=member.user,
        school_name="Oak",
        pupil_last_name="Race",
        liaison_summary="x",
    )
    # As if the other person's review was saved between our check and our insert:
    twin = TermlyReview(
        pupil=pupil, academic_year=review.academic_year, term=review.term, attendance_percent=90
    )
    with pytest.raises(SchoolError, match="already a review for this term"):
        record_services._save_unique(twin, record_services.DUPLICATE_REVIEW)
    School.objects.filter(pk=pupil.school_id).update(urn="107654")
    clash = School(
        virtual_school=member.virtual_school,
        name="Oak again",
        urn="107654",
        phase="primary",
        local_authority=member.virtual_school.local_authority,
    )
    with pytest.raises(SchoolError, match="URN is already on your list"):
        record_services._save_unique(clash, record_services.DUPLICATE_URN)
    assert TermlyReview.objects.filter(pupil=pupil).count() == 1
