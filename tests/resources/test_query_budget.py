"""Library pages run a fixed number of queries whatever the number of resources, topics and saves."""

import pytest
from django.urls import reverse
from django.utils import translation

from resources.models import SavedResource
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _library(size: int, user=None):
    topics = [TopicFactory(slug=f"t{i}") for i in range(5)]
    resources = ResourceFactory.create_batch(size, body="advice about school", topics=topics[:3])
    if user is not None:
        SavedResource.objects.bulk_create([SavedResource(user=user, resource=r) for r in resources])
    return resources


def _list_budget(params) -> int:
    """Visitor list: count (1), page of resources with authorities joined (1), their topics (1),
    topic choices for the filter (1). A topic filter looks the topic up (1). A search adds the
    synonyms (1), asking the full-text index how many resources have every word, to choose
    between those and any word (1), the best bets (1), counting the search (1), and the
    matching sections of councils' local offers (1) and support groups (1). Typo correction
    costs more, and only when nothing matched."""
    budget = 4
    if "topic" in params:
        budget += 1
    if "q" in params:
        budget += 6
    return budget


@pytest.mark.parametrize("language", ["en-gb", "cy"])  # Welsh searches both languages
@pytest.mark.parametrize("size", [20, 500])
@pytest.mark.parametrize(
    "params", [{}, {"q": "school"}, {"q": "school", "topic": "t1", "kind": "guide"}]
)
def test_library_list(client, django_assert_num_queries, size, params, language):
    _library(size)
    with translation.override(language):
        url = reverse("resources:list")
    with django_assert_num_queries(_list_budget(params)):
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(response.context["resources"]) == 20


# Signed-in carer detail: session, user (2), resource with authority (1), its topics (1),
# staff membership for role checks (1), saved? (1), related (1), nav role checks reuse the membership.
@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("size", [20, 500])
def test_detail(carer_client, carer, django_assert_num_queries, size, language):
    resources = _library(size, user=carer)
    with translation.override(language):
        url = reverse("resources:detail", args=[resources[0].slug])
    with django_assert_num_queries(7):
        response = carer_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [20, 500])
def test_dashboard_with_saved_resources(carer_client, carer, django_assert_num_queries, size):
    _library(size, user=carer)
    carer.carer_profile.topics.set(TopicFactory._meta.model.objects.all())
    # 7 for a carer page without children (tests/carers/test_query_budget.py, less the consent
    # events) + "for you" and its topics (2) + saved resources and their topics (2) + bookings (1)
    # + advice requests (1) + the carer's council's published local offer (1: none here).
    with django_assert_num_queries(14):
        response = carer_client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
