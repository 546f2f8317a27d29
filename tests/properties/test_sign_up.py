"""Signing up, filled in by Hypothesis: a carer's account (/accounts/signup/), a professional's
(/training/sign-up/), and a professional's details (/training/details/).

A valid form saves the account (the email address in lower case) and its profile as typed:
names stripped, an organisation's spaces tidied, "other" role named only for "Other". An
invalid one saves nothing (no account, no profile), with the message beside the field.
"""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Session, User
from carers.models import CarerProfile
from professionals.models import ProfessionalProfile
from schools.models import LocalAuthority
from tests.professionals.factories import ProfessionalFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    changed_counts,
    row_counts,
    signed_in,
    table,
    undone,
    visitor,
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

# Long, and nothing like an email address: Django's password validators accept it.
passwords = st.text("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!-_", min_size=4).map(
    lambda tail: f"Kinship-Care-{tail}"
)


@st.composite
def account_forms(draw) -> tuple[dict, dict]:
    email, password = draw(email_addresses()), draw(passwords)
    data = {"email": email, "password1": password, "password2": password}
    return data, {"email": email.lower()}


account_mistakes = st.one_of(
    st.sampled_from(["gran", "gran@", "@example.org", "gran@example", "gran @example.org"]).map(
        lambda v: Mistake("email", {"email": v}, "Enter a valid email address.")
    ),
    st.sampled_from(["short", "Kinship1"]).map(
        lambda v: Mistake(
            "password1",
            {"password1": v, "password2": v},
            "This password is too short. It must contain at least 10 characters.",
        )
    ),
    st.sampled_from(["password123", "qwertyuiop"]).map(
        lambda v: Mistake(
            "password1", {"password1": v, "password2": v}, "This password is too common."
        )
    ),
    passwords.map(
        lambda v: Mistake(
            "password2", {"password2": v + "x"}, "You must type the same password each time."
        )
    ),
)


@PROPERTY
@given(data=st.data())
def test_a_valid_carer_sign_up_saves_the_account_and_a_carer_profile(data, db):
    payload, expected = data.draw(account_forms(), label="form")
    with undone():
        before = row_counts()
        accepted(visitor().post(reverse("account_signup"), payload))
        user = User.objects.get(email=expected["email"])
        assert EmailAddress.objects.get(user=user).email == expected["email"]
        assert user.check_password(payload["password1"])
        assert CarerProfile.objects.filter(user=user).exists()
        assert not hasattr(user, "professional_profile")
        assert changed_counts(before) == {
            table(User): 1,
            table(EmailAddress): 1,
            table(CarerProfile): 1,
            table(Session): 1,  # "check your email", remembered for this browser
        }


