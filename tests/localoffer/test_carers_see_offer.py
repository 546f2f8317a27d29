"""Carers see their own council's offer: on the dashboard, in the help checker's results, and
offers and groups in site search (issue 18)."""

import pytest
from django.urls import reverse
from django.utils import translation

from localoffer.models import LocalOffer, SectionKind
from tests.factories import CarerProfileFactory, local_authority
from tests.localoffer.factories import (
    KENT,
    LEEDS,
    LocalOfferFactory,
    SectionFactory,
    SupportGroupFactory,
    full_offer,
)

pytestmark = pytest.mark.django_db

SEARCH_THE_WEBSITE = "Search your council's website for 'kinship local offer'"
CARDIFF = "W06000015"


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _leeds_offer(**kwargs) -> LocalOffer:
    """Leeds' published offer: every section, the contacts with a telephone number."""
    offer = full_offer(LEEDS, **kwargs)
    offer.sections.filter(kind=SectionKind.CONTACTS).delete()
    SectionFactory(
        offer=offer,
        kind=SectionKind.CONTACTS,
        body="**Kinship support team**: 0113 496 0412",
        body_cy="**Tîm cymorth**: 0113 496 0412",
        link_url="https://www.example.org/leeds/kinship",
        link_text="Leeds kinship support",
    )
    return offer


def _kent_offer() -> LocalOffer:
    offer = LocalOfferFactory(local_authority=local_authority(KENT))
    SectionFactory(offer=offer, kind=SectionKind.CONTACTS, body="Kent kinship team: 01632 960 418")
    return offer


# Dashboard ----------------------------------------------------------------------------------


def test_dashboard_shows_the_carers_own_councils_offer(carer_client):
    offer = _leeds_offer()
    _kent_offer()
    body = _text(carer_client.get(reverse("portal:dashboard")))
    assert "Your council's kinship local offer" in body
    assert "The support Leeds gives kinship carers and the children they bring up." in body
    assert offer.intro in body  # a short introduction is shown
    for kind, label in SectionKind.choices:
        anchor = kind.replace("_", "-")
        assert f'href="/local-offer/leeds/#{anchor}">{label}</a>' in body
    # The contacts, ready to use, with their link.
    assert "<strong>Kinship support team</strong>: 0113 496 0412" in body
    assert 'href="https://www.example.org/leeds/kinship"' in body
    assert 'href="/local-offer/leeds/">Read the Leeds kinship local offer</a>' in body
    leeds = local_authority(LEEDS).pk
    assert f'href="/local-offer/groups/?council={leeds}">Find support groups near you</a>' in body
    # Not another council's.
    assert "/local-offer/kent/" not in body
    assert "01632 960 418" not in body


