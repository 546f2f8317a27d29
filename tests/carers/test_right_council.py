"""Onboarding asks for the council that runs children's services, not the one that bills
council tax: in two-tier areas such as Kent they differ."""

import pytest
from django.urls import reverse

from tests.factories import CarerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "person"),
    [
        ("carers:onboarding", UserFactory),  # not onboarded yet
        ("carers:profile_edit", lambda: CarerProfileFactory().user),
    ],
)
def test_council_question_names_childrens_services_not_council_tax(client, page, person):
    client.force_login(person())
    body = client.get(reverse(page)).content.decode()
    assert "services where you live" in body
    assert "responsible for children" in body
    assert "not the district council that sends your council tax bill" in body
    assert "Kent County Council, not Maidstone Borough Council" in body
    assert "In Wales, and in unitary, metropolitan and London borough areas" in body
    assert "council you pay council tax to" not in body


def test_welsh_onboarding_asks_for_the_childrens_services_council(client):
    client.force_login(UserFactory())
    body = client.get("/cy" + reverse("carers:onboarding")).content.decode()
    assert "council you pay council tax to" not in body
