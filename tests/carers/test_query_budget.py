"""Carer pages run a fixed number of queries, however many children and topics a carer has."""

import pytest
from django.urls import reverse

from resources.models import Topic
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

# Session and user (2), staff membership for the role check (1), verified email (1),
# profile with its authority and Virtual School (1), topics (1), children (1) and their
# consent events (1). The dashboard adds "for you" and saved resources (1 each; their topics
# are fetched only when there are some: see tests/resources/test_query_budget.py) and the
# carer's bookings with their events (1), their questions to the Virtual School (1) and their
# council's published local offer (1: none here; an offer's sections are one more, see
# tests/localoffer/test_carers_see_offer.py).
# The same at 1 and 12 children: a per-row query would fail this.
BUDGETS = {"portal:dashboard": 13, "carers:profile": 8}


def _grow(carer, children: int) -> None:
    profile = carer.carer_profile
    ChildFactory.create_batch(children, carer=profile)
    profile.topics.set(Topic.objects.all()[: min(children, Topic.objects.count())])


@pytest.mark.parametrize("name", list(BUDGETS))
@pytest.mark.parametrize("children", [1, 12])
def test_carer_pages_have_a_fixed_query_count(
    carer_client, carer, django_assert_num_queries, name, children
):
    _grow(carer, children)
    with django_assert_num_queries(BUDGETS[name]):
        response = carer_client.get(reverse(name))
    assert response.status_code == 200
