"""Each pupil's latest termly review is kept on the pupil (schools.services.records) when a
review is added, changed or deleted, and the staff home, the pupil list, its "persistent
absence at their latest review" filter and the reports read it from there."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from schools.models import AuditEntry, KinshipPupil, TermlyReview
from schools.selectors.reports import authority_report
from schools.services import records as record_services
from tests.schools.test_records import _row_for, make_pupil, page_text, vs_of

pytestmark = pytest.mark.django_db

NOVEMBER_2026 = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)  # autumn 2026


@pytest.fixture
def autumn_2026(time_machine):
    time_machine.move_to(NOVEMBER_2026)


def review(pupil, actor, year, term, attendance, **fields) -> TermlyReview:
    return record_services.review_save(
        pupil=pupil,
        actor=actor,
        academic_year=year,
        term=term,
        attendance_percent=Decimal(attendance),
        **fields,
    )


def change(existing: TermlyReview, actor, **fields) -> TermlyReview:
    return record_services.review_save(pupil=existing.pupil, actor=actor, review=existing, **fields)


def latest_of(pupil) -> tuple[int, str, Decimal] | None:
    """The latest review as stored on the pupil's row: (year, term, attendance)."""
    pupil = KinshipPupil.objects.select_related("latest_review").get(pk=pupil.pk)
    if pupil.latest_review is None:
        assert pupil.latest_attendance is None
        return None
    assert pupil.latest_attendance == pupil.latest_review.attendance_percent
    r = pupil.latest_review
    return r.academic_year, r.term, r.attendance_percent


# The rule: highest academic year, then autumn < spring < summer ---------------------------


def test_a_later_term_or_year_is_the_latest_whatever_order_they_are_entered(officer):
    pupil = make_pupil(vs_of(officer))
    assert latest_of(pupil) is None
    review(pupil, officer, 2025, "spring", "91")
    assert latest_of(pupil) == (2025, "spring", Decimal("91"))
    review(pupil, officer, 2025, "autumn", "80")  # older, entered after the newer one
    assert latest_of(pupil) == (2025, "spring", Decimal("91"))
    review(pupil, officer, 2025, "summer", "85")  # summer is the last term of the year
    assert latest_of(pupil) == (2025, "summer", Decimal("85"))
    review(pupil, officer, 2024, "summer", "70")  # a summer, but of the year before
    assert latest_of(pupil) == (2025, "summer", Decimal("85"))
    review(pupil, officer, 2026, "autumn", "99")  # the first term of the next year
    assert latest_of(pupil) == (2026, "autumn", Decimal("99"))
    # The object the caller holds says the same as the database.
    assert pupil.latest_review.academic_year == 2026 and pupil.latest_attendance == Decimal("99")


def test_changing_a_reviews_term_year_or_attendance_moves_the_latest(officer):
    pupil = make_pupil(vs_of(officer))
    older = review(pupil, officer, 2025, "autumn", "95")
    newer = review(pupil, officer, 2025, "spring", "88")
    change(newer, officer, academic_year=2024)  # entered against the wrong year
    assert latest_of(pupil) == (2025, "autumn", Decimal("95"))
    change(older, officer, term="summer")
    assert latest_of(pupil) == (2025, "summer", Decimal("95"))
    change(older, officer, attendance_percent=Decimal("86.5"))
    assert latest_of(pupil) == (2025, "summer", Decimal("86.5"))


def test_deleting_the_latest_review_falls_back_to_the_one_before(officer):
    pupil = make_pupil(vs_of(officer))
    first = review(pupil, officer, 2025, "autumn", "80")
    second = review(pupil, officer, 2025, "spring", "97")
    record_services.review_delete(review=first, actor=officer)  # not the latest
    assert latest_of(pupil) == (2025, "spring", Decimal("97"))
    third = review(pupil, officer, 2025, "summer", "84")
    record_services.review_delete(review=third, actor=officer)
    assert latest_of(pupil) == (2025, "spring", Decimal("97"))
    record_services.review_delete(review=second, actor=officer)
    assert latest_of(pupil) is None
    assert not TermlyReview.objects.filter(pupil=pupil).exists()
    deletions = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=pupil.pk)
    assert list(deletions.order_by("pk").values_list("summary", flat=True)) == [
        "Deleted the autumn 2025 review for Ada Lovelace",
        "Deleted the summer 2025 review for Ada Lovelace",
        "Deleted the spring 2025 review for Ada Lovelace",
    ]


def test_refreshing_in_bulk_points_every_pupil_at_their_latest_review(officer):
    """What a bulk insert (portal.load_data) calls after it: one UPDATE for many pupils."""
    vs = vs_of(officer)
    pupils = [make_pupil(vs, first_name=f"Pupil{n}") for n in range(3)]
    TermlyReview.objects.bulk_create(
        [
            TermlyReview(pupil=pupils[0], academic_year=2025, term="summer", attendance_percent=70),
            TermlyReview(pupil=pupils[0], academic_year=2026, term="autumn", attendance_percent=96),
            TermlyReview(pupil=pupils[1], academic_year=2025, term="spring", attendance_percent=60),
        ]
    )
    assert [latest_of(p) for p in pupils] == [None, None, None]  # a bulk insert sees nothing
    assert record_services.refresh_latest_reviews(
        pupils=KinshipPupil.objects.filter(virtual_school=vs)
    )
    assert [latest_of(p) for p in pupils] == [
        (2026, "autumn", Decimal("96")),
        (2025, "spring", Decimal("60")),
        None,
    ]


