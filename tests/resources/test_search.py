"""Search, filters, sorting and pagination of the library."""

import pytest
from django.urls import reverse

from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [r.title for r in response.context["resources"]]


def test_title_match_ranks_above_body_only_match(client):
    ResourceFactory(
        title="Getting help at home", body="Questions about school exclusions are common."
    )
    ResourceFactory(title="School exclusions: your rights", body="What happens next.")
    ResourceFactory(title="Unrelated", body="Nothing to see.")
    response = client.get(reverse("resources:list"), {"q": "school exclusions"})
    assert _titles(response) == ["School exclusions: your rights", "Getting help at home"]
    assert "2 results" in response.content.decode()


def test_summary_match_ranks_above_body_only_match(client):
    ResourceFactory(title="One", summary="About other things", body="Mentions respite breaks once.")
    ResourceFactory(title="Two", summary="Respite breaks for carers", body="Other words.")
    response = client.get(reverse("resources:list"), {"q": "respite"})
    assert _titles(response) == ["Two", "One"]


def test_search_stems_words(client):
    ResourceFactory(title="Claiming allowances", body="")
    response = client.get(reverse("resources:list"), {"q": "allowance"})
    assert _titles(response) == ["Claiming allowances"]


@pytest.mark.postgres
def test_misspelt_search_still_finds_special_guardianship(client):
    ResourceFactory(title="Special guardianship orders explained", body="What an SGO means.")
    ResourceFactory(title="School admissions", body="Applying for a place.")
    response = client.get(reverse("resources:list"), {"q": "guardianshp"})
    assert _titles(response) == ["Special guardianship orders explained"]


@pytest.mark.postgres
def test_typo_tolerance_does_not_match_everything(client):
    ResourceFactory(title="Special guardianship orders explained")
    response = client.get(reverse("resources:list"), {"q": "bicycle"})
    assert _titles(response) == []


def test_each_filter_and_their_combination(client):
    school = TopicFactory(name="School", slug="school-test")
    money = TopicFactory(name="Money", slug="money-test")
    a = ResourceFactory(
        title="SGO school guide",
        kind="guide",
        arrangements=["sgo"],
        stages=["ks2"],
        topics=[school],
    )
    b = ResourceFactory(
        title="SGO money video", kind="video", arrangements=["sgo"], stages=["ks4"], topics=[money]
    )
    c = ResourceFactory(
        title="Foster school video",
        kind="video",
        arrangements=["kinship_foster"],
        stages=["ks2"],
        topics=[school],
    )
    d = ResourceFactory(
        title="Everyone school article", kind="article", arrangements=[], stages=[], topics=[school]
    )
    e = ResourceFactory(
        title="Teachers only", kind="guide", audiences=["schools"], staff_only=True, topics=[school]
    )
    url = reverse("resources:list")

    def found(**params):
        return set(_titles(client.get(url, params)))

    assert found(topic="school-test") == {a.title, c.title, d.title}
    assert found(kind="video") == {b.title, c.title}
    # Resources for every arrangement or every age match any filter value.
    assert found(arrangement="sgo") == {a.title, b.title, d.title}
    assert found(stage="ks2") == {a.title, c.title, d.title}
    assert found(audience="carers") == {a.title, b.title, c.title, d.title}
    assert e.title not in found()  # staff only: a visitor never sees it
    assert found(topic="school-test", kind="video") == {c.title}
    assert found(topic="school-test", arrangement="sgo", stage="ks2") == {a.title, d.title}
    assert found(topic="school-test", arrangement="sgo", stage="ks2", kind="guide") == {a.title}
    assert found(q="video", kind="video", arrangement="sgo") == {b.title}


def test_bad_filter_values_get_a_message_not_an_error(client):
    ResourceFactory(title="Still listed")
    response = client.get(
        reverse("resources:list"), {"kind": "nonsense", "topic": "<script>", "q": "x" * 500}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose type from the list" in body
    assert "Search words must be 200 characters or fewer" in body
    assert "<script>" not in body.split("<main")[1].split("</main>")[0].replace(
        "&lt;script&gt;", ""
    )


def test_sort_newest(client):
    from django.utils import timezone

    old = ResourceFactory(
        title="Old school guide", published_at=timezone.now() - timezone.timedelta(days=30)
    )
    new = ResourceFactory(
        title="New guide",
        body="school",
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    by_relevance = _titles(client.get(reverse("resources:list"), {"q": "school"}))
    assert by_relevance[0] == old.title  # title match first
    by_date = _titles(client.get(reverse("resources:list"), {"q": "school", "sort": "newest"}))
    assert by_date == [new.title, old.title]


def test_pagination_keeps_the_filters(client):
    topic = TopicFactory(slug="paged")
    ResourceFactory.create_batch(25, topics=[topic])
    ResourceFactory.create_batch(3)
    response = client.get(reverse("resources:list"), {"topic": "paged"})
    body = response.content.decode()
    assert "25 results" in body
    assert len(response.context["resources"]) == 20
    assert "?topic=paged&amp;page=2" in body
    page_two = client.get(reverse("resources:list"), {"topic": "paged", "page": 2})
    assert len(page_two.context["resources"]) == 5


def test_empty_state_suggests_what_to_try(client):
    response = client.get(reverse("resources:list"), {"q": "zebra crossing", "kind": "video"})
    body = response.content.decode()
    assert "0 results" in body
    assert "removing filters" in body and "double-checking your spelling" in body
