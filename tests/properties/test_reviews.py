"""The termly review form (/school/pupils/<pk>/reviews/add/), filled in by Hypothesis.

A valid review saves exactly the review and one audit entry, reads back as typed, and the
pupil's page shows its attendance and notes. An invalid one (attendance over 100, a negative
count, a term that already has a review...) saves nothing, with the message beside the field.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.choices import academic_year_start
from schools.models import AuditEntry, TermlyReview
from schools.services import records as record_services
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    assert_shown,
    changed_counts,
    row_counts,
    table,
    undone,
)
from tests.properties.strategies import OMIT, Mistake, free_text, number_text, too_long_text

pytestmark = pytest.mark.django_db

FIELDS = [
    "academic_year", "term", "attendance_percent", "sessions_missed", "suspensions",
    "permanently_excluded", "reading", "writing", "maths", "progress_notes", "agreed_actions",
]  # fmt: skip
COUNT_MAX = 32767  # a PositiveSmallIntegerField


def academic_years() -> list[int]:
    """The years the form offers: this academic year and the two before it."""
    current = academic_year_start(timezone.localdate())
    return [current, current - 1, current - 2]


@pytest.fixture
def reviewed(head, pupil):
    """The pupil with one review already: this academic year's autumn term."""
    record_services.review_save(
        pupil=pupil,
        actor=head,
        academic_year=academic_years()[0],
        term=TermlyReview.Term.AUTUMN,
        attendance_percent=Decimal("95.0"),
    )
    return pupil


