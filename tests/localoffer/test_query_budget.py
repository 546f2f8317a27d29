"""The local offer pages run a fixed number of queries whatever the number of sections,
groups and councils."""

import pytest
from django.urls import reverse
from django.utils import translation

from localoffer.models import SectionKind
from tests.factories import EventFactory, local_authority
from tests.localoffer.factories import LocalOfferFactory, SectionFactory, SupportGroupFactory

pytestmark = pytest.mark.django_db

COUNCILS = ["E08000035", "E10000016", "E06000001", "E09000001", "W06000015"]


def _offers(councils: int, sections: int, groups: int, events_each: int):
    offers = []
    for gss in COUNCILS[:councils]:
        offer = LocalOfferFactory(local_authority=local_authority(gss))
        for kind in SectionKind.values[:sections]:
            SectionFactory(offer=offer, kind=kind)
        for _ in range(groups):
            group = SupportGroupFactory(
                local_authority=offer.local_authority, themes=["grandparents", "male_carers"]
            )
            group.events.set([EventFactory() for _ in range(events_each)])
        offers.append(offer)
    return offers


# Visitor: the offer with its council (1), its sections (1), the council's groups (1) and
# their upcoming events (1).
@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize(("sections", "groups", "events"), [(2, 1, 1), (9, 12, 3)])
def test_offer_page(client, django_assert_num_queries, sections, groups, events, language):
    [offer] = _offers(1, sections, groups, events)
    with translation.override(language):
        url = offer.get_absolute_url()
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="app-result"') == groups


# Visitor: the published offers with their councils (1).
@pytest.mark.parametrize("councils", [1, 5])
def test_choose_page(client, django_assert_num_queries, councils):
    _offers(councils, 1, 0, 0)
    with django_assert_num_queries(1):
        response = client.get(reverse("localoffer:choose"))
    assert (
        response.content.decode().count("/local-offer/")
        - response.content.decode().count("/local-offer/groups/")
        >= councils
    )


# Visitor: count (1), the page of groups with councils (1), their upcoming events (1), the
# councils for the filter's choices (1). Filters narrow the same two queries.
@pytest.mark.parametrize("filtered", [False, True])
@pytest.mark.parametrize(("councils", "groups", "events"), [(1, 2, 1), (5, 4, 3)])
def test_directory(client, django_assert_num_queries, councils, groups, events, filtered):
    _offers(councils, 0, groups, events)
    query = {"format": "in_person", "theme": "grandparents"} if filtered else {}
    with django_assert_num_queries(4):
        response = client.get(reverse("localoffer:groups"), query)
    assert response.status_code == 200
    assert response.content.decode().count('class="app-result"') == min(councils * groups, 20)
