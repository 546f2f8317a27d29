""" "Advice for you" on the dashboard ranks by the carer's topics, council, arrangement and
children's key stages, so following a topic brings its guides first."""

import pytest
from django.urls import reverse

from resources.models import Topic
from tests.factories import ChildFactory, ResourceFactory, local_authority

pytestmark = pytest.mark.django_db


def _for_you(client) -> list[str]:
    return [r.title for r in client.get(reverse("portal:dashboard")).context["for_you"]]


def test_a_followed_topic_brings_its_guide_first(carer_client, carer):
    money = Topic.objects.get(slug="money-and-allowances")
    carer.carer_profile.topics.set([money])
    # Many guides fit her arrangement; only one is about what she follows.
    for n in range(8):
        ResourceFactory(title=f"Special guardianship guide {n}", arrangements=["sgo"])
    ResourceFactory(title="Money and allowances for kinship carers", topics=[money])
    assert _for_you(carer_client)[0] == "Money and allowances for kinship carers"


def test_her_councils_own_support_and_her_childs_key_stage_count(carer_client, carer):
    profile = carer.carer_profile
    ChildFactory(carer=profile, school_year="8", year_of_birth=None)  # key stage 3
    ResourceFactory(title="Starting secondary school", stages=["ks3"])
    ResourceFactory(title="Starting primary school", stages=["ks1"])
    ResourceFactory(title="Our local support group", local_authority=profile.local_authority)
    ResourceFactory(title="Another council's group", local_authority=local_authority("E10000016"))
    titles = _for_you(carer_client)
    assert titles[:2] == ["Our local support group", "Starting secondary school"]
    assert "Starting primary school" not in titles and "Another council's group" not in titles


def test_nothing_that_fits_nothing(carer_client):
    ResourceFactory(title="For adopters", arrangements=["adoption"])
    assert _for_you(carer_client) == []
