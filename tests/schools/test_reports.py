"""Reports for a Virtual School: counted by the database, for its own authority only."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import YearGroup, year_group_for
from schools.models import AdviceRequest, AuditEntry, KinshipPupil, TermlyReview
from schools.selectors import reports
from schools.selectors.records import current_term
from schools.terms import TERMS, reviews_in_period, term_dates
from tests.factories import CarerProfileFactory, VirtualSchoolFactory, local_authority
from tests.schools.test_records import (
    error_beside,
    login,
    make_pupil,
    make_review,
    make_school,
    page_text,
    staff,
    vs_of,
)

pytestmark = pytest.mark.django_db

KENT = "E10000016"
TODAY = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)  # academic year 2026 to 2027


@pytest.fixture
def in_november_2026(time_machine):
    time_machine.move_to(TODAY)


def advice(vs, *, waited: datetime.timedelta | None, created=None):
    carer = CarerProfileFactory(local_authority=vs.local_authority).user
    request = AdviceRequest.objects.create(virtual_school=vs, carer=carer, topic="attendance")
    created = created or timezone.now() - datetime.timedelta(days=10)
    AdviceRequest.objects.filter(pk=request.pk).update(
        created_at=created, first_reply_at=created + waited if waited is not None else None
    )
    return request


def known_data(vs):
    """Five pupils, four with reviews: two persistently absent at their latest review."""
    date = datetime.date
    # In 2026 to 2027: A is in Year 7, B and C in Year 6, D set to Year 5, E in Nursery.
    a = make_pupil(vs, first_name="A", date_of_birth=date(2015, 8, 31), arrangement="sgo")
    b = make_pupil(vs, first_name="B", date_of_birth=date(2015, 9, 1), arrangement="sgo")
    c = make_pupil(vs, first_name="C", date_of_birth=date(2016, 1, 1), arrangement="cao")
    d = make_pupil(
        vs,
        first_name="D",
        date_of_birth=date(2016, 1, 1),
        arrangement="cao",
        year_group_override="5",
    )
    make_pupil(vs, first_name="E", date_of_birth=date(2022, 9, 3), arrangement="informal")
    make_review(a, 2025, "summer", Decimal("80"), suspensions=3)  # last year
    make_review(a, 2026, "autumn", Decimal("95"), suspensions=1)  # latest: fine now
    make_review(b, 2026, "autumn", Decimal("90.0"), suspensions=2)  # at 90: persistent
    make_review(c, 2025, "summer", Decimal("99"))
    make_review(c, 2026, "autumn", Decimal("45"), permanently_excluded=True)  # severe
    make_review(d, 2026, "autumn", Decimal("90.1"))
    advice(vs, waited=datetime.timedelta(hours=2))
    advice(vs, waited=datetime.timedelta(hours=4))
    advice(vs, waited=datetime.timedelta(hours=12))
    advice(vs, waited=None)


def test_year_groups_counted_by_the_database_match_the_rule(officer):
    """The SQL CASE agrees with core.choices.year_group_for for birthdays either side of
    1 September in every year, on dates either side of 1 September."""
    vs = vs_of(officer)
    births = []
    for year in range(2003, 2026):
        births += [
            datetime.date(year, 8, 31),
            datetime.date(year, 9, 1),
            datetime.date(year, 2, 29 if year % 4 == 0 else 28),
        ]
    KinshipPupil.objects.bulk_create(
        KinshipPupil(
            virtual_school=vs,
            first_name=f"P{n}",
            last_name="X",
            date_of_birth=dob,
            arrangement="sgo",
        )
        for n, dob in enumerate(births)
    )
    for on in (datetime.date(2026, 8, 31), datetime.date(2026, 9, 1), datetime.date(2027, 3, 15)):
        expected = {}
        for dob in births:
            group = year_group_for(dob, on)
            expected[group.label] = expected.get(group.label, 0) + 1
        report = reports.authority_report(vs, on=on)
        assert {row.label: row.count for row in report.by_year_group} == expected, on
        # ...and the pupil list's filter agrees too.
        for group in YearGroup:
            filtered = KinshipPupil.objects.filter(
                reports.year_group_q(group, on), virtual_school=vs
            ).count()
            assert filtered == expected.get(group.label, 0), (on, group)


def test_figures_for_a_known_data_set(officer, in_november_2026):
    vs = vs_of(officer)
    known_data(vs)
    # Another authority's pupils and requests are not counted.
    kent = VirtualSchoolFactory(local_authority=local_authority(KENT))
    make_review(make_pupil(kent, first_name="Kent"), 2026, "autumn", Decimal("10"), suspensions=9)
    advice(kent, waited=datetime.timedelta(days=30))

    report = reports.authority_report(vs)
    assert report.total_pupils == 5
    assert [(r.label, r.count) for r in report.by_arrangement] == [
        ("Special guardianship order", 2),
        ("Child arrangements order (or residence order)", 2),
        ("Informal family arrangement (no court order)", 1),
    ]
    assert [(r.label, r.count) for r in report.by_year_group] == [
        ("Nursery", 1),
        ("Year 5", 1),
        ("Year 6", 2),
        ("Year 7", 1),
    ]
    assert report.pupils_with_review == 4
    assert report.persistent_absence == 2 and report.severe_absence == 1
    assert report.persistent_absence_rate == 0.5
    assert (
        report.suspensions == 3
        and report.pupils_suspended == 2
        and report.permanent_exclusions == 1
    )
    assert report.advice_received == 4 and report.advice_answered == 3
    assert report.average_first_reply == datetime.timedelta(hours=6)
    assert report.median_first_reply == datetime.timedelta(hours=4)


def test_the_reports_page_shows_the_figures_to_all_staff(officer, in_november_2026):
    vs = vs_of(officer)
    known_data(vs)
    reader = staff("read_only", vs)
    response = login(reader).get(reverse("schools:reports"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Special guardianship order 2" in text and "Total 5" in text
    assert (
        "Pupils by year group, 2026 to 2027" in text and "Year 6 2" in text and "Nursery 1" in text
    )
    assert "Persistent absence rate 50.0% (2 of 4 pupils with a review)" in text
    assert "Suspensions and exclusions, 2026 to 2027" in text and "Suspensions 3" in text
    assert "Pupils suspended at least once 2" in text
    assert (
        "Average time to first reply 6 hours" in text
        and "Median time to first reply 4 hours" in text
    )


def test_an_empty_authority_has_a_report_too(officer):
    text = page_text(login(officer).get(reverse("schools:reports")))
    assert "Persistent absence rate No reviews yet" in text
    assert "Average time to first reply No replies yet" in text


def test_reports_page_query_count_is_the_same_at_two_sizes(
    client, officer, django_assert_num_queries
):
    vs = vs_of(officer)
    oak = make_school(vs)
    client.force_login(officer)
    url = reverse("schools:reports")
    client.get(url)

    def fill(count):
        for n in range(KinshipPupil.objects.count(), count):
            pupil = make_pupil(
                vs,
                first_name=f"P{n}",
                date_of_birth=datetime.date(2010 + n % 8, 1 + n % 12, 1),
                arrangement=["sgo", "cao", "informal"][n % 3],
                school=oak,
            )
            make_review(pupil, 2024, "summer", Decimal(70 + n % 30), suspensions=n % 2)
            make_review(pupil, 2025, "autumn", Decimal(80 + n % 20))
            advice(vs, waited=datetime.timedelta(hours=1 + n))

    # session, user, membership with Virtual School and council (read once, by the MFA
    # middleware) and their MFA, the schools for the filter's list (id and name), then one
    # query each: the pupils by arrangement and year group with their attendance,
    # suspensions, advice requests (plus the list of waits for the median where there is no
    # percentile_cont). Filtered by a school, one more: that school, checked to be this
    # Virtual School's. A term or dates change what is counted, not how many queries.
    from django.db import connection

    expected = 8 if connection.vendor == "postgresql" else 9
    filters = {"term": "2025-autumn", "school": oak.pk}
    fill(3)
    with django_assert_num_queries(expected):
        assert "Total 3" in page_text(client.get(url))
    with django_assert_num_queries(expected + 1):
        assert "Total 3" in page_text(client.get(url, filters))
    fill(40)
    with django_assert_num_queries(expected):
        assert "Total 40" in page_text(client.get(url))
    with django_assert_num_queries(expected + 1):
        assert "Total 40" in page_text(client.get(url, filters))


def test_the_report_downloads_as_csv_and_the_export_is_audited(client, officer, in_november_2026):
    vs = vs_of(officer)
    known_data(vs)
    client.force_login(officer)
    response = client.get(reverse("schools:reports_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert body.startswith("\ufeffSection,Measure,Value\r\n")
    lines = body.splitlines()
    assert "Pupils,Kinship pupils recorded,5" in lines
    assert "Pupils by arrangement,Special guardianship order,2" in lines
    assert "Pupils by year group,Year 6,2" in lines
    assert "Attendance,Persistent absence rate,50.0%" in lines
    assert '"Suspensions, 2026 to 2027",Suspensions,3' in lines
    assert "Advice requests,Median time to first reply,4 hours" in lines
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == officer and "authority report" in entry.summary


def test_durations_read_naturally():
    words = reports.duration_words
    assert words(None) == "No replies yet"
    assert words(datetime.timedelta(seconds=30)) == "Less than a minute"
    assert words(datetime.timedelta(minutes=1)) == "1 minute"
    assert words(datetime.timedelta(hours=5, minutes=20)) == "5 hours 20 minutes"
    assert words(datetime.timedelta(days=1, hours=3, minutes=59)) == "1 day 3 hours"
    assert words(datetime.timedelta(days=2)) == "2 days"


# Filters: a term, dates, a school -------------------------------------------------------------


def test_terms_run_as_the_staff_home_counts_them_and_a_period_finds_their_reviews():
    for year in (2025, 2026):
        for term in TERMS:
            first, last = term_dates(year, term)
            assert current_term(first) == current_term(last) == (year, term)
            assert current_term(last + datetime.timedelta(days=1)) != (year, term)
    # 1 March 2025 to 1 October 2026: spring and summer of 2024/25, all of 2025/26, autumn 2026.
    pupil = make_pupil(VirtualSchoolFactory())
    for year in range(2022, 2028):
        for term in TERMS:
            TermlyReview.objects.create(
                pupil=pupil, academic_year=year, term=term, attendance_percent=Decimal("90")
            )
    found = TermlyReview.objects.filter(
        reviews_in_period(datetime.date(2025, 3, 1), datetime.date(2026, 10, 1))
    ).order_by("academic_year", "term")
    assert list(found.values_list("academic_year", "term")) == [
        (2024, "spring"),
        (2024, "summer"),
        (2025, "autumn"),
        (2025, "spring"),
        (2025, "summer"),
        (2026, "autumn"),
    ]
    # Open at one end: everything up to the end of autumn 2023, or from spring 2027 on.
    up_to = TermlyReview.objects.filter(reviews_in_period(None, datetime.date(2023, 12, 31)))
    assert up_to.count() == 3 + 1  # all of 2022/23, autumn 2023
    from_then = TermlyReview.objects.filter(reviews_in_period(datetime.date(2028, 1, 1), None))
    assert sorted(from_then.values_list("academic_year", "term")) == [
        (2027, "spring"),
        (2027, "summer"),
    ]


def test_a_term_filter_shows_that_terms_figures(officer, in_november_2026):
    vs = vs_of(officer)
    known_data(vs)
    client = login(officer)
    page = client.get(reverse("schools:reports"))
    assert "Summer term 2025 to 2026" in page.content.decode()  # among the terms to choose
    text = page_text(client.get(reverse("schools:reports"), {"term": "2025-summer"}))
    assert "Figures for Summer term 2025 to 2026." in text
    # The summer's reviews only: A at 80% (persistently absent, 3 suspensions) and C at 99%.
    assert "Persistent absence rate 50.0% (1 of 2 pupils with a review)" in text
    assert "Suspensions and exclusions, Summer term 2025 to 2026" in text
    assert "Suspensions 3" in text and "Pupils permanently excluded 0" in text
    assert "Received 0" in text  # every request came in November 2026
    autumn = page_text(client.get(reverse("schools:reports"), {"term": "2026-autumn"}))
    assert "Persistent absence rate 50.0% (2 of 4 pupils with a review)" in autumn
    assert "Pupils permanently excluded 1" in autumn and "Received 4" in autumn


def test_dates_filter_the_figures_to_that_period(officer, in_november_2026):
    vs = vs_of(officer)
    known_data(vs)
    advice(vs, waited=None, created=datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC))
    client = login(officer)
    everything = page_text(client.get(reverse("schools:reports")))
    assert "Received 5" in everything
    dates = {"start_day": "1", "start_month": "9", "start_year": "2026"}
    dates |= {"end_day": "20", "end_month": "11", "end_year": "2026"}
    text = page_text(client.get(reverse("schools:reports"), dates))
    assert "Figures for Tuesday 1 September 2026 to Friday 20 November 2026." in text
    assert "Received 4" in text  # not the one from June
    assert "Persistent absence rate 50.0% (2 of 4 pupils with a review)" in text
    # A pupil who left before the period began is not counted in it.
    KinshipPupil.objects.filter(first_name="E").update(
        left_on=datetime.date(2026, 7, 20), left_reason="moved"
    )
    assert "Total 4" in page_text(client.get(reverse("schools:reports"), dates))
    assert "Total 5" in page_text(client.get(reverse("schools:reports")))


def test_a_school_filter_counts_that_schools_pupils(officer, in_november_2026):
    vs = vs_of(officer)
    known_data(vs)
    oak = make_school(vs)
    make_school(vs, name="Beech High")
    KinshipPupil.objects.filter(first_name__in=["A", "C"]).update(school=oak)
    client = login(officer)
    page = client.get(reverse("schools:reports"))
    assert f'<option value="{oak.pk}">Oakwood Primary</option>' in page.content.decode()
    text = page_text(client.get(reverse("schools:reports"), {"school": oak.pk}))
    assert "Figures for pupils at Oakwood Primary, as of today." in text
    assert "Total 2" in text and "Child arrangements order (or residence order) 1" in text
    assert "Persistent absence rate 50.0% (1 of 2 pupils with a review)" in text
    assert "Suspensions 1" in text and "Pupils permanently excluded 1" in text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"start_day": "1", "start_month": "10", "start_year": "2026"}
            | {"end_day": "1", "end_month": "9", "end_year": "2026"},
            "end",
            "The end date must be the same as or after the start date",
        ),
        (
            {"start_day": "31", "start_month": "2", "start_year": "2026"},
            "start",
            "Start date must be a real date, like 27 3 2015",
        ),
        ({"end_day": "1", "end_year": "2026"}, "end", "End date must include a month"),
        (
            {"start_day": "1", "start_month": "1", "start_year": "9999"},
            "start",
            "Enter a year between 2000 and 2099",
        ),
        (
            {"term": "2026-autumn", "start_day": "1", "start_month": "9", "start_year": "2026"},
            "term",
            "Choose a term or enter dates, not both",
        ),
        ({"term": "1999-autumn"}, "term", "Choose term from the list"),
    ],
)
def test_a_wrong_filter_gets_a_message_beside_it_and_no_figures(officer, query, field, message):
    known_data(vs_of(officer))
    response = login(officer).get(reverse("schools:reports"), query)
    assert response.status_code == 200
    assert error_beside(response, field) == message
    text = page_text(response)
    assert "There is a problem" in text and "Correct the filters to see the figures." in text
    assert "Total 5" not in text and "Download these figures as CSV" not in text


def test_the_csv_keeps_the_filters_and_holds_the_filtered_figures(
    client, officer, in_november_2026
):
    vs = vs_of(officer)
    known_data(vs)
    oak = make_school(vs)
    KinshipPupil.objects.filter(first_name__in=["A", "C"]).update(school=oak)
    client.force_login(officer)
    filters = {"term": "2025-summer", "school": str(oak.pk)}
    page = client.get(reverse("schools:reports"), filters).content.decode()
    link = re.search(r'href="([^"]*export\.csv[^"]*)"', page).group(1)
    assert link == f"{reverse('schools:reports_export')}?term=2025-summer&amp;school={oak.pk}"

    response = client.get(html.unescape(link))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="virtual-school-report-summer-term-2025-to-2026-oakwood-primary'
        '-2026-11-20.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[:3] == [
        "Section,Measure,Value",
        "Filters,Period,Summer term 2025 to 2026",
        "Filters,School,Oakwood Primary",
    ]
    assert "Pupils,Kinship pupils recorded,2" in lines
    assert "Attendance,Persistent absence rate,50.0%" in lines  # A at 80%, C at 99%
    assert '"Suspensions, Summer term 2025 to 2026",Suspensions,3' in lines
    entry = AuditEntry.objects.get(action="export")
    assert entry.summary == (
        f"Exported authority report (2026-04-15 to 2026-08-31; school Oakwood Primary "
        f"(id {oak.pk})) ({len(lines) - 1} rows)"
    )
    # A wrong filter downloads nothing: back to the page, which says what is wrong.
    wrong = client.get(reverse("schools:reports_export"), {"term": "nonsense"})
    assert wrong.status_code == 302 and wrong["Location"].endswith("?term=nonsense")
    assert AuditEntry.objects.filter(action="export").count() == 1
