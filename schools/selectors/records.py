"""Reads of pupils, termly reviews and liaison records. Every function takes the Virtual
School and returns only its rows, with what the page shows already joined."""

from django.db.models import Case, FilteredRelation, Prefetch, Q, QuerySet, When
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


def pupils_with_latest_review(virtual_school) -> QuerySet[KinshipPupil]:
    """Pupils with their school and their latest review (`latest_review`, None before their
    first) joined: the pointer schools.services.records keeps, so no review is searched.
    Filter and order on `latest_attendance`, the copy of its attendance that is indexed."""
    return KinshipPupil.objects.filter(virtual_school=virtual_school).select_related(
        "school", "latest_review"
    )


def pupils_of_concern(virtual_school, limit: int = 20) -> list[KinshipPupil]:
    """Current pupils persistently absent at their latest review, or suspended this term;
    the lowest attendance first.

    PostgreSQL reads pupil_attendance_idx from its low end and stops at `limit`: this
    term's review is joined (one row at most: a review per term) rather than searched for
    with EXISTS, which it would answer by reading every review of the term first."""
    year, term = current_term()
    this_term = FilteredRelation(
        "reviews", condition=Q(reviews__academic_year=year, reviews__term=term)
    )
    return list(
        pupils_with_latest_review(virtual_school)
        .annotate(
            this_term=this_term,
            suspended_this_term=Case(When(this_term__suspensions__gt=0, then=True), default=False),
        )
        # On the annotation, not this_term itself: a second filter on a reverse relation
        # would join this term's review a second time.
        .filter(Q(latest_attendance__lte=PERSISTENT_ABSENCE_AT) | Q(suspended_this_term=True))
        .filter(left_on__isnull=True)  # no longer the Virtual School's concern
        # Every pupil here has a review, so none lacks an attendance to order by.
        .order_by("latest_attendance", "last_name", "pk")[:limit]
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
