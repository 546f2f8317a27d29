"""The child form (/profile/children/add/ and a child's change page), filled in by Hypothesis.

A valid child saves as typed (name and school stripped), with the carer's consent recorded
when they share the child's details, and the profile page shows the child. An invalid one (a
year of birth in the future or too long ago, neither a year nor a school year...) saves nothing
and leaves a child as they were, with the message beside the field.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from carers.models import Child, ConsentEvent
from core.choices import YearGroup
from tests.factories import ChildFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    assert_shown,
    changed_counts,
    row_counts,
    signed_in,
    table,
    undone,
)
from tests.properties.strategies import (
    OMIT,
    Mistake,
    blank,
    free_text,
    names,
    number_text,
    too_long_name,
    too_long_text,
)

pytestmark = pytest.mark.django_db

FIELDS = ["first_name", "year_of_birth", "school_year", "school_name"]
OLDEST = 25  # a year of birth up to 25 years ago


@pytest.fixture
def carer_client(carer):
    return signed_in(carer)


@pytest.fixture
def child(carer):
    return ChildFactory(carer=carer.carer_profile, school_name="Park Primary")


@st.composite
def child_forms(draw) -> tuple[dict, dict]:
    this_year = timezone.localdate().year
    year = draw(st.one_of(st.none(), st.integers(this_year - OLDEST, this_year)))
    # Without a year of birth, a school year is needed.
    school_year = draw(st.sampled_from(YearGroup.values + ([""] if year is not None else [])))
    data = {
        "first_name": draw(names(60)),
        "year_of_birth": "" if year is None else draw(number_text(year)),
        "school_year": school_year,
        "school_name": draw(st.one_of(st.just(""), free_text(150, lines=False))),
    }
    expected = {
        "first_name": data["first_name"].strip(),
        "year_of_birth": year,
        "school_year": school_year,
        "school_name": data["school_name"].strip(),
    }
    return data, expected


def child_mistakes() -> st.SearchStrategy[Mistake]:
    this_year = timezone.localdate().year
    earliest = this_year - OLDEST
    return st.one_of(
        st.one_of(blank, st.just(OMIT)).map(
            lambda v: Mistake("first_name", {"first_name": v}, "Enter the child's first name")
        ),
        too_long_name(60).map(
            lambda v: Mistake(
                "first_name", {"first_name": v}, "First name must be 60 characters or fewer"
            )
        ),
        st.integers(this_year + 1, 9999).map(
            lambda y: Mistake(
                "year_of_birth",
                {"year_of_birth": str(y)},
                "Year of birth must be this year or in the past",
            )
        ),
        st.integers(0, earliest - 1).map(
            lambda y: Mistake(
                "year_of_birth",
                {"year_of_birth": str(y)},
                f"Year of birth must be {earliest} or later",
            )
        ),
        st.sampled_from(["twenty fifteen", "2015a", "'15", "15/03/2015", "2015.5"]).map(
            lambda v: Mistake(
                "year_of_birth", {"year_of_birth": v}, "Year of birth must be a year, like 2015"
            )
        ),
        st.just(
            Mistake(
                "year_of_birth",
                {"year_of_birth": "", "school_year": ""},
                "Enter the child's year of birth or choose their school year",
            )
        ),
        st.sampled_from(["Year 14", "14", "sixth form"]).map(
            lambda v: Mistake(
                "school_year", {"school_year": v}, "Choose a school year from the list"
            )
        ),
        too_long_text(150).map(
            lambda v: Mistake(
                "school_name", {"school_name": v}, "School name must be 150 characters or fewer"
            )
        ),
    )


@PROPERTY
@given(data=st.data(), share=st.booleans())
def test_a_valid_new_child_is_saved_as_typed_and_shown(data, share, carer, carer_client):
    payload, expected = data.draw(child_forms(), label="form and child")
    if share:
        payload["share_with_virtual_school"] = "on"
    with undone():
        before = row_counts()
        accepted(carer_client.post(reverse("carers:child_add"), payload))
        assert changed_counts(before) == {
            table(Child): 1,
            **({table(ConsentEvent): 1} if share else {}),
        }
        child = Child.objects.latest("pk")
        assert Child.objects.values(*FIELDS).get(pk=child.pk) == expected
        assert (child.carer_id, child.shares_with_virtual_school) == (carer.carer_profile.pk, share)
        shown = [expected["first_name"], expected["school_name"]]
        assert_shown(carer_client, reverse("carers:profile"), *shown)


@PROPERTY
@given(data=st.data())
def test_an_invalid_new_child_saves_nothing_and_says_why_beside_the_field(data, carer_client):
    payload, _expected = data.draw(child_forms(), label="valid form")
    mistake = data.draw(child_mistakes(), label="mistake")
    with undone():
        before = row_counts()
        payload["share_with_virtual_school"] = "on"  # no consent recorded either
        response = carer_client.post(reverse("carers:child_add"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)


@PROPERTY
@given(data=st.data())
def test_a_valid_change_to_a_child_is_saved_as_typed(data, carer_client, child):
    payload, expected = data.draw(child_forms(), label="form and child")
    with undone():
        before = row_counts()
        accepted(carer_client.post(reverse("carers:child_edit", args=[child.pk]), payload))
        assert changed_counts(before) == {}
        assert Child.objects.values(*FIELDS).get(pk=child.pk) == expected


@PROPERTY
@given(data=st.data())
def test_an_invalid_change_to_a_child_leaves_them_as_they_were(data, carer_client, child):
    payload, _expected = data.draw(child_forms(), label="valid form")
    mistake = data.draw(child_mistakes(), label="mistake")
    with undone():
        before, record = row_counts(), Child.objects.values().get(pk=child.pk)
        url = reverse("carers:child_edit", args=[child.pk])
        response = carer_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
        assert Child.objects.values().get(pk=child.pk) == record
