"""Two people saving reviews of the same pupil at the same moment still leave the pupil's
latest review right: review_save locks the pupil's row, so the second works out the latest
after the first has committed. Real threads, each with its own PostgreSQL connection."""

from decimal import Decimal

import pytest

from schools.models import KinshipPupil, TermlyReview
from schools.services import records as record_services
from tests.concurrency import run_together
from tests.factories import StaffMembershipFactory
from tests.schools.test_records import make_pupil

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _save(item) -> None:
    pupil_pk, actor, year, term, attendance = item
    record_services.review_save(
        pupil=KinshipPupil.objects.get(pk=pupil_pk),
        actor=actor,
        academic_year=year,
        term=term,
        attendance_percent=Decimal(attendance),
    )


@pytest.mark.usefixtures("audit_log_emptied_before_flush")
def test_reviews_saved_at_once_leave_the_latest_right():
    member = StaffMembershipFactory()
    terms = [(2024, "autumn"), (2024, "spring"), (2024, "summer"), (2025, "autumn")]
    terms += [(2025, "spring"), (2025, "summer"), (2026, "autumn"), (2023, "summer")]
    for attempt in range(3):  # each time, newer and older reviews race
        pupil = make_pupil(member.virtual_school, first_name=f"Race{attempt}")
        items = [(pupil.pk, member.user, y, t, 60 + n) for n, (y, t) in enumerate(terms)]
        assert run_together(_save, items) == []
        assert TermlyReview.objects.filter(pupil=pupil).count() == len(terms)
        pupil.refresh_from_db()
        latest = pupil.latest_review
        assert (latest.academic_year, latest.term, latest.attendance_percent) == (
            2026,
            "autumn",
            Decimal(66),
        )
        assert pupil.latest_attendance == Decimal(66)
