"""What carers look for and do not find: searches are counted by day (only the words, never
who), curators read the last 30 days in admin, and the retention schedule removes old days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.retention import retention_apply
from resources.models import SearchCount
from resources.services import search_counted, search_result_opened

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOTHING_FOUND = "admin:resources_searchcount_nothing_found"
NOTHING_OPENED = "admin:resources_searchcount_nothing_opened"


def _row(query: str, day: datetime.date) -> SearchCount:
    return SearchCount.objects.get(query=query, day=day)


def test_counting_twice_the_same_day_adds_up_under_the_normalised_words():
    today = timezone.localdate()
    search_counted("  Council   TAX ", 3, today=today)
    search_counted("council tax", 2, today=today)
    search_counted("Council tax", 0, today=today - DAY)  # another day, another row
    row = _row("council tax", today)
    assert (row.searches, row.results, row.opened) == (2, 2, 0)  # results: the last count
    assert _row("council tax", today - DAY).searches == 1
    assert SearchCount.objects.count() == 2


def test_an_empty_search_is_not_counted():
    search_counted("   ", 0)
    search_counted("", 5)
    assert not SearchCount.objects.exists()


def test_only_the_words_are_stored():
    fields = {field.name for field in SearchCount._meta.get_fields()}
    assert fields == {"id", "day", "query", "searches", "results", "opened"}


def test_opened_only_counts_a_search_made_that_day():
    today = timezone.localdate()
    search_counted("Respite", 4, today=today)
    assert search_result_opened(" RESPITE ", today=today)
    assert search_result_opened("respite", today=today)
    assert _row("respite", today).opened == 2
    # Words nobody searched for, or searched for another day, create and change nothing.
    assert not search_result_opened("made up words", today=today)
    assert not search_result_opened("respite", today=today + DAY)
    assert not search_result_opened("", today=today)
    assert list(SearchCount.objects.values_list("query", "day", "opened")) == [
        ("respite", today, 2)
    ]


def _counts(today, query, *, searches, results, opened=0, days_ago=0):
    SearchCount.objects.create(
        day=today - days_ago * DAY, query=query, searches=searches, results=results, opened=opened
    )


@pytest.fixture
def month_of_searches():
    today = timezone.localdate()
    # Found nothing
    _counts(today, "kinship allowance", searches=5, results=0)
    _counts(today, "kinship allowance", searches=4, results=0, days_ago=29)  # still in the 30 days
    _counts(today, "sgo support", searches=12, results=0, days_ago=3)
    _counts(today, "very old", searches=99, results=0, days_ago=30)  # just outside
    # Found something, nothing opened
    _counts(today, "respite", searches=7, results=3)
    _counts(today, "respite", searches=2, results=5, days_ago=2)
    _counts(today, "holiday clubs", searches=8, results=1, days_ago=1)
    _counts(today, "old and unopened", searches=50, results=2, days_ago=31)  # outside
    # Found something and it was opened (on one of its days)
    _counts(today, "council tax", searches=20, results=4, opened=0)
    _counts(today, "council tax", searches=3, results=4, opened=1, days_ago=1)
    return today


def test_the_reports_list_the_last_30_days_by_searches(client, content_admin, month_of_searches):
    client.force_login(content_admin)

    page = client.get(reverse(NOTHING_FOUND))
    assert page.status_code == 200
    rows = [(r["query"], r["total_searches"]) for r in page.context["rows"]]
    assert rows == [("sgo support", 12), ("kinship allowance", 9)]
    assert (page.context["queries"], page.context["searches"]) == (2, 21)
    html = page.content.decode()
    assert "Searches that found nothing" in html
    assert "very old" not in html
    synonym_url = reverse("admin:resources_searchsynonym_add") + "?term=sgo+support"
    assert f'href="{synonym_url}"' in html
    assert 'href="/resources/?q=sgo+support"' in html

    page = client.get(reverse(NOTHING_OPENED))
    assert page.status_code == 200
    rows = [(r["query"], r["total_searches"], r["last_results"]) for r in page.context["rows"]]
    assert rows == [("respite", 9, 3), ("holiday clubs", 8, 1)]
    assert (page.context["queries"], page.context["searches"]) == (2, 17)
    assert "council tax" not in page.content.decode()


def test_the_changelist_shows_one_row_per_search_with_its_30_day_totals(
    client, content_admin, month_of_searches
):
    client.force_login(content_admin)
    page = client.get(reverse("admin:resources_searchcount_changelist"))
    assert page.status_code == 200
    shown = [(row.query, row.total_searches_) for row in page.context["cl"].result_list]
    assert shown == [
        ("council tax", 23),
        ("sgo support", 12),
        ("kinship allowance", 9),
        ("respite", 9),
        ("holiday clubs", 8),
    ]
    html = page.content.decode()
    assert reverse(NOTHING_FOUND) in html and reverse(NOTHING_OPENED) in html
    for column in range(1, 7):  # every column sorts
        sorted_page = client.get(reverse("admin:resources_searchcount_changelist"), {"o": column})
        assert sorted_page.status_code == 200
        assert len(sorted_page.context["cl"].result_list) == 5
    searched = client.get(reverse("admin:resources_searchcount_changelist"), {"q": "resp"})
    assert [row.query for row in searched.context["cl"].result_list] == ["respite"]


def test_counts_are_read_only_even_for_curators(client, content_admin, month_of_searches):
    client.force_login(content_admin)
    row = SearchCount.objects.first()
    assert client.get(reverse("admin:resources_searchcount_add")).status_code == 403
    assert (
        client.get(reverse("admin:resources_searchcount_delete", args=[row.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("admin:resources_searchcount_change", args=[row.pk]), {"searches": 0}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:resources_searchcount_change", args=[row.pk])).status_code == 200
    )
    # A synonym, prefilled from a report's link, is theirs to add.
    page = client.get(reverse("admin:resources_searchsynonym_add"), {"term": "sgo support"})
    assert page.status_code == 200
    assert 'value="sgo support"' in page.content.decode()
    assert client.get(reverse("admin:resources_bestbet_add")).status_code == 200


@pytest.mark.parametrize("report", [NOTHING_FOUND, NOTHING_OPENED])
def test_the_reports_are_refused_to_carers_and_visitors(client, carer, report, month_of_searches):
    url = reverse(report)
    for person in (None, carer):
        if person:
            client.force_login(person)
        page = client.get(url)
        assert page.status_code in (302, 403)
        assert "sgo support" not in page.content.decode()
        if page.status_code == 302:
            assert page["Location"].startswith(reverse("admin:login"))


def test_retention_removes_days_older_than_the_schedule(settings):
    now = timezone.now()
    today = timezone.localdate(now)
    limit = settings.RETENTION_DAYS["search_counts"]
    assert limit == 400  # a year's comparison, plus a month
    _counts(today, "gone", searches=1, results=0, days_ago=limit + 1)
    _counts(today, "kept", searches=1, results=0, days_ago=limit - 1)
    _counts(today, "today", searches=1, results=0)
    report = retention_apply(now=now)
    assert report["counts of the words searched for"] == 1
    assert set(SearchCount.objects.values_list("query", flat=True)) == {"kept", "today"}


def test_the_privacy_notice_lists_search_counts(client):
    page = client.get(reverse("portal:privacy")).content.decode()
    row = page.split("Counts of the words searched for in advice and guides")[1][:200]
    assert "400 days" in row
