"""The public pages: choose a council, read its offer, find a support group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from localoffer.models import LocalOffer
from tests.factories import CarerProfileFactory, EventFactory, local_authority
from tests.localoffer.factories import (
    KENT,
    LEEDS,
    LocalOfferFactory,
    SectionFactory,
    SupportGroupFactory,
    full_offer,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_choose_lists_only_published_offers(client):
    full_offer(LEEDS)
    LocalOfferFactory(local_authority=local_authority(KENT), status=LocalOffer.Status.DRAFT)
    body = _text(client.get(reverse("localoffer:choose")))
    assert 'href="/local-offer/leeds/"' in body
    assert "/local-offer/kent/" not in body


def test_a_carer_sees_her_own_council_first(client):
    full_offer(LEEDS)
    full_offer(KENT)
    carer = CarerProfileFactory(local_authority=local_authority(KENT)).user
    client.force_login(carer)
    body = _text(client.get(reverse("localoffer:choose")))
    own = body.index('id="own-council"')
    assert body.index('href="/local-offer/kent/"') > own
    assert body.index('href="/local-offer/kent/"') < body.index('id="councils"')
    assert "You told us you live in Kent." in body


def test_a_carer_whose_council_has_no_offer_is_told(client):
    full_offer(LEEDS)
    client.force_login(CarerProfileFactory(local_authority=local_authority(KENT)).user)
    body = _text(client.get(reverse("localoffer:choose")))
    assert "Kent has not published its kinship local offer on this portal yet." in body


def test_offer_page_shows_sections_in_order_with_contents_and_dates(client):
    offer = full_offer(
        LEEDS, last_reviewed_on=datetime.date(2026, 9, 1), review_due_on=datetime.date(2099, 3, 1)
    )
    body = _text(client.get(offer.get_absolute_url()))
    assert '<h1 class="govuk-heading-l">Leeds</h1>' in body
    headings = [
        "Support groups",
        "Financial support",
        "Help with accommodation",
        "Education",
        "Family time",
        "Legal support",
        "Therapeutic support",
        "How to ask for an assessment of support",
        "Contacts",
    ]
    positions = [body.index(f'">{heading}</h2>') for heading in headings]
    assert positions == sorted(positions)
    assert 'href="#financial"' in body and 'id="financial"' in body
    assert "Last reviewed" in body and "1 September 2026" in body
    assert "Review due" in body and "1 March 2099" in body
    assert "overdue for review" not in body


def test_overdue_offer_says_so(client):
    offer = full_offer(LEEDS, review_due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "This local offer is overdue for review." in _text(client.get(offer.get_absolute_url()))


def test_draft_offer_is_not_found(client):
    offer = LocalOfferFactory(status=LocalOffer.Status.DRAFT)
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.get("/local-offer/nowhere/").status_code == 404


def test_section_link_and_sanitised_text(client):
    offer = LocalOfferFactory()
    SectionFactory(
        offer=offer,
        body="Money **help** <script>alert('x')</script>",
        link_url="https://www.example.org/allowances.pdf",
        link_text="Allowances policy (PDF)",
    )
    body = _text(client.get(offer.get_absolute_url()))
    assert "<strong>help</strong>" in body
    assert "alert('x')" not in body
    assert '<a class="govuk-link" href="https://www.example.org/allowances.pdf"' in body
    assert "Allowances policy (PDF)" in body


def test_welsh_page_shows_welsh_text_and_marks_english(client):
    offer = LocalOfferFactory(intro="English intro", intro_cy="Cyflwyniad")
    SectionFactory(offer=offer, kind="legal", body="Legal help", body_cy="Cymorth cyfreithiol")
    SectionFactory(offer=offer, kind="education", body="School help", body_cy="")
    body = _text(client.get("/cy" + offer.get_absolute_url()))
    assert 'lang="cy"' in body
    assert "Cyflwyniad" in body and "English intro" not in body
    assert "Cymorth cyfreithiol" in body
    assert '<div class="app-prose" lang="en-GB"><p>School help</p>' in body


def test_offer_page_lists_its_councils_published_groups(client):
    offer = LocalOfferFactory()
    SupportGroupFactory(
        name="Leeds grandparents' coffee morning",
        week_of_month="second",
        weekday=1,
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
    )
    SupportGroupFactory(name="Hidden draft group", published=False)
    SupportGroupFactory(name="Kent dads", local_authority=local_authority(KENT))
    body = _text(client.get(offer.get_absolute_url()))
    assert "Leeds grandparents&#x27; coffee morning" in body
    assert "Second Tuesday of each month, 10am to midday" in body
    assert "Hidden draft group" not in body
    assert "Kent dads" not in body


def _groups(client, **query):
    return _text(client.get(reverse("localoffer:groups"), query))


def test_directory_filters_by_online_and_grandparents(client):
    SupportGroupFactory(
        name="Online grandparents", format="online", themes=["grandparents"], local_authority=None
    )
    SupportGroupFactory(name="Hybrid grandparents", format="both", themes=["grandparents"])
    SupportGroupFactory(name="Grandparents in a hall", format="in_person", themes=["grandparents"])
    SupportGroupFactory(name="Online dads", format="online", themes=["male_carers"])
    body = _groups(client, format="online", theme="grandparents")
    assert "2 support groups" in body
    assert "Online grandparents" in body and "Hybrid grandparents" in body
    assert "Grandparents in a hall" not in body and "Online dads" not in body
    assert 'value="online" checked' in body


def test_directory_filters_by_council_with_national_groups(client):
    SupportGroupFactory(name="Leeds group")
    SupportGroupFactory(name="Kent group", local_authority=local_authority(KENT))
    SupportGroupFactory(name="National online group", local_authority=None, format="online")
    body = _groups(client, council=local_authority(KENT).pk)
    assert "Kent group" in body and "National online group" in body
    assert "Leeds group" not in body
    assert "2 support groups" in body


def test_directory_finds_groups_by_the_words_a_carer_types(client):
    SupportGroupFactory(name="Dads' breakfast", run_by="Kinship", description="Bacon rolls.")
    SupportGroupFactory(name="Grandparents' cafe", venue="Morley Town Hall")
    SupportGroupFactory(name="Kent carers", local_authority=local_authority(KENT))
    SupportGroupFactory(name="Hidden dads", published=False)
    body = _groups(client, q="dads")
    assert "1 support group<" in body and "Dads&#x27; breakfast" in body
    assert "Hidden dads" not in body
    body = _groups(client, q="morley cafe")  # every word, anywhere in the group
    assert "Grandparents&#x27; cafe" in body and "1 support group<" in body
    assert "Kent carers" in _groups(client, q="kent")  # the council's name counts too
    assert "0 support groups" in _groups(client, q="morley dads")


def test_directory_shows_one_group_in_the_singular_and_hides_unpublished(client):
    SupportGroupFactory(name="Only group")
    SupportGroupFactory(name="Not yet", published=False)
    body = _groups(client)
    assert "1 support group<" in body
    assert "Not yet" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"format": "underwater"}, "Choose online or in person from the list"),
        ({"theme": "<script>"}, "Choose who the group is for from the list"),
        ({"council": "999999"}, "Choose a council from the list"),
        ({"council": "x"}, "Choose a council from the list"),
        ({"q": "dads " * 30}, "Search words must be 100 characters or fewer"),
    ],
)
def test_bad_filter_values_get_a_message_not_an_error(client, query, message):
    body = _groups(client, **query)
    assert "There is a problem" in body
    assert message in body


def test_group_shows_its_upcoming_portal_events(client):
    group = SupportGroupFactory(name="Kinship cafe")
    event = EventFactory(title="Kinship cafe: December meeting")
    group.events.add(event)
    body = _groups(client)
    assert "Kinship cafe: December meeting" in body
    assert event.get_absolute_url() in body
