"""The pupil form (/school/pupils/add/ and a pupil's change page), filled in by Hypothesis.

A valid form saves exactly the pupil and one audit entry, and every field reads back as typed
(names stripped, the UPN in capitals without spaces); the pupil's page shows it. An invalid
form saves nothing, not even an audit entry, and leaves an existing pupil as they were, with
the message beside the field that is wrong.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from stdnum.gb import upn as stdnum_upn

from core.choices import Arrangement, YearGroup, year_group_gap
from schools.models import AuditEntry, KinshipPupil, LocalAuthority
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
    names,
    too_long_name,
    too_long_text,
)

pytestmark = pytest.mark.django_db

FIELDS = [
    "first_name", "last_name", "date_of_birth", "upn", "school", "year_group_override",
    "arrangement", "previously_looked_after", "send_status", "social_worker_involved", "notes",
    "left_on", "left_reason", "legal_hold",
]  # fmt: skip


def years_ago(today: datetime.date, years: int) -> datetime.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


@st.composite
def upns(draw, la_numbers: list[str]) -> tuple[str, str]:
    """(as typed, as stored): a real UPN, typed in lower case or with spaces now and then."""
    rest = draw(st.sampled_from(la_numbers)) + draw(st.text("0123456789", min_size=8, max_size=8))
    rest += draw(st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZ"))
    number = stdnum_upn.calc_check_digit(rest) + rest
    typed = draw(st.sampled_from([number, number.lower(), f"{number[:4]} {number[4:]}", ""]))
    return typed, stdnum_upn.compact(typed)


@st.composite
def pupil_forms(draw, schools, la_numbers) -> tuple[dict, dict]:
    """A pupil form a member of staff fills in correctly, and the record it should save."""
    today = timezone.localdate()
    born = draw(dates_between(years_ago(today, 25), today))
    upn_typed, upn = draw(upns(la_numbers))
    school = draw(st.sampled_from([None, *schools]))
    left_on = draw(st.one_of(st.none(), dates_between(born, today)))
    left_reason = draw(st.sampled_from(KinshipPupil.LeftReason.values)) if left_on else ""
    ticks = {
        name: draw(st.booleans())
        for name in ("previously_looked_after", "social_worker_involved", "legal_hold")
    }
    data = {
        "first_name": draw(names(80)),
        "last_name": draw(names(80)),
        **draw(date_boxes("date_of_birth", born)),
        "upn": upn_typed,
        "school": str(school.pk) if school else "",
        "year_group_override": draw(st.sampled_from(["", *YearGroup.values])),
        "arrangement": draw(st.sampled_from(Arrangement.values)),
        "send_status": draw(st.sampled_from(KinshipPupil.Send.values)),
        "notes": draw(free_text(5000)),
        "left_reason": left_reason,
        **(draw(date_boxes("left_on", left_on)) if left_on else {}),
        **{name: "on" for name, on in ticks.items() if on},
    }
    if data["year_group_override"]:  # staff have checked it, whatever the age group
        data["year_group_confirmed"] = "on"
    expected = {
        "first_name": data["first_name"].strip(),
        "last_name": data["last_name"].strip(),
        "date_of_birth": born,
        "upn": upn,
        "school": school.pk if school else None,
        "year_group_override": data["year_group_override"],
        "arrangement": data["arrangement"],
        "send_status": data["send_status"],
        "notes": data["notes"].strip(),
        "left_on": left_on,
        "left_reason": left_reason,
        **ticks,
    }
    return data, expected


def pupil_mistakes(expected: dict) -> st.SearchStrategy[Mistake]:
    """One thing wrong with an otherwise valid pupil form."""
    today = timezone.localdate()
    born = expected["date_of_birth"]
    message = {
        "first_name": ("Enter the pupil's first name", "First name must be 80 characters or fewer"),
        "last_name": ("Enter the pupil's last name", "Last name must be 80 characters or fewer"),
    }
    mistakes = [
        *(
            st.one_of(blank, st.just(OMIT)).map(
                lambda v, f=field: Mistake(f, {f: v}, message[f][0])
            )
            for field in message
        ),
        *(
            too_long_name(80).map(lambda v, f=field: Mistake(f, {f: v}, message[f][1]))
            for field in message
        ),
        impossible_date("date_of_birth").map(
            lambda case: Mistake("date_of_birth", case[0], f"Date of birth {case[1]}")
        ),
        dates_between(today + datetime.timedelta(days=1), today.replace(year=today.year + 3))
        .flatmap(lambda day: date_boxes("date_of_birth", day))
        .map(lambda boxes: Mistake("date_of_birth", boxes, "must be today or in the past")),
        st.sampled_from(
            [
                ("B80120000500", "A UPN has 13 characters, like B801200005001"),
                ("B8012000050011", "A UPN has 13 characters, like B801200005001"),
                ("1801200005001", "A UPN is a letter, 11 digits and a final digit or letter"),
                ("BB01200005001", "A UPN is a letter, 11 digits and a final digit or letter"),
                ("A801200005001", "Check the UPN: the first letter does not match the rest"),
                (stdnum_upn.calc_check_digit("99900000001A") + "99900000001A", "999 is not"),
                ("B" * 21, "A UPN has 13 characters, like B801200005001"),
            ]
        ).map(lambda case: Mistake("upn", {"upn": case[0]}, case[1])),
        st.sampled_from(["0", "999999", "abc", "-1"]).map(
            lambda v: Mistake("school", {"school": v}, "Choose a school from your list")
        ),
        st.sampled_from(["", "foster", "SGO", OMIT]).map(
            lambda v: Mistake(
                "arrangement",
                {"arrangement": v},
                "Choose the kinship arrangement, or 'Other, or not sure'",
            )
        ),
        st.sampled_from(["", "EHCP", OMIT]).map(
            lambda v: Mistake("send_status", {"send_status": v}, "Choose the pupil's SEND status")
        ),
        st.sampled_from(["14", "Year 3", "reception"]).map(
            lambda v: Mistake(
                "year_group_override",
                {"year_group_override": v},
                "Choose a year group from the list",
            )
        ),
        too_long_text(5000).map(
            lambda v: Mistake("notes", {"notes": v}, "Notes must be 5,000 characters or fewer")
        ),
        # Left: a date needs a reason, a reason a date, and the date is after their birth.
        dates_between(born, today)
        .flatmap(lambda day: date_boxes("left_on", day))
        .map(lambda boxes: Mistake("left_reason", {**boxes, "left_reason": ""}, "Choose why")),
        st.sampled_from(KinshipPupil.LeftReason.values).map(
            lambda reason: Mistake(
                "left_on",
                {"left_reason": reason, "left_on_day": "", "left_on_month": "", "left_on_year": ""},
                "Enter the date they left",
            )
        ),
    ]
    mistakes.append(
        dates_between(born - datetime.timedelta(days=400), born - datetime.timedelta(days=1))
        .flatmap(lambda day: date_boxes("left_on", day))
        .map(
            lambda boxes: Mistake(
                "left_on",
                {**boxes, "left_reason": "moved"},
                "Date they left must be after their date of birth",
            )
        )
    )
    # A year group far from their age group, not confirmed: a warning to check it.
    far = [yg for yg in YearGroup.values if year_group_gap(born, yg, today) > 1]
    if far:
        mistakes.append(
            st.sampled_from(far).map(
                lambda yg: Mistake(
                    "year_group_override",
                    {"year_group_override": yg, "year_group_confirmed": OMIT},
                    "Check the year group",
                )
            )
        )
    return st.one_of(*mistakes)


@pytest.fixture
def la_numbers(db):
    return list(
        LocalAuthority.objects.exclude(dfe_la_number="")
        .exclude(dfe_la_number__isnull=True)
        .values_list("dfe_la_number", flat=True)
    )


def saved(pupil_pk) -> dict:
    return KinshipPupil.objects.values(*FIELDS).get(pk=pupil_pk)


@PROPERTY
@given(data=st.data())
def test_a_valid_new_pupil_is_saved_as_typed_and_shown(data, head_client, schools, la_numbers):
    payload, expected = data.draw(pupil_forms(schools, la_numbers), label="form and record")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:pupil_add"), payload)
        accepted(response)
        assert changed_counts(before) == {table(KinshipPupil): 1, table(AuditEntry): 1}
        pupil = KinshipPupil.objects.latest("pk")
        assert saved(pupil.pk) == expected
        assert AuditEntry.objects.latest("pk").action == AuditEntry.Action.CREATE
        assert response["Location"] == reverse("schools:pupil_detail", args=[pupil.pk])
        assert_shown(
            head_client,
            response["Location"],
            expected["first_name"],
            expected["last_name"],
            expected["upn"],
            expected["notes"],
        )


@PROPERTY
@given(data=st.data())
def test_an_invalid_new_pupil_saves_nothing_and_says_why_beside_the_field(
    data, head_client, schools, la_numbers
):
    payload, expected = data.draw(pupil_forms(schools, la_numbers), label="valid form")
    mistake = data.draw(pupil_mistakes(expected), label="mistake")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:pupil_add"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)


@PROPERTY
@given(data=st.data())
def test_a_valid_change_to_a_pupil_is_saved_as_typed(data, head_client, schools, pupil, la_numbers):
    payload, expected = data.draw(pupil_forms(schools, la_numbers), label="form and record")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:pupil_edit", args=[pupil.pk]), payload)
        accepted(response)
        assert changed_counts(before) == {table(AuditEntry): 1}
        assert saved(pupil.pk) == expected
        assert AuditEntry.objects.latest("pk").action == AuditEntry.Action.UPDATE


@PROPERTY
@given(data=st.data())
def test_an_invalid_change_to_a_pupil_leaves_them_as_they_were(
    data, head_client, schools, pupil, la_numbers
):
    payload, expected = data.draw(pupil_forms(schools, la_numbers), label="valid form")
    mistake = data.draw(pupil_mistakes(expected), label="mistake")
    with undone():
        before, record = row_counts(), saved(pupil.pk)
        url = reverse("schools:pupil_edit", args=[pupil.pk])
        response = head_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
        assert saved(pupil.pk) == record