def attendance() -> st.SearchStrategy[tuple[str, Decimal]]:
    """(as typed, the number): 0 to 100 with at most one decimal place, like 92.5 or 100."""
    return (
        st.integers(0, 1000)
        .flatmap(
            lambda tenths: st.sampled_from(
                [f"{tenths // 10}.{tenths % 10}"]
                + ([str(tenths // 10)] if tenths % 10 == 0 else [])
            )
        )
        .flatmap(lambda text: number_text(text).map(lambda typed: (typed, Decimal(text))))
    )


@st.composite
def review_forms(draw) -> tuple[dict, dict]:
    """A review filled in correctly (not for the term already reviewed), and what it saves."""
    year, term = draw(
        st.tuples(
            st.sampled_from(academic_years()), st.sampled_from(TermlyReview.Term.values)
        ).filter(lambda pair: pair != (academic_years()[0], TermlyReview.Term.AUTUMN))
    )
    typed_attendance, percent = draw(attendance())
    missed, suspensions = draw(st.integers(0, COUNT_MAX)), draw(st.integers(0, 20))
    excluded = draw(st.booleans())
    grades = {
        name: draw(st.sampled_from(TermlyReview.Attainment.values))
        for name in ("reading", "writing", "maths")
    }
    data = {
        "academic_year": str(year),
        "term": term,
        "attendance_percent": typed_attendance,
        "sessions_missed": draw(number_text(missed)),
        "suspensions": draw(number_text(suspensions)),
        **grades,
        "progress_notes": draw(free_text(5000)),
        "agreed_actions": draw(free_text(5000)),
        **({"permanently_excluded": "on"} if excluded else {}),
    }
    expected = {
        "academic_year": year,
        "term": term,
        "attendance_percent": percent,
        "sessions_missed": missed,
        "suspensions": suspensions,
        "permanently_excluded": excluded,
        **grades,
        "progress_notes": data["progress_notes"].strip(),
        "agreed_actions": data["agreed_actions"].strip(),
    }
    return data, expected


ATTENDANCE = "Attendance must be a number from 0 to 100"


def counts_wrong(field: str, label: str, required: str) -> st.SearchStrategy[Mistake]:
    return st.one_of(
        st.integers(-COUNT_MAX, -1).map(lambda n: (str(n), f"{label} must be 0 or more")),
        st.integers(COUNT_MAX + 1, 10**9).map(
            lambda n: (str(n), f"{label} must be 32767 or fewer")
        ),
        st.sampled_from(["1.5", "three", "3 sessions", "½", " "]).map(
            lambda v: (v, f"{label} must be a whole number, like 3")
        ),
        st.sampled_from(["", OMIT]).map(lambda v: (v, required)),
    ).map(lambda case: Mistake(field, {field: case[0]}, case[1]))


review_mistakes = st.one_of(
    # Attendance is a percentage: 0 to 100, one decimal place.
    st.integers(1001, 9999).map(lambda n: f"{n // 10}.{n % 10}").map(lambda v: (v, ATTENDANCE)),
    st.integers(1, 1000).map(lambda n: f"-{n // 10}.{n % 10}").map(lambda v: (v, ATTENDANCE)),
    st.sampled_from(["101", "1000", "ninety", "NaN", "9O", "50%"]).map(lambda v: (v, ATTENDANCE)),
    st.sampled_from(["92.55", "0.25", "99.99"]).map(lambda v: (v, "no more than 1 decimal place")),
    st.sampled_from(["", OMIT]).map(lambda v: (v, "Enter the pupil's attendance this term")),
    st.just(("  ", ATTENDANCE)),  # only spaces: read as typed, not as left empty
).map(lambda case: Mistake("attendance_percent", {"attendance_percent": case[0]}, case[1]))
review_mistakes |= counts_wrong(
    "sessions_missed", "Sessions missed", "Enter the number of sessions missed, or 0"
)
review_mistakes |= counts_wrong(
    "suspensions", "Suspensions", "Enter the number of suspensions, or 0"
)
review_mistakes |= st.sampled_from(["", "winter", OMIT]).map(
    lambda v: Mistake("term", {"term": v}, "Choose the term")
)
review_mistakes |= st.sampled_from(["", OMIT]).map(
    lambda v: Mistake("academic_year", {"academic_year": v}, "Choose the academic year")
)
review_mistakes |= st.sampled_from(["1999", "3000", "last year", "2026.5"]).map(
    lambda v: Mistake(
        "academic_year", {"academic_year": v}, "Choose an academic year from the list"
    )
)
review_mistakes |= st.sampled_from(["reading", "writing", "maths"]).map(
    lambda f: Mistake(f, {f: "excellent"}, f"Choose {f} from the list")
)
review_mistakes |= st.sampled_from(["progress_notes", "agreed_actions"]).flatmap(
    lambda f: too_long_text(5000).map(
        lambda v: Mistake(
            f, {f: v}, f"{f.replace('_', ' ').capitalize()} must be 5,000 characters or fewer"
        )
    )
)


def already_reviewed() -> Mistake:
    """The term that already has a review."""
    return Mistake(
        "term",
        {"academic_year": str(academic_years()[0]), "term": TermlyReview.Term.AUTUMN},
        "There is already a review for this term",
    )


@PROPERTY
@given(data=st.data())
def test_a_valid_review_is_saved_as_typed_and_shown(data, head_client, reviewed):
    payload, expected = data.draw(review_forms(), label="form and review")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:review_add", args=[reviewed.pk]), payload)
        accepted(response)
        assert changed_counts(before) == {table(TermlyReview): 1, table(AuditEntry): 1}
        review = TermlyReview.objects.latest("pk")
        assert TermlyReview.objects.values(*FIELDS).get(pk=review.pk) == expected
        assert review.pupil_id == reviewed.pk
        shown = [expected["progress_notes"], expected["agreed_actions"]]
        page = reverse("schools:pupil_detail", args=[reviewed.pk])
        assert_shown(head_client, page, f"{expected['attendance_percent']:.1f}%", *shown)


@PROPERTY
@given(data=st.data())
def test_an_invalid_review_saves_nothing_and_says_why_beside_the_field(data, head_client, reviewed):
    payload, _expected = data.draw(review_forms(), label="valid form")
    mistake = data.draw(st.one_of(review_mistakes, st.just(already_reviewed())), label="mistake")
    with undone():
        before = row_counts()
        url = reverse("schools:review_add", args=[reviewed.pk])
        response = head_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
