"""The school form (/school/schools/add/), filled in by Hypothesis.

A valid school saves exactly the school and one audit entry, reads back as typed (stripped),
is on the list of schools and fills in its change page. An invalid one (a URN that is not 6 digits or is already on the
list, no phase, an address that is not an email address...) saves nothing, with the message
beside the field.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from schools.models import AuditEntry, LocalAuthority, School
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
    email_addresses,
    free_text,
    names,
    too_long_name,
    too_long_text,
)

pytestmark = pytest.mark.django_db

FIELDS = [
    "name", "urn", "phase", "local_authority", "designated_teacher_name",
    "designated_teacher_email", "designated_teacher_phone",
]  # fmt: skip
TAKEN_URN = "107654"  # Park Primary's (the schools fixture)


@pytest.fixture
def authorities(db):
    return list(LocalAuthority.objects.values_list("pk", flat=True))


@st.composite
def school_forms(draw, authorities) -> tuple[dict, dict]:
    urn = draw(
        st.one_of(st.just(""), st.text("0123456789", min_size=6, max_size=6)).filter(
            lambda u: u != TAKEN_URN
        )
    )
    email = draw(st.one_of(st.just(""), email_addresses()))
    data = {
        "name": draw(free_text(200, required=True, lines=False)),
        "urn": urn,  # with spaces round it, refused: the regex sees it before clean_urn strips
        "phase": draw(st.sampled_from(School.Phase.values)),
        "local_authority": str(draw(st.sampled_from(authorities))),
        "designated_teacher_name": draw(st.one_of(st.just(""), names(150))),
        "designated_teacher_email": email,
        "designated_teacher_phone": draw(
            st.one_of(st.just(""), st.text("0123456789 +()-", min_size=1, max_size=30))
        ),
    }
    expected = {
        "name": data["name"].strip(),
        "urn": urn,
        "phase": data["phase"],
        "local_authority": int(data["local_authority"]),
        "designated_teacher_name": data["designated_teacher_name"].strip(),
        "designated_teacher_email": email,
        "designated_teacher_phone": data["designated_teacher_phone"].strip(),
    }
    return data, expected


URN = "URN must be 6 digits, like 107654"

school_mistakes = st.one_of(
    st.one_of(blank, st.just(OMIT)).map(
        lambda v: Mistake("name", {"name": v}, "Enter the school's name")
    ),
    too_long_text(200).map(
        lambda v: Mistake("name", {"name": v}, "School name must be 200 characters or fewer")
    ),
    st.one_of(
        st.text("0123456789", min_size=1, max_size=5),
        st.text("0123456789", min_size=7, max_size=12),
        st.sampled_from(["10765A", "1076 54", "１０７６５４", "-10765", "107654.0"]),
    ).map(lambda v: Mistake("urn", {"urn": v}, URN)),
    st.just(Mistake("urn", {"urn": TAKEN_URN}, "A school with this URN is already on your list")),
    st.sampled_from(["", "university", OMIT]).map(
        lambda v: Mistake("phase", {"phase": v}, "Choose the school's phase")
    ),
    st.sampled_from(["", "0", "abc", "99999999", OMIT]).map(
        lambda v: Mistake(
            "local_authority",
            {"local_authority": v},
            "Choose the local authority the school is in",
        )
    ),
    too_long_name(150).map(
        lambda v: Mistake(
            "designated_teacher_name",
            {"designated_teacher_name": v},
            "Designated teacher's name (optional) must be 150 characters or fewer",
        )
    ),
    st.sampled_from(["ms.khan", "ms khan@example.org", "@example.org", "dt@", "dt@example"]).map(
        lambda v: Mistake(
            "designated_teacher_email",
            {"designated_teacher_email": v},
            "Enter an email address in the correct format, like name@example.com",
        )
    ),
    st.text("0123456789 ", min_size=31, max_size=40)
    .filter(lambda v: len(v.strip()) > 30)
    .map(
        lambda v: Mistake(
            "designated_teacher_phone",
            {"designated_teacher_phone": v},
            "Designated teacher's phone number (optional) must be 30 characters or fewer",
        )
    ),
)


@PROPERTY
@given(data=st.data())
def test_a_valid_school_is_saved_as_typed_and_listed(data, head_client, schools, authorities):
    payload, expected = data.draw(school_forms(authorities), label="form and school")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:school_add"), payload)
        accepted(response)
        assert changed_counts(before) == {table(School): 1, table(AuditEntry): 1}
        school = School.objects.latest("pk")
        assert School.objects.values(*FIELDS).get(pk=school.pk) == expected
        assert_shown(head_client, reverse("schools:schools"), expected["name"], expected["urn"])
        # The change page shows every field as saved. (The list leaves out a phone number
        # with no teacher's name or email.)
        shown = [expected[name] for name in FIELDS if name not in ("phase", "local_authority")]
        assert_shown(head_client, reverse("schools:school_edit", args=[school.pk]), *shown)


@PROPERTY
@given(data=st.data())
def test_an_invalid_school_saves_nothing_and_says_why_beside_the_field(
    data, head_client, schools, authorities
):
    payload, _expected = data.draw(school_forms(authorities), label="valid form")
    mistake = data.draw(school_mistakes, label="mistake")
    with undone():
        before = row_counts()
        response = head_client.post(reverse("schools:school_add"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
