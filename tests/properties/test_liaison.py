"""The liaison form (/school/liaison/add/): a contact with a school, filled in by Hypothesis.

A valid contact saves exactly the record (and, when it is about a pupil, one audit entry),
reads back as typed and is shown on the pupil's page. An invalid one (a date in the future,
a follow-up before the contact, no summary...) saves nothing, with the message beside the field.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from schools.models import AuditEntry, LiaisonRecord
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
from tests.properties.strategies import (
    OMIT,
    Mistake,
    blank,
    date_boxes,
    dates_between,
    free_text,
    impossible_date,
    too_long_text,
)

pytestmark = pytest.mark.django_db

FIELDS = ["school", "pupil", "contact_type", "contact_date", "summary", "outcome", "follow_up_on"]
NO_DATE = {"follow_up_on_day": "", "follow_up_on_month": "", "follow_up_on_year": ""}


@st.composite
def liaison_forms(draw, schools, pupils) -> tuple[dict, dict]:
    today = timezone.localdate()
    contact = draw(dates_between(datetime.date(2000, 1, 1), today))
    follow_up = draw(
        st.one_of(st.none(), dates_between(contact, today.replace(year=today.year + 2)))
    )
    school = draw(st.sampled_from([None, *schools]))
    pupil = draw(st.sampled_from([None, *pupils]))
    data = {
        "school": str(school.pk) if school else "",
        "pupil": str(pupil.pk) if pupil else "",
        "contact_type": draw(st.sampled_from(LiaisonRecord.ContactType.values)),
        **draw(date_boxes("contact_date", contact)),
        "summary": draw(free_text(5000, required=True)),
        "outcome": draw(free_text(5000)),
        **(draw(date_boxes("follow_up_on", follow_up)) if follow_up else NO_DATE),
    }
    expected = {
        "school": school.pk if school else None,
        "pupil": pupil.pk if pupil else None,
        "contact_type": data["contact_type"],
        "contact_date": contact,
        "summary": data["summary"].strip(),
        "outcome": data["outcome"].strip(),
        "follow_up_on": follow_up,
    }
    return data, expected


def liaison_mistakes(expected: dict) -> st.SearchStrategy[Mistake]:
    today, contact = timezone.localdate(), expected["contact_date"]
    return st.one_of(
        dates_between(today + datetime.timedelta(days=1), today.replace(year=today.year + 5))
        .flatmap(lambda day: date_boxes("contact_date", day))
        .map(
            lambda boxes: Mistake(
                "contact_date", boxes, "Date of contact must be today or in the past"
            )
        ),
        impossible_date("contact_date").map(
            lambda case: Mistake("contact_date", case[0], f"Date of contact {case[1]}")
        ),
        st.just(
            Mistake(
                "contact_date",
                {"contact_date_day": "", "contact_date_month": "", "contact_date_year": ""},
                "Enter the date of the contact",
            )
        ),
        dates_between(datetime.date(1990, 1, 1), contact - datetime.timedelta(days=1))
        .flatmap(lambda day: date_boxes("follow_up_on", day))
        .map(
            lambda boxes: Mistake(
                "follow_up_on", boxes, "Follow-up date must be on or after the date of contact"
            )
        ),
        impossible_date("follow_up_on").map(
            lambda case: Mistake("follow_up_on", case[0], f"Follow-up date {case[1]}")
        ),
        st.one_of(blank, st.just(OMIT)).map(
            lambda v: Mistake("summary", {"summary": v}, "Enter a summary of the contact")
        ),
        too_long_text(5000).map(
            lambda v: Mistake(
                "summary", {"summary": v}, "Summary must be 5,000 characters or fewer"
            )
        ),
        too_long_text(5000).map(
            lambda v: Mistake(
                "outcome", {"outcome": v}, "Outcome must be 5,000 characters or fewer"
            )
        ),
        st.sampled_from(["", "fax", OMIT]).map(
            lambda v: Mistake("contact_type", {"contact_type": v}, "Choose the type of contact")
        ),
        st.sampled_from(["0", "99999", "abc"]).map(
            lambda v: Mistake("school", {"school": v}, "Choose a school from your list")
        ),
        st.sampled_from(["0", "99999", "abc"]).map(
            lambda v: Mistake("pupil", {"pupil": v}, "Choose a pupil from the list")
        ),
    )


@PROPERTY
@given(data=st.data())
def test_a_valid_contact_is_saved_as_typed_and_shown(data, head_client, schools, pupil):
    payload, expected = data.draw(liaison_forms(schools, [pupil]), label="form and record")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:liaison_add"), payload)
        accepted(response)
        about_a_pupil = expected["pupil"] is not None
        assert changed_counts(before) == {
            table(LiaisonRecord): 1,
            **({table(AuditEntry): 1} if about_a_pupil else {}),
        }
        record = LiaisonRecord.objects.latest("pk")
        assert LiaisonRecord.objects.values(*FIELDS).get(pk=record.pk) == expected
        if about_a_pupil:  # the pupil's page shows the whole record
            page = reverse("schools:pupil_detail", args=[pupil.pk])
            assert_shown(head_client, page, expected["summary"], expected["outcome"])


@PROPERTY
@given(data=st.data())
def test_an_invalid_contact_saves_nothing_and_says_why_beside_the_field(
    data, head_client, schools, pupil
):
    payload, expected = data.draw(liaison_forms(schools, [pupil]), label="valid form")
    mistake = data.draw(liaison_mistakes(expected), label="mistake")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:liaison_add"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
