"""Migration 0012 fills each existing pupil's latest review, so the pages that read it are
right from the moment the release is out, not only for reviews saved after it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("schools", "0011_staffmembership_edits_local_offer")]
AFTER = [("schools", "0012_pupil_latest_review")]

# Real transactions: SQLite changes its schema only outside one. serialized_rollback puts
# back the rows data migrations load (local authorities) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_migration_points_existing_pupils_at_their_latest_review():
    try:
        apps = _migrate(BEFORE)
        LocalAuthority = apps.get_model("schools", "LocalAuthority")
        VirtualSchool = apps.get_model("schools", "VirtualSchool")
        KinshipPupil = apps.get_model("schools", "KinshipPupil")
        TermlyReview = apps.get_model("schools", "TermlyReview")
        vs = VirtualSchool.objects.create(
            local_authority=LocalAuthority.objects.get(gss_code="E08000035"), name="Leeds VS"
        )

        def pupil(name, *reviews):
            made = KinshipPupil.objects.create(
                virtual_school=vs,
                first_name=name,
                last_name="Pupil",
                date_of_birth="2015-05-01",
                arrangement="sgo",
            )
            for year, term, attendance in reviews:
                TermlyReview.objects.create(
                    pupil=made, academic_year=year, term=term, attendance_percent=attendance
                )
            return made.pk

        # Reviews entered in any order: the latest is the highest year, then the latest term.
        mixed = pupil("Mixed", (2025, "summer", 97), (2024, "summer", 60), (2025, "autumn", 70))
        next_year = pupil("NextYear", (2025, "summer", 99), (2026, "autumn", "88.5"))
        spring = pupil("Spring", (2025, "spring", 91), (2025, "autumn", 40))
        never = pupil("Never")

        apps = _migrate(AFTER)
        KinshipPupil = apps.get_model("schools", "KinshipPupil")
        stored = {
            p.pk: (
                (p.latest_review.academic_year, p.latest_review.term, p.latest_attendance)
                if p.latest_review_id
                else (None, None, p.latest_attendance)
            )
            for p in KinshipPupil.objects.select_related("latest_review")
        }
        assert stored == {
            mixed: (2025, "summer", Decimal("97")),
            next_year: (2026, "autumn", Decimal("88.5")),
            spring: (2025, "spring", Decimal("91")),
            never: (None, None, None),
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
