"""Reads of pupils, termly reviews and liaison records. Every function takes the Virtual
School and returns only its rows, with what the page shows already joined."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from core.choices import academic_year_start
from schools.models import KinshipPupil, LiaisonRecord, TermlyReview

PERSISTENT_ABSENCE_AT = 90  # attendance at or below 90%: missing 10% or more of sessions


def current_term(today=None) -> tuple[int, str]:
    """The English academic year (its starting year) and term a date falls in."""
    today = today or timezone.localdate()
    year = academic_year_start(today)
    if today.month >= 9:
        term = TermlyReview.Term.AUTUMN
    elif today.month <= 3 or (today.month == 4 and today.day < 15):
        term = TermlyReview.Term.SPRING
    else:
        term = TermlyReview.Term.SUMMER
    return year, term


def latest_review_subquery(field: str):
    # Term codes sort in school-year order (autumn < spring < summer), so "-term" is latest first.
    # (pupil, academic_year, term) is unique, so the unique index answers this without a sort.
    latest = TermlyReview.objects.filter(pupil=OuterRef("pk")).order_by("-academic_year", "-term")
    return Subquery(latest.values(field)[:1], output_field=TermlyReview._meta.get_field(field))


def pupils_with_latest_review(virtual_school) -> QuerySet[KinshipPupil]:
    """Pupils with `latest_attendance`, `latest_suspensions` and their school joined."""
    return (
        KinshipPupil.objects.filter(virtual_school=virtual_school)
        .select_related("school")
        .annotate(
            latest_attendance=latest_review_subquery("attendance_percent"),
            latest_suspensions=latest_review_subquery("suspensions"),
        )
    )


def pupils_of_concern(virtual_school, limit: int = 20) -> list[KinshipPupil]:
    year, term = current_term()
    suspended_this_term = TermlyReview.objects.filter(
        pupil=OuterRef("pk"), academic_year=year, term=term, suspensions__gt=0
    )
    return list(
        pupils_with_latest_review(virtual_school)
        .annotate(suspended_this_term=Exists(suspended_this_term))
        .filter(Q(latest_attendance__lte=PERSISTENT_ABSENCE_AT) | Q(suspended_this_term=True))
        .filter(left_on__isnull=True)  # no longer the Virtual School's concern
        .order_by(F("latest_attendance").asc(nulls_last=True), "last_name")[:limit]
    )


def follow_ups_due(virtual_school, limit: int = 50) -> list[LiaisonRecord]:
    return list(
        LiaisonRecord.objects.filter(
            virtual_school=virtual_school,
            follow_up_done=False,
            follow_up_on__lte=timezone.localdate(),
        )
        .select_related("school", "pupil")
        .order_by("follow_up_on", "pk")[:limit]
    )


def pupil_for_page(virtual_school, pk: int) -> KinshipPupil | None:
    return (
        KinshipPupil.objects.filter(virtual_school=virtual_school, pk=pk)
        .select_related("school", "child__carer__user")
        .prefetch_related(
            Prefetch("reviews", queryset=TermlyReview.objects.select_related("created_by")),
            Prefetch(
                "liaison_records",
                queryset=LiaisonRecord.objects.select_related("school", "created_by"),
            ),
        )
        .first()
    )