def test_an_offer_published_edited_or_withdrawn_shows_on_the_next_dashboard(
    carer_client, django_capture_on_commit_callbacks
):
    """Each council's offer is kept in the cache for all its carers: any change to it makes
    a new copy once the change commits (core.generations "localoffer")."""
    url = reverse("portal:dashboard")
    not_yet = "Leeds has not published its kinship local offer on this portal yet"
    assert not_yet in _text(carer_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        offer = _leeds_offer()
    assert "0113 496 0412" in _text(carer_client.get(url))
    assert "0113 496 0412" in _text(carer_client.get(url))  # from the kept copy
    with django_capture_on_commit_callbacks(execute=True):
        contacts = offer.sections.get(kind=SectionKind.CONTACTS)
        contacts.body = "**Kinship support team**: 0113 496 0999"
        contacts.save()
    body = _text(carer_client.get(url))
    assert "0113 496 0999" in body and "0113 496 0412" not in body
    with django_capture_on_commit_callbacks(execute=True):
        offer.status = LocalOffer.Status.DRAFT
        offer.save()
    body = _text(carer_client.get(url))
    assert not_yet in body and "0113 496 0999" not in body


def test_dashboard_lists_only_the_sections_the_offer_has(carer_client):
    offer = LocalOfferFactory(local_authority=local_authority(LEEDS))
    SectionFactory(offer=offer, kind=SectionKind.LEGAL)
    SectionFactory(offer=offer, kind=SectionKind.FINANCIAL)
    body = _text(carer_client.get(reverse("portal:dashboard")))
    # In the statutory order, whatever order they were written in.
    assert body.index('href="/local-offer/leeds/#financial"') < body.index(
        'href="/local-offer/leeds/#legal"'
    )
    assert "/local-offer/leeds/#education" not in body
    assert "/local-offer/leeds/#contacts" not in body


def test_dashboard_leaves_out_a_long_introduction(carer_client):
    long_intro = "We help kinship families in many ways. " * 10
    _leeds_offer(intro=long_intro)
    body = _text(carer_client.get(reverse("portal:dashboard")))
    assert "/local-offer/leeds/#financial" in body
    assert long_intro.strip() not in body


def test_dashboard_of_a_carer_whose_council_has_only_a_draft(carer_client):
    draft = _leeds_offer(status=LocalOffer.Status.DRAFT)
    body = _text(carer_client.get(reverse("portal:dashboard")))
    assert "Leeds has not published its kinship local offer on this portal yet." in body
    assert 'href="/local-offer/">See which councils have</a>' in body
    assert draft.get_absolute_url() not in body
    assert "0113 496 0412" not in body


def test_dashboard_of_a_carer_in_another_council(client):
    _leeds_offer()
    client.force_login(CarerProfileFactory(local_authority=local_authority(KENT)).user)
    body = _text(client.get(reverse("portal:dashboard")))
    assert "Kent has not published its kinship local offer on this portal yet." in body
    assert "/local-offer/leeds/" not in body
    kent = local_authority(KENT).pk
    assert f'href="/local-offer/groups/?council={kent}"' in body


def test_welsh_dashboard_shows_the_welsh_text(carer_client):
    _leeds_offer()
    with translation.override("cy"):
        url = reverse("portal:dashboard")
    body = _text(carer_client.get(url))
    assert 'href="/cy/local-offer/leeds/#financial"' in body
    assert "<strong>Tîm cymorth</strong>: 0113 496 0412" in body


# Help checker -------------------------------------------------------------------------------


def _answers(council: str = LEEDS) -> dict:
    return {
        "arrangement": "sgo",
        "looked_after": "yes",
        "stage": "ks2",
        "local_authority": local_authority(council).pk,
    }


def test_help_checker_shows_a_leeds_carer_the_leeds_offer(carer_client):
    _leeds_offer()
    _kent_offer()
    body = _text(carer_client.get(reverse("resources:help_checker"), _answers()))
    assert "Your council's kinship local offer: Leeds" in body
    assert 'href="/local-offer/leeds/#financial">Financial support</a>' in body
    assert 'href="/local-offer/leeds/#support-groups">Support groups</a>' in body
    assert "<strong>Kinship support team</strong>: 0113 496 0412" in body
    assert 'href="https://www.example.org/leeds/kinship"' in body
    # No advice to look for what is on the page already.
    assert "Search your council" not in body
    assert "01632 960 418" not in body
    assert body.count('id="local-offer"') == 1


def test_help_checker_for_a_visitor_points_to_the_offers_on_the_portal(client):
    _leeds_offer()
    body = _text(client.get(reverse("resources:help_checker"), _answers(KENT)))
    assert SEARCH_THE_WEBSITE.replace("'", "&#x27;") in body
    assert 'href="/local-offer/">See if your council\'s offer is on the portal</a>' in body
    assert "/local-offer/leeds/" not in body


def test_help_checker_treats_a_draft_as_no_offer(carer_client):
    _leeds_offer(status=LocalOffer.Status.DRAFT)
    body = _text(carer_client.get(reverse("resources:help_checker"), _answers()))
    assert SEARCH_THE_WEBSITE.replace("'", "&#x27;") in body
    assert 'href="/local-offer/">See if your council\'s offer is on the portal</a>' in body
    assert "0113 496 0412" not in body


def test_help_checker_shows_an_offer_where_the_advice_does_not_apply(client):
    """Welsh councils are not asked to publish one, and the advice is England's; an offer a
    Welsh council has published is shown all the same, once."""
    offer = LocalOfferFactory(local_authority=local_authority(CARDIFF))
    SectionFactory(offer=offer, kind=SectionKind.CONTACTS, body="Cardiff kinship team")
    body = _text(client.get(reverse("resources:help_checker"), _answers(CARDIFF)))
    assert "Your council's kinship local offer: Cardiff" in body
    assert "Cardiff kinship team" in body
    assert body.count('id="local-offer"') == 1
    assert "Search your council" not in body


# Site search --------------------------------------------------------------------------------


def _search(client, q: str, language: str = "en-gb") -> str:
    with translation.override(language):
        url = reverse("resources:list")
    return _text(client.get(url, {"q": q}))


def _block(body: str) -> str:
    """The local offers block of a search results page, or "" when there is none."""
    start = body.find('id="from-local-offers"')
    return "" if start == -1 else body[start : body.index("</section>", start)]


def test_search_finds_a_group_by_a_word_in_its_name(client):
    group = SupportGroupFactory(name="Armley grandparents' drop-in")
    SupportGroupFactory(name="Seacroft coffee morning")
    block = _block(_search(client, "armley"))
    assert "From councils' local offers and support groups" in block
    leeds = local_authority(LEEDS).pk
    assert f'href="/local-offer/groups/?council={leeds}"' in block
    assert group.name.replace("'", "&#x27;") in block
    assert "Support group in Leeds" in block
    assert "Seacroft" not in block


def test_search_finds_the_leeds_offer_and_groups(client):
    _leeds_offer()
    _kent_offer()
    SupportGroupFactory(name="Leeds kinship carers' coffee morning")
    national = SupportGroupFactory(
        name="Grandparents online", local_authority=None, description="Evening video calls."
    )

    block = _block(_search(client, "support group"))
    assert (
        'href="/local-offer/leeds/#support-groups">Leeds kinship local offer: Support groups'
        in block
    )
    assert "Leeds kinship carers&#x27; coffee morning" in block
    assert national.name in block and "National or online support group" in block

    block = _block(_search(client, "Leeds"))
    assert "Leeds kinship local offer: Financial support" in block
    assert "Leeds kinship carers&#x27; coffee morning" in block
    assert "Kent" not in block and national.name not in block

    block = _block(_search(client, "financial"))
    assert (
        'href="/local-offer/leeds/#financial">Leeds kinship local offer: Financial support' in block
    )
    assert "Kent" not in block  # Kent's offer has no financial section

    block = _block(_search(client, "kent contacts"))
    assert 'href="/local-offer/kent/#contacts">Kent kinship local offer: Contacts' in block
    assert "Leeds" not in block


def test_search_matches_who_a_group_is_for_and_who_runs_it(client):
    SupportGroupFactory(name="Tuesday group", themes=["male_carers"])
    SupportGroupFactory(name="Friday group", run_by="Grandparents Plus volunteers")
    assert "Tuesday group" in _block(_search(client, "male carers"))
    block = _block(_search(client, "volunteers"))
    assert "Friday group" in block and "Tuesday group" not in block


def test_search_shows_at_most_five_of_each(client):
    full_offer(LEEDS)
    SupportGroupFactory.create_batch(7, description="A group for every kinship carer.")
    block = _block(_search(client, "kinship"))
    assert block.count("/local-offer/leeds/#") == 5
    assert block.count("/local-offer/groups/") == 5


def test_search_never_shows_a_draft_offer_or_an_unpublished_group(client):
    _leeds_offer(status=LocalOffer.Status.DRAFT)
    SupportGroupFactory(name="Leeds secret group", published=False)
    body = _search(client, "Leeds")
    assert _block(body) == ""
    assert "/local-offer/leeds/" not in body
    assert "secret" not in body
    assert _block(_search(client, "secret group")) == ""


def test_search_without_words_shows_no_block(client):
    _leeds_offer()
    SupportGroupFactory()
    with translation.override("en-gb"):
        assert _block(_text(client.get(reverse("resources:list")))) == ""
    assert _block(_search(client, "the")) == ""
    assert _block(_search(client, "nothing-like-this")) == ""


def test_welsh_search_matches_the_welsh_text(client):
    SupportGroupFactory(
        name="Coffee morning", name_cy="Bore coffi", description_cy="Paned a sgwrs."
    )
    block = _block(_search(client, "sgwrs", language="cy"))
    assert "Bore coffi" in block
    assert 'href="/cy/local-offer/groups/' in block
    assert _block(_search(client, "sgwrs")) == ""  # English pages search the English
