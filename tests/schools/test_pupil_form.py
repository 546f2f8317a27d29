"""The add and change pupil forms as an officer meets them: wording for staff, and a question,
not a refusal, when the year group is far from the pupil's age group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import YearGroup, year_group_for, year_group_gap
from schools.models import AuditEntry, KinshipPupil
from tests.schools.test_records import (
    error_beside,
    login,
    make_pupil,
    page_text,
    pupil_post,
    vs_of,
)

pytestmark = pytest.mark.django_db

ADD = reverse("schools:pupil_add")
CONFIRM = 'name="year_group_confirmed"'


@pytest.fixture
def on_30_november_2026(time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 11, 30, 10, tzinfo=timezone.get_current_timezone()), tick=False
    )


def born(day: int, month: int, year: int) -> dict:
    return {
        "date_of_birth_day": str(day),
        "date_of_birth_month": str(month),
        "date_of_birth_year": str(year),
    }


# Wording -------------------------------------------------------------------------------------


def test_staff_see_arrangements_described_for_an_officer_and_carers_keep_theirs(officer, carer):
    staff_form = page_text(login(officer).get(ADD))
    assert "A court order that gives the carer parental responsibility" in staff_form
    assert "A court order saying the child lives with the carer" in staff_form
    assert "gives you" not in staff_form and "lives with you" not in staff_form
    carer_form = page_text(login(carer).get(reverse("carers:profile_edit")))
    assert "A court order that gives you parental responsibility" in carer_form


# The year group and the date of birth --------------------------------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "year_group", "gap"),
    [
        # 30 November 2026, academic year 2026 to 2027: Year 6 were born 1 September 2015 to
        # 31 August 2016, Year 5 from 1 September 2016.
        (datetime.date(2016, 8, 31), YearGroup.Y6, 0),
        (datetime.date(2016, 9, 1), YearGroup.Y5, 0),
        (datetime.date(2016, 8, 31), YearGroup.Y4, 2),
        (datetime.date(2016, 9, 1), YearGroup.Y4, 1),
        (datetime.date(2016, 5, 3), YearGroup.Y1, 5),
        (datetime.date(2021, 9, 1), YearGroup.RECEPTION, 0),
        (datetime.date(2021, 8, 31), YearGroup.NURSERY, 2),
        (datetime.date(2024, 1, 1), YearGroup.NOT_AT_SCHOOL, 0),
        (datetime.date(2021, 9, 1), YearGroup.NOT_AT_SCHOOL, 2),
        (datetime.date(2009, 8, 31), YearGroup.LEFT_SCHOOL, 0),  # would be in Year 13
        (datetime.date(2010, 9, 1), YearGroup.LEFT_SCHOOL, 1),  # Year 11: may leave in summer
        (datetime.date(2011, 9, 1), YearGroup.LEFT_SCHOOL, 2),
    ],
)
def test_the_gap_from_the_age_group_follows_the_1_september_rule(date_of_birth, year_group, gap):
    on = datetime.date(2026, 11, 30)
    assert year_group_gap(date_of_birth, year_group, on) == gap
    # The next academic year, everyone is a year older for the same year group.
    if year_group not in (YearGroup.NOT_AT_SCHOOL, YearGroup.LEFT_SCHOOL):
        usual = year_group_for(date_of_birth, datetime.date(2027, 9, 1))
        assert year_group_gap(date_of_birth, usual, datetime.date(2027, 9, 1)) == 0


def test_a_year_group_far_from_the_age_group_is_questioned_and_nothing_saved(
    client, officer, on_30_november_2026
):
    client.force_login(officer)
    response = client.post(ADD, pupil_post(year_group_override="1", **born(3, 5, 2016)))
    assert response.status_code == 200
    assert error_beside(response, "year_group_override") == (
        "Check the year group: a child born on 3 May 2016 would usually be in Year 6"
    )
    assert "There is a problem" in page_text(response)
    assert CONFIRM in response.content.decode()
    assert 'value="1" selected' in response.content.decode()  # what they chose is kept
    assert not KinshipPupil.objects.exists()
    assert not AuditEntry.objects.filter(action="create").exists()


def test_ticking_the_year_group_is_correct_saves_it(client, officer, on_30_november_2026):
    client.force_login(officer)
    response = client.post(
        ADD,
        pupil_post(year_group_override="1", year_group_confirmed="on", **born(3, 5, 2016)),
    )
    pupil = KinshipPupil.objects.get()
    assert response["Location"] == reverse("schools:pupil_detail", args=[pupil.pk])
    assert pupil.year_group_override == "1" and pupil.get_year_group_display() == "Year 1"


@pytest.mark.parametrize("year_group", ["", "6", "5", "7"])
def test_the_age_group_or_one_year_either_side_saves_with_no_question(
    client, officer, on_30_november_2026, year_group
):
    client.force_login(officer)
    response = client.post(ADD, pupil_post(year_group_override=year_group, **born(3, 5, 2016)))
    assert response.status_code == 302
    assert KinshipPupil.objects.get().year_group_override == year_group


def test_changing_a_pupil_questions_a_new_year_group_but_not_one_already_saved(
    client, officer, on_30_november_2026
):
    pupil = make_pupil(
        vs_of(officer), date_of_birth=datetime.date(2016, 5, 3), year_group_override="3"
    )
    url = reverse("schools:pupil_edit", args=[pupil.pk])
    client.force_login(officer)
    form = client.get(url).content.decode()
    assert CONFIRM not in form and "Check the year group" not in form
    same = pupil_post(
        first_name="Ada", last_name="Lovelace", year_group_override="3", **born(3, 5, 2016)
    )
    assert client.post(url, same | {"notes": "Moved class"}).status_code == 302
    response = client.post(url, same | {"year_group_override": "2"})
    assert error_beside(response, "year_group_override").startswith("Check the year group")
    pupil.refresh_from_db()
    assert pupil.year_group_override == "3" and pupil.notes == "Moved class"
