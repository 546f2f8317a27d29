""" "Advice for you" is ranked once per profile shape and library, not on every dashboard:
the ranked resources are kept in the cache under the shape and the library's and councils'
generations, and later dashboards read them from there with no query. The list is the same
as ranking afresh."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carers import services as carer_services
from core import generations
from resources import selectors
from resources.models import Topic
from tests.factories import ChildFactory, ResourceFactory, local_authority

pytestmark = pytest.mark.django_db

LEEDS, KENT = "E08000035", "E10000016"


def _titles(resources) -> list[str]:
    return [r.title for r in resources]


def _for_you(client) -> list[str]:
    return _titles(client.get(reverse("portal:dashboard")).context["for_you"])


def _mixed_library() -> dict[str, Topic]:
    """Resources that fit in every way and in none, with ties on points and on publish time,
    and ones a carer must never be given (drafts, scheduled, archived, staff-only)."""
    money, school, contact = (
        Topic.objects.get(slug=slug)
        for slug in ("money-and-allowances", "education-and-school", "contact-with-family")
    )
    now = timezone.now()
    same_time = now - datetime.timedelta(days=3)
    specs = [
        {"title": "Money, local, SGO", "topics": [money], "arrangements": ["sgo"], "la": LEEDS},
        {"title": "Money and school", "topics": [money, school]},
        {"title": "Money only", "topics": [money]},
        {"title": "School only A", "topics": [school], "published_at": same_time},
        {"title": "School only B", "topics": [school], "published_at": same_time},
        {"title": "Leeds group", "la": LEEDS},
        {"title": "Kent group", "la": KENT},
        {"title": "SGO guide", "arrangements": ["sgo"]},
        {"title": "Adoption guide", "arrangements": ["adoption"]},
        {"title": "Key stage 3", "stages": ["ks3"]},
        {"title": "Key stage 1", "stages": ["ks1"]},
        {
            "title": "Contact, SGO, ks3",
            "topics": [contact],
            "arrangements": ["sgo"],
            "stages": ["ks3"],
        },
        {"title": "Fits nothing"},
        {"title": "Draft money", "topics": [money], "status": "draft", "published_at": None},
        {
            "title": "Scheduled money",
            "topics": [money],
            "published_at": now + datetime.timedelta(hours=1),
        },
        {"title": "Archived money", "topics": [money], "status": "archived"},
        {"title": "Staff notes on money", "topics": [money], "staff_only": True},
    ]
    for n in range(12):  # more than the dashboard shows, with ties at 2 points
        specs.append({"title": f"SGO extra {n:02d}", "arrangements": ["sgo"]})
    for spec in specs:
        la = spec.pop("la", None)
        ResourceFactory(local_authority=local_authority(la) if la else None, **spec)
    return {"money": money, "school": school, "contact": contact}


@pytest.mark.parametrize("limit", [5, 12, 25])
def test_the_kept_list_is_the_ranking_afresh(carer, limit):
    topics = _mixed_library()
    profile = carer.carer_profile
    ChildFactory(carer=profile, school_year="8", year_of_birth=None)  # key stage 3
    shapes = [
        ([topics["money"], topics["school"]], "sgo", LEEDS),
        ([topics["contact"]], "adoption", KENT),
        ([], "sgo", KENT),
        ([topics["school"]], "informal", LEEDS),  # no resource is written for this one
    ]
    for chosen, arrangement, council in shapes:
        profile.topics.set(chosen)
        profile.arrangement = arrangement
        profile.local_authority = local_authority(council)
        profile.save()
        children = list(profile.children.all())
        shape = selectors.ForYouShape.of(profile, children)
        afresh = _titles(selectors.ranked_for_you(shape)[:limit])
        assert afresh  # every shape here fits something
        assert "Staff notes on money" not in afresh and "Scheduled money" not in afresh

        kwargs = {"user": carer, "profile": profile, "children": children, "limit": limit}
        assert _titles(selectors.resources_for_you(**kwargs)) == afresh  # ranked, and kept
        with mock.patch.object(selectors, "ranked_for_you") as ranking:
            # From the kept ids, in the same order.
            assert _titles(selectors.resources_for_you(**kwargs)) == afresh
        ranking.assert_not_called()


def test_a_second_dashboard_does_not_rank_the_library_again(carer_client, carer):
    money = Topic.objects.get(slug="money-and-allowances")
    carer.carer_profile.topics.set([money])
    for n in range(8):
        ResourceFactory(title=f"Money guide {n}", topics=[money])
    with CaptureQueriesContext(connection) as first:
        titles = _for_you(carer_client)
    with (
        mock.patch.object(selectors, "ranked_for_you", wraps=selectors.ranked_for_you) as rank,
        CaptureQueriesContext(connection) as second,
    ):
        assert _for_you(carer_client) == titles
    assert len(titles) == 5 and rank.call_count == 0
    # The ranking's points are nowhere in the second request's SQL: the kept list (the
    # ranking and its topics, 2 queries) and the council's offer (1) come from the cache.
    assert any('"fit"' in q["sql"] for q in first.captured_queries)
    assert not any('"fit"' in q["sql"] for q in second.captured_queries)
    assert len(second.captured_queries) == len(first.captured_queries) - 3


def test_a_new_fitting_resource_shows_on_the_next_dashboard(carer_client, carer):
    money = Topic.objects.get(slug="money-and-allowances")
    carer.carer_profile.topics.set([money])
    for n in range(6):
        ResourceFactory(title=f"Money guide {n}", topics=[money])
    assert "Money for grandparents in Leeds" not in _for_you(carer_client)
    ResourceFactory(
        title="Money for grandparents in Leeds",
        topics=[money],
        local_authority=carer.carer_profile.local_authority,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    generations.bump_now("resources")  # what publishing does once it commits
    assert _for_you(carer_client)[0] == "Money for grandparents in Leeds"


def test_a_scheduled_resource_shows_once_its_time_comes(carer_client, carer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    money = Topic.objects.get(slug="money-and-allowances")
    carer.carer_profile.topics.set([money])
    ResourceFactory(title="Money guide", topics=[money])
    ResourceFactory(
        title="Winter fuel help",
        topics=[money],
        local_authority=carer.carer_profile.local_authority,
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )
    assert _for_you(carer_client) == ["Money guide"]
    time_machine.move_to(datetime.datetime(2026, 11, 2, 11, 1, tzinfo=datetime.UTC), tick=False)
    assert _for_you(carer_client) == ["Winter fuel help", "Money guide"]


def test_changing_her_profile_changes_the_list(carer_client, carer):
    money = Topic.objects.get(slug="money-and-allowances")
    school = Topic.objects.get(slug="education-and-school")
    ResourceFactory(title="Money guide", topics=[money])
    ResourceFactory(title="School guide", topics=[school])
    ResourceFactory(title="Adoption support", arrangements=["adoption"])
    profile = carer.carer_profile

    def update(topics, arrangement):
        carer_services.carer_profile_update(
            profile=profile,
            first_name="Margaret",
            last_name="Jones",
            local_authority=profile.local_authority,
            relationship=profile.relationship,
            arrangement=arrangement,
            topics=topics,
            digest_frequency=profile.digest_frequency,
        )

    update([money], "sgo")
    assert _for_you(carer_client) == ["Money guide"]
    update([school], "sgo")
    assert _for_you(carer_client) == ["School guide"]
    update([school], "adoption")
    assert set(_for_you(carer_client)) == {"School guide", "Adoption support"}
    ChildFactory(carer=profile, school_year="8", year_of_birth=None)
    ResourceFactory(title="Starting secondary school", stages=["ks3"])
    generations.bump_now("resources")
    assert "Starting secondary school" in _for_you(carer_client)


@pytest.mark.parametrize("size", [20, 300])
def test_a_kept_list_costs_the_same_queries_at_any_library_size(
    carer_client, carer, django_assert_num_queries, size
):
    """10: a carer page without children (7), saved resources (1: none), bookings (1) and
    advice requests (1); "for you" and the council's local offer (none here) come from the
    cache with no query."""
    money = Topic.objects.get(slug="money-and-allowances")
    carer.carer_profile.topics.set([money])
    ResourceFactory.create_batch(size, topics=[money], arrangements=["sgo"])
    carer_client.get(reverse("portal:dashboard"))
    with django_assert_num_queries(10):
        response = carer_client.get(reverse("portal:dashboard"))
    assert len(response.context["for_you"]) == 5
    assert all(len(r.topics.all()) == 1 for r in response.context["for_you"])  # kept too


def test_a_council_renamed_shows_in_the_kept_list(
    carer_client, carer, django_capture_on_commit_callbacks
):
    """The kept resources carry their council's name: renaming it makes a new list."""
    money = Topic.objects.get(slug="money-and-allowances")
    carer.carer_profile.topics.set([money])
    council = carer.carer_profile.local_authority
    ResourceFactory(title="Money in Leeds", topics=[money], local_authority=council)
    page = carer_client.get(reverse("portal:dashboard"))
    assert page.context["for_you"][0].local_authority.name == council.name
    with django_capture_on_commit_callbacks(execute=True):
        council.name = "Leeds City Council (renamed)"
        council.save()
    page = carer_client.get(reverse("portal:dashboard"))
    assert page.context["for_you"][0].local_authority.name == "Leeds City Council (renamed)"
