"""A resource page's "Related" list is ranked once per resource and library generation,
not on every page: later pages fetch the kept ids. It is always the ranking afresh."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import generations
from resources import selectors
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    shared, other = TopicFactory(slug="shared"), TopicFactory(slug="other")
    resource = ResourceFactory(title="Start here", topics=[shared, other])
    now = timezone.now()
    for n in range(6):
        ResourceFactory(
            title=f"One topic {n}",
            topics=[shared],
            published_at=now - datetime.timedelta(days=n + 1),
        )
    ResourceFactory(title="Both topics", topics=[shared, other])
    ResourceFactory(title="Staff only", topics=[shared, other], staff_only=True)
    return resource


def _related(client, resource) -> list[str]:
    page = client.get(reverse("resources:detail", args=[resource.slug]))
    return [r.title for r in page.context["related"]]


def test_the_kept_list_is_the_ranking_afresh(client, library):
    fresh = [r.title for r in selectors.ranked_related(resource=library, user=AnonymousUser())[:4]]
    assert fresh[0] == "Both topics" and "Staff only" not in fresh
    assert _related(client, library) == fresh
    assert _related(client, library) == fresh  # from the kept ids


def test_a_second_page_does_not_rank_the_library_again(client, library):
    _related(client, library)
    with CaptureQueriesContext(connection) as queries:
        _related(client, library)
    assert not any("COUNT" in q["sql"].upper() and "topic" in q["sql"] for q in queries)


def test_a_new_resource_shows_in_related_once_the_library_changes(
    client, library, django_capture_on_commit_callbacks
):
    _related(client, library)
    with django_capture_on_commit_callbacks(execute=True):
        ResourceFactory(title="New and on both topics", topics=list(library.topics.all()))
    assert "New and on both topics" in _related(client, library)


def test_staff_have_a_list_of_their_own(client, officer, library):
    assert "Staff only" not in _related(client, library)
    staff = Client()
    staff.force_login(officer)
    assert "Staff only" in _related(staff, library)
    assert "Staff only" not in _related(client, library)


def test_a_kept_list_never_shows_a_resource_taken_down(client, library):
    _related(client, library)
    library_before = generations.current("resources")
    # Unpublished without any signal (a queryset update): the kept ids are re-checked.
    type(library).objects.filter(title="Both topics").update(status="archived")
    assert generations.current("resources") == library_before
    assert "Both topics" not in _related(client, library)
