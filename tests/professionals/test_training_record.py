"""A professional's training record: the events they were marked present at, with dates,
how long each lasted, a certificate to download, the total time, and a CSV copy."""

import datetime

import pytest
from django.urls import reverse

from tests.professionals.factories import (
    ProfessionalFactory,
    ProfessionalsEventFactory,
    attended,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def past_event(title: str, day: int, hours: int, minutes: int = 0):
    starts = datetime.datetime(2026, 2, day, 14, 0, tzinfo=UTC)
    return ProfessionalsEventFactory(
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours, minutes=minutes),
    )


@pytest.fixture
def professional():
    return ProfessionalFactory().user


def test_the_record_lists_only_what_they_attended_and_the_total(client, professional):
    first = attended(professional, past_event("Attachment and trauma", 2, 2, 30))
    second = attended(professional, past_event("Pupil Premium Plus explained", 9, 1))
    attended(professional, past_event("Absent from this one", 16, 3), attended=False)
    attended(professional, past_event("Not recorded yet", 23, 3), attended=None)
    someone_else = ProfessionalFactory().user
    attended(someone_else, past_event("Someone else's course", 24, 6))

    client.force_login(professional)
    page = client.get(reverse("professionals:home"))
    html = page.content.decode()
    record = page.context["record"]
    assert [b.event.title for b in record["attended"]] == [
        "Pupil Premium Plus explained",  # newest first
        "Attachment and trauma",
    ]
    assert "Absent from this one" not in html
    assert "Not recorded yet" not in html
    assert "Someone else" not in html
    assert "Monday 2 February 2026" in html
    assert "2 hours 30 minutes" in html
    assert (
        '<td class="govuk-table__cell govuk-!-font-weight-bold" id="total-time" colspan="2">3 hours 30 minutes</td>'
        in html
    )
    for booking in (first, second):
        assert reverse("professionals:certificate", args=[booking.pk]) in html


def test_the_record_as_a_spreadsheet(client, professional):
    attended(professional, past_event("Attachment and trauma", 2, 2, 30))
    client.force_login(professional)
    response = client.get(reverse("professionals:record_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Event,Dates,Duration,Hours,Organised by"
    assert lines[1] == (
        "Attachment and trauma,2026-02-02,2 hours 30 minutes,2.50,Leeds Virtual School"
    )


def test_an_empty_record_says_what_will_appear(client, professional):
    client.force_login(professional)
    html = client.get(reverse("professionals:home")).content.decode()
    assert "once the organisers have recorded that you were there" in html
    assert "You have no training booked" in html


# Session and user (2), verified e-mail (1), staff membership for the MFA check (1), the
# professional's profile with their council (1), their bookings with events (1) and the
# courses' sessions (1). The same with 1 and 12 events attended: a per-row query would fail.
@pytest.mark.parametrize("events", [1, 12])
def test_the_training_page_has_a_fixed_query_count(
    client, professional, django_assert_num_queries, events
):
    for n in range(events):
        attended(professional, past_event(f"Course {n}", 1 + n, 1))
    ProfessionalsEventFactory.create_batch(2)  # upcoming, not booked
    client.force_login(professional)
    with django_assert_num_queries(7):
        response = client.get(reverse("professionals:home"))
    assert response.status_code == 200
    assert len(response.context["record"]["attended"]) == events