# What staff see ---------------------------------------------------------------------------


def test_the_pupil_list_filter_and_reports_follow_added_and_deleted_reviews(
    client, officer, autumn_2026
):
    vs = vs_of(officer)
    improving = make_pupil(vs, first_name="Improving", last_name="Pupil")
    review(improving, officer, 2025, "summer", "72")
    slipping = make_pupil(vs, first_name="Slipping", last_name="Pupil")
    review(slipping, officer, 2025, "summer", "97")
    client.force_login(officer)

    def absent() -> str:
        return page_text(client.get(reverse("schools:pupils"), {"persistent_absence": "on"}))

    text = absent()
    assert "1 pupil" in text and "Improving Pupil" in text and "Slipping Pupil" not in text
    assert authority_report(vs).persistent_absence == 1

    # This term: Improving is in school more; Slipping's attendance falls.
    better = review(improving, officer, 2026, "autumn", "96")
    review(slipping, officer, 2026, "autumn", "84.5")
    text = absent()
    assert "1 pupil" in text and "Slipping Pupil" in text and "Improving Pupil" not in text
    listed = client.get(reverse("schools:pupils"))
    assert _row_for(listed, "Improving").endswith("None 96.0%")
    assert _row_for(listed, "Slipping").endswith("None 84.5% Persistent absence")
    report = authority_report(vs)
    assert (report.pupils_with_review, report.persistent_absence) == (2, 1)

    # The autumn review was entered for the wrong pupil: deleted, last summer counts again.
    record_services.review_delete(review=better, actor=officer)
    text = absent()
    assert "2 pupils" in text and "Improving Pupil" in text and "Slipping Pupil" in text
    listed = client.get(reverse("schools:pupils"))
    assert _row_for(listed, "Improving").endswith("None 72.0% Persistent absence")
    report = page_text(client.get(reverse("schools:reports")))
    assert "Persistent absence rate 100.0% (2 of 2 pupils with a review)" in report


def test_the_staff_home_lists_pupils_of_concern_by_their_latest_review(
    client, officer, autumn_2026
):
    vs = vs_of(officer)
    recovered = make_pupil(vs, first_name="Recovered", last_name="Now")
    review(recovered, officer, 2025, "summer", "60")
    review(recovered, officer, 2026, "autumn", "97")
    worst = make_pupil(vs, first_name="Worst", last_name="Attendance")
    review(worst, officer, 2026, "autumn", "45")
    # Entered in the wrong order: the older, better review must not hide the newer one.
    worse = make_pupil(vs, first_name="Worse", last_name="Lately")
    review(worse, officer, 2026, "autumn", "80")
    review(worse, officer, 2025, "spring", "99")
    suspended = make_pupil(vs, first_name="Suspended", last_name="Thisterm")
    review(suspended, officer, 2026, "autumn", "98", suspensions=1)
    left = make_pupil(vs, first_name="Has", last_name="Left")
    review(left, officer, 2026, "autumn", "30")
    record_services.pupil_update(
        pupil=left, actor=officer, left_on=datetime.date(2026, 10, 1), left_reason="moved"
    )
    never = make_pupil(vs, first_name="Never", last_name="Reviewed")
    client.force_login(officer)

    response = client.get(reverse("schools:home"))
    assert [p.first_name for p in response.context["pupils_of_concern"]] == [
        "Worst",
        "Worse",
        "Suspended",
    ]
    text = page_text(response)
    assert "Worst Attendance" in text and "45.0% Persistent absence Severe absence" in text
    assert "Worse Lately" in text and "80.0% Persistent absence" in text
    assert "98.0% Suspended this term" in text
    for name in ("Recovered Now", "Has Left", f"{never}"):
        assert name not in text


def test_an_older_suspension_is_not_this_terms(client, officer, autumn_2026):
    """Suspended last year, in school this term: not a concern now."""
    vs = vs_of(officer)
    pupil = make_pupil(vs, first_name="Last", last_name="Year")
    review(pupil, officer, 2025, "summer", "95", suspensions=2)
    review(pupil, officer, 2026, "autumn", "96")
    client.force_login(officer)
    assert login_home_concerns(client) == []
    record_services.review_save(
        pupil=pupil,
        actor=officer,
        review=TermlyReview.objects.get(pupil=pupil, academic_year=2026),
        suspensions=1,
    )
    assert login_home_concerns(client) == ["Last Year"]


def login_home_concerns(client) -> list[str]:
    return [str(p) for p in client.get(reverse("schools:home")).context["pupils_of_concern"]]
