"""Search that understands how carers ask: synonyms curators edit, every word then any
word, typo correction with "Did you mean", best bets, highlighted snippets, and the
embedded default's full-text index kept in step. Each runs on SQLite and on PostgreSQL,
whichever the suite runs on."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from resources import fts
from resources.models import BestBet, Resource, SearchCount, SearchSynonym
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [r.title for r in response.context["resources"]]


def _search(client, q, **params):
    return client.get(reverse("resources:list"), {"q": q, **params})


def test_an_abbreviation_finds_what_it_stands_for(client):
    ResourceFactory(title="Special guardianship orders explained", body="What the order means.")
    ResourceFactory(title="Holiday clubs", body="Fun in the summer.")
    assert _titles(_search(client, "SGO")) == ["Special guardianship orders explained"]


def test_a_synonym_a_curator_adds_applies_at_once(client):
    ResourceFactory(title="Short breaks for carers", body="Time for yourself.")
    assert _titles(_search(client, "staycation")) == []
    SearchSynonym.objects.create(term="Staycation", means="short breaks")
    assert _titles(_search(client, "staycation")) == ["Short breaks for carers"]


def test_a_two_way_synonym_works_from_either_side(client):
    ResourceFactory(title="Applying for a school place", body="Your child's priority.")
    ResourceFactory(title="School admissions appeals", body="If you are refused.")
    found = set(_titles(_search(client, "admissions")))
    assert found == {"Applying for a school place", "School admissions appeals"}
    found = set(_titles(_search(client, "school place")))
    assert found == {"Applying for a school place", "School admissions appeals"}


def test_every_word_first_then_any_word_ranked_by_how_much_matches(client):
    ResourceFactory(title="Help with money", body="Allowances for grandparents.")
    ResourceFactory(title="Money matters", body="Budgeting.")
    ResourceFactory(title="Grandparents' rights", body="Seeing the children.")
    ResourceFactory(title="Gardening", body="Nothing relevant.")
    titles = _titles(_search(client, "money grandparents"))
    # No guide has every word three times over, so any word counts; the guide with both
    # words comes first, and the unrelated one never appears.
    assert titles[0] == "Help with money"
    assert set(titles) == {"Help with money", "Money matters", "Grandparents' rights"}


def test_when_enough_guides_have_every_word_the_others_are_left_out(client):
    for n in range(3):
        ResourceFactory(title=f"School uniform grants {n}", body="Help with uniform costs.")
    ResourceFactory(title="School trips", body="Paying for trips.")
    titles = _titles(_search(client, "school uniform"))
    assert len(titles) == 3 and "School trips" not in titles


def test_a_misspelling_is_corrected_and_the_page_says_so(client):
    ResourceFactory(title="Special guardianship orders explained")
    response = _search(client, "gaurdianship")
    assert _titles(response) == ["Special guardianship orders explained"]
    assert response.context["did_you_mean"] == "guardianship"
    page = response.content.decode()
    assert "Showing results for <strong>guardianship</strong>" in page


def test_a_best_bet_comes_first_and_is_marked(client):
    money = ResourceFactory(title="Money and allowances", body="What you can claim.")
    ResourceFactory(title="Council tax reduction", body="Council tax help for carers.")
    BestBet.objects.create(query="  Council TAX ", resource=money)
    response = _search(client, "council tax")
    assert [r.title for r in response.context["best_bets"]] == ["Money and allowances"]
    assert "Money and allowances" not in _titles(response)  # not listed twice
    page = response.content.decode()
    assert page.index("Money and allowances") < page.index("Council tax reduction")
    assert "Recommended" in page


def test_a_best_bet_never_shows_what_the_person_may_not_read(client):
    hidden = ResourceFactory(title="Staff briefing", staff_only=True)
    BestBet.objects.create(query="briefing", resource=hidden)
    assert _search(client, "briefing").context["best_bets"] == []


def test_snippets_highlight_the_matched_words_and_escape_everything_else(client):
    ResourceFactory(
        title="Contact",
        body="Family time with birth parents & carers <script>alert(1)</script> can be hard.",
    )
    page = _search(client, "parents").content.decode()
    [snippet] = re.findall(r'app-result__snippet">(.*?)</p>', page, re.S)
    assert "<mark>parents</mark>" in snippet
    assert "&amp; carers" in snippet  # text is escaped, not trusted
    assert "<script" not in snippet  # dropped (PostgreSQL) or escaped (SQLite), never markup


def test_searches_are_counted_with_their_results_and_what_was_opened(client):
    guide = ResourceFactory(title="Respite care guide")
    _search(client, "Respite")
    _search(client, "respite  ")
    _search(client, "unicorns")
    today = timezone.localdate()
    counts = {c.query: c for c in SearchCount.objects.filter(day=today)}
    assert counts["respite"].searches == 2 and counts["respite"].results == 1
    assert counts["unicorns"].results == 0
    link = f'href="{guide.get_absolute_url()}?searched=respite"'
    assert link in _search(client, "respite").content.decode()
    client.get(guide.get_absolute_url(), {"searched": "respite"})
    assert SearchCount.objects.get(day=today, query="respite").opened == 1


def test_a_stop_word_search_shows_the_empty_state_not_an_error(client):
    ResourceFactory(title="Anything")
    response = _search(client, "the and of")
    assert response.status_code == 200 and _titles(response) == []


@pytest.mark.parametrize("q", ['"', "AND OR NOT", "title:x", "a*b", "(", "NEAR(a b)", "pp+ ++"])
def test_search_syntax_in_what_people_type_is_only_words(client, q):
    ResourceFactory(title="School")
    assert _search(client, q).status_code == 200


def test_the_embedded_defaults_index_follows_changes_and_survives_a_table_rebuild(client):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index is the embedded default's")
    guide = ResourceFactory(title="Kinship carers' rights")
    assert _titles(_search(client, "rights")) == ["Kinship carers' rights"]
    Resource.objects.filter(pk=guide.pk).update(title="Kinship carers' duties")
    assert _titles(_search(client, "rights")) == []
    assert _titles(_search(client, "duties")) == ["Kinship carers' duties"]
    # A migration that rebuilds the table drops its triggers: ensure() puts them back.
    with connection.cursor() as cursor:
        for trigger in fts.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
    assert fts.ensure(connection) is True
    guide.delete()
    assert _titles(_search(client, "duties")) == []
    assert fts.ensure(connection) is False