@PROPERTY
@given(data=st.data())
def test_an_invalid_carer_sign_up_saves_nothing_and_says_why(data, db):
    payload, _expected = data.draw(account_forms(), label="valid form")
    mistake = data.draw(account_mistakes, label="mistake")
    with undone():
        before = row_counts()
        response = visitor().post(reverse("account_signup"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)


# Professionals ------------------------------------------------------------------------------


@pytest.fixture
def authorities(db):
    return list(LocalAuthority.objects.values_list("pk", flat=True))


# An organisation as typed, with spaces doubled, tabs or non-breaking spaces between words.
organisations = st.lists(
    st.tuples(
        free_text(40, required=True, lines=False), st.sampled_from([" ", "  ", "\t", "\xa0"])
    ),
    min_size=1,
    max_size=5,
).map(lambda parts: "".join(word + gap for word, gap in parts)[:200])


@st.composite
def professional_forms(draw, authorities) -> tuple[dict, dict]:
    role = draw(st.sampled_from(ProfessionalProfile.Role.values))
    other = role == ProfessionalProfile.Role.OTHER
    area = draw(st.sampled_from([None, *authorities]))
    data = {
        "first_name": draw(names(150)),
        "last_name": draw(names(150)),
        "role": role,
        # What the "Other" box says is kept only for the role "Other".
        "role_other": draw(free_text(100, required=other, lines=False)),
        "organisation": draw(organisations),
        "local_authority": str(area) if area else "",
    }
    expected = {
        "user__first_name": data["first_name"].strip(),
        "user__last_name": data["last_name"].strip(),
        "role": role,
        "role_other": data["role_other"].strip() if other else "",
        "organisation": " ".join(data["organisation"].split()),
        "local_authority": area,
    }
    return data, expected


NAMES = {
    "first_name": ("Enter your first name", "First name must be 150 characters or fewer"),
    "last_name": ("Enter your last name", "Last name must be 150 characters or fewer"),
}

professional_mistakes = st.one_of(
    *(
        st.one_of(blank, st.just(OMIT)).map(lambda v, f=f: Mistake(f, {f: v}, NAMES[f][0]))
        for f in NAMES
    ),
    *(too_long_name(150).map(lambda v, f=f: Mistake(f, {f: v}, NAMES[f][1])) for f in NAMES),
    st.sampled_from(["", "teacher", OMIT]).map(
        lambda v: Mistake("role", {"role": v}, "Select your role")
    ),
    blank.map(
        lambda v: Mistake("role_other", {"role": "other", "role_other": v}, "Enter your role")
    ),
    too_long_text(100).map(
        lambda v: Mistake(
            "role_other",
            {"role": "other", "role_other": v},
            "Your role must be 100 characters or fewer",
        )
    ),
    st.one_of(blank, st.just(OMIT)).map(
        lambda v: Mistake(
            "organisation", {"organisation": v}, "Enter the name of your organisation"
        )
    ),
    too_long_text(200).map(
        lambda v: Mistake(
            "organisation",
            {"organisation": v},
            "The name of your organisation must be 200 characters or fewer",
        )
    ),
    st.sampled_from(["0", "abc", "99999999"]).map(
        lambda v: Mistake(
            "local_authority", {"local_authority": v}, "Choose the council area you work in"
        )
    ),
)

PROFESSIONAL_FIELDS = [
    "user__first_name", "user__last_name", "role", "role_other", "organisation",
    "local_authority",
]  # fmt: skip


@PROPERTY
@given(data=st.data())
def test_a_valid_professional_sign_up_saves_the_account_and_their_profile(data, authorities):
    account, expected_account = data.draw(account_forms(), label="account")
    payload, expected = data.draw(professional_forms(authorities), label="form and profile")
    with undone():
        before = row_counts()
        accepted(visitor().post(reverse("professionals:signup"), {**account, **payload}))
        user = User.objects.get(email=expected_account["email"])
        assert user.is_professional and not hasattr(user, "carer_profile")
        profile = ProfessionalProfile.objects.filter(user=user)
        assert profile.values(*PROFESSIONAL_FIELDS).get() == expected
        assert changed_counts(before) == {
            table(User): 1,
            table(EmailAddress): 1,
            table(ProfessionalProfile): 1,
            table(Session): 1,
        }


@PROPERTY
@given(data=st.data())
def test_an_invalid_professional_sign_up_saves_nothing_and_says_why(data, authorities):
    account, _expected = data.draw(account_forms(), label="account")
    payload, _expected = data.draw(professional_forms(authorities), label="valid form")
    mistake = data.draw(st.one_of(professional_mistakes, account_mistakes), label="mistake")
    with undone():
        before = row_counts()
        url = reverse("professionals:signup")
        response = visitor().post(url, mistake.applied_to({**account, **payload}))
        assert_refused(response, before, mistake.field, mistake.message)


@pytest.fixture
def professional(db):
    return ProfessionalFactory()


@pytest.fixture
def professional_client(professional):
    return signed_in(professional.user)


@PROPERTY
@given(data=st.data())
def test_a_valid_change_to_a_professionals_details_is_saved_as_typed(
    data, authorities, professional, professional_client
):
    payload, expected = data.draw(professional_forms(authorities), label="form and profile")
    with undone():
        before = row_counts()
        accepted(professional_client.post(reverse("professionals:details"), payload))
        assert changed_counts(before) == {}
        profile = ProfessionalProfile.objects.filter(pk=professional.pk)
        assert profile.values(*PROFESSIONAL_FIELDS).get() == expected


@PROPERTY
@given(data=st.data())
def test_an_invalid_change_to_a_professionals_details_leaves_them_as_they_were(
    data, authorities, professional, professional_client
):
    payload, _expected = data.draw(professional_forms(authorities), label="valid form")
    mistake = data.draw(professional_mistakes, label="mistake")
    profile = ProfessionalProfile.objects.filter(pk=professional.pk)
    with undone():
        before, was = row_counts(), profile.values(*PROFESSIONAL_FIELDS).get()
        url = reverse("professionals:details")
        response = professional_client.post(url, mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
        assert profile.values(*PROFESSIONAL_FIELDS).get() == was
