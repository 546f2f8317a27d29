"""The carer's profile form, at onboarding (/profile/start/) and on /profile/edit/, filled in by
Hypothesis.

A valid form saves the carer's name (stripped), council, relationship, arrangement, topics,
emails and reminders as chosen, finishes onboarding, and the profile page shows them. An
invalid one saves nothing (a carer who was onboarding is still not onboarded), with the
message beside the field.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from carers.models import CarerProfile
from core.choices import Arrangement
from schools.models import LocalAuthority
from tests.factories import CarerProfileFactory, TopicFactory
from tests.properties.checks import (
    PROPERTY,
    accepted,
    assert_refused,
    assert_shown,
    changed_counts,
    row_counts,
    signed_in,
    undone,
)
from tests.properties.strategies import OMIT, Mistake, blank, names, too_long_name

pytestmark = pytest.mark.django_db

TOPICS_TABLE = CarerProfile.topics.through._meta.db_table


@pytest.fixture
def topics(db):
    return [TopicFactory() for _ in range(4)]


@pytest.fixture
def authorities(db):
    return list(LocalAuthority.objects.values_list("pk", flat=True))


@pytest.fixture
def onboarding(db):
    """A carer who has confirmed their email address and not yet filled in their profile."""
    return CarerProfileFactory(onboarded_at=None, relationship="", arrangement="")


@pytest.fixture
def onboarded(topics):
    """A carer who has filled in their profile, with one topic chosen."""
    profile = CarerProfileFactory()
    profile.topics.set(topics[:1])
    return profile


@pytest.fixture
def onboarding_client(onboarding):
    return signed_in(onboarding.user)


@pytest.fixture
def onboarded_client(onboarded):
    return signed_in(onboarded.user)


@st.composite
def profile_forms(draw, authorities, topics) -> tuple[dict, dict]:
    chosen = draw(st.lists(st.sampled_from(topics), unique=True))
    reminders = draw(st.booleans())
    data = {
        "first_name": draw(names(150)),
        "last_name": draw(names(150)),
        "local_authority": str(draw(st.sampled_from(authorities))),
        "relationship": draw(st.sampled_from(CarerProfile.Relationship.values)),
        "arrangement": draw(st.sampled_from(Arrangement.values)),
        "topics": [str(topic.pk) for topic in chosen],
        "digest_frequency": draw(st.sampled_from(CarerProfile.DigestFrequency.values)),
        **({"reminders_enabled": "on"} if reminders else {}),
    }
    expected = {
        "user__first_name": data["first_name"].strip(),
        "user__last_name": data["last_name"].strip(),
        "local_authority": int(data["local_authority"]),
        "relationship": data["relationship"],
        "arrangement": data["arrangement"],
        "digest_frequency": data["digest_frequency"],
        "reminders_enabled": reminders,
        "topics": {topic.pk for topic in chosen},
    }
    return data, expected


NAME_MESSAGES = {
    "first_name": ("Enter your first name", "First name must be 150 characters or fewer"),
    "last_name": ("Enter your last name", "Last name must be 150 characters or fewer"),
}

profile_mistakes = st.one_of(
    *(
        st.one_of(blank, st.just(OMIT)).map(lambda v, f=f: Mistake(f, {f: v}, NAME_MESSAGES[f][0]))
        for f in NAME_MESSAGES
    ),
    *(
        too_long_name(150).map(lambda v, f=f: Mistake(f, {f: v}, NAME_MESSAGES[f][1]))
        for f in NAME_MESSAGES
    ),
    st.sampled_from(["", "0", "abc", "-1", OMIT]).map(
        lambda v: Mistake(
            "local_authority", {"local_authority": v}, "Choose the council area you live in"
        )
    ),
    st.sampled_from(["", "mother", OMIT]).map(
        lambda v: Mistake(
            "relationship", {"relationship": v}, "Choose how you are related to the child"
        )
    ),
    st.sampled_from(["", "fostering", OMIT]).map(
        lambda v: Mistake(
            "arrangement",
            {"arrangement": v},
            "Choose the legal arrangement, or 'Other, or not sure'",
        )
    ),
    st.sampled_from(["", "daily", OMIT]).map(
        lambda v: Mistake(
            "digest_frequency",
            {"digest_frequency": v},
            "Choose how often you would like an email",
        )
    ),
    st.sampled_from([["0"], ["abc"], ["99999999"]]).map(
        lambda v: Mistake("topics", {"topics": v}, "Choose topics from the list")
    ),
)


def saved(profile: CarerProfile) -> dict:
    fields = [
        "user__first_name", "user__last_name", "local_authority", "relationship",
        "arrangement", "digest_frequency", "reminders_enabled", "onboarded_at",
    ]  # fmt: skip
    values = CarerProfile.objects.values(*fields).get(pk=profile.pk)
    values["topics"] = set(
        CarerProfile.topics.through.objects.filter(carerprofile=profile).values_list(
            "topic", flat=True
        )
    )
    return values


def assert_saved(profile: CarerProfile, expected: dict, before: dict, topics_before: int) -> None:
    values = saved(profile)
    assert values.pop("onboarded_at") is not None  # onboarding is finished
    assert values == expected
    added = len(expected["topics"]) - topics_before
    assert changed_counts(before) == ({TOPICS_TABLE: added} if added else {})


@PROPERTY
@given(data=st.data())
def test_valid_onboarding_is_saved_as_typed_and_shown(
    data, onboarding, onboarding_client, authorities, topics
):
    payload, expected = data.draw(profile_forms(authorities, topics), label="form and profile")
    with undone():
        before = row_counts()
        accepted(onboarding_client.post(reverse("carers:onboarding"), payload))
        assert_saved(onboarding, expected, before, topics_before=0)
        chosen = [topic.name for topic in topics if topic.pk in expected["topics"]]
        name = LocalAuthority.objects.get(pk=expected["local_authority"]).name
        first, last = expected["user__first_name"], expected["user__last_name"]
        assert_shown(onboarding_client, reverse("carers:profile"), first, last, name, *chosen)


@PROPERTY
@given(data=st.data())
def test_invalid_onboarding_saves_nothing_and_says_why_beside_the_field(
    data, onboarding, onboarding_client, authorities, topics
):
    payload, _expected = data.draw(profile_forms(authorities, topics), label="valid form")
    mistake = data.draw(profile_mistakes, label="mistake")
    with undone():
        before, profile = row_counts(), saved(onboarding)
        response = onboarding_client.post(reverse("carers:onboarding"), mistake.applied_to(payload))
        assert_refused(response, before, mistake.field, mistake.message)
        assert saved(onboarding) == profile  # still not onboarded
        assert profile["onboarded_at"] is None


@PROPERTY
@given(data=st.data())
def test_a_valid_change_to_a_profile_is_saved_as_typed(
    data, onboarded, onboarded_client, authorities, topics
):
    payload, expected = data.draw(profile_forms(authorities, topics), label="form and profile")
    with undone():
        before = row_counts()
        accepted(onboarded_client.post(reverse("carers:profile_edit"), payload))
        assert_saved(onboarded, expected, before, topics_before=1)


@PROPERTY
@given(data=st.data())
def test_an_invalid_change_to_a_profile_leaves_it_as_it_was(
    data, onboarded, onboarded_client, authorities, topics
):
    payload, _expected = data.draw(profile_forms(authorities, topics), label="valid form")
    mistake = data.draw(profile_mistakes, label="mistake")
    with undone():
        before, profile = row_counts(), saved(onboarded)
        response = onboarded_client.post(
            reverse("carers:profile_edit"), mistake.applied_to(payload)
        )
        assert_refused(response, before, mistake.field, mistake.message)
        assert saved(onboarded) == profile
