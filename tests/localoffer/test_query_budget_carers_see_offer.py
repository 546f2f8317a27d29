"""A council's offer on the dashboard, in the help checker and in site search costs the same
number of queries whatever the number of its sections, councils and groups."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from localoffer.models import SectionKind
from resources.models import Entitlement
from tests.factories import ResourceFactory, local_authority
from tests.localoffer.factories import (
    LocalOfferFactory,
    SectionFactory,
    SupportGroupFactory,
)

pytestmark = pytest.mark.django_db

LEEDS = "E08000035"
COUNCILS = [LEEDS, "E10000016", "E06000001", "E09000001", "W06000015"]


def _offers(councils: int, sections: int, groups: int) -> None:
    """Offers whose every section, and groups whose every description, say "kinship"."""
    for gss in COUNCILS[:councils]:
        offer = LocalOfferFactory(local_authority=local_authority(gss))
        # The contacts always, then the statutory sections from the first.
        kinds = [SectionKind.CONTACTS, *SectionKind.values[: sections - 1]]
        for kind in kinds:
            SectionFactory(offer=offer, kind=kind, body=f"Kinship {kind}.")
        SupportGroupFactory.create_batch(
            groups, local_authority=offer.local_authority, description="For kinship carers."
        )


# A carer without children: 12 (tests/carers/test_query_budget.py counts 13 with children,
# whose consent events take one), of which her council's published offer is one; its sections
# are one more.
@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("sections", [2, 9])
def test_dashboard_with_the_councils_offer(
    carer_client, django_assert_num_queries, sections, language
):
    _offers(2, sections, 3)
    with translation.override(language):
        url = reverse("portal:dashboard")
    with django_assert_num_queries(13):
        response = carer_client.get(url)
    body = response.content.decode()
    assert body.count("/local-offer/leeds/#") == sections


def _checker_answers() -> dict:
    return {
        "arrangement": "sgo",
        "looked_after": "yes",
        "stage": "ks2",
        "local_authority": local_authority(LEEDS).pk,
    }


def _link_guides(count: int) -> None:
    """`count` guides on each entitlement, so the results list resources."""
    guides = ResourceFactory.create_batch(count)
    for entitlement in Entitlement.objects.all():
        entitlement.resources.add(*guides)


# The answers' council (1), the entitlements whose rules fit (1), their guides (1) and the
# guides' topics (1), the council's published offer (1) and its sections (1). A signed-in
# carer adds her session and user (2) and her staff membership for the menu's role checks (1).
@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(("sections", "guides"), [(2, 1), (9, 6)])
def test_help_checker_with_the_councils_offer(
    client, carer, django_assert_num_queries, signed_in, sections, guides
):
    _offers(2, sections, 1)
    _link_guides(guides)
    answers = _checker_answers()
    if signed_in:
        client.force_login(carer)
    with django_assert_num_queries(9 if signed_in else 6):
        response = client.get(reverse("resources:help_checker"), answers)
    body = response.content.decode()
    assert "Your council's kinship local offer: Leeds" in body
    assert body.count("/local-offer/leeds/#") == sections


# As tests/resources/test_query_budget.py counts a search with no local offers: the
# sections (1) and groups (1) that match are one query each, however many there are.
@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize(("councils", "sections", "groups"), [(1, 2, 1), (5, 9, 8)])
def test_search_with_matching_offers_and_groups(
    client, django_assert_num_queries, councils, sections, groups, language
):
    _offers(councils, sections, groups)
    ResourceFactory.create_batch(3, body="advice about kinship")
    with translation.override(language):
        url = reverse("resources:list")
    with django_assert_num_queries(10):
        response = client.get(url, {"q": "kinship"})
    block = response.content.decode().split('id="from-local-offers"')[1]
    assert block.count("/local-offer/groups/") == min(councils * groups, 5)
    assert len(re.findall(r'href="[^"]*/local-offer/[^/"]+/#', block)) == min(
        councils * sections, 5
    )
