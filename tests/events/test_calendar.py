"""The events calendar: which month it opens on, the days of the months either side in the
grid, and the list a phone shows instead of the grid."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 30 November 2026, midday: the month's only event is over.
NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)


@pytest.fixture
def late_november():
    with time_machine.travel(NOW, tick=False):
        yield


def _at(day: int, month: int, hour: int = 11, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=LONDON)


def _calendar(client, month: str | None = None) -> str:
    response = client.get(reverse("events:calendar"), {"month": month} if month else {})
    assert response.status_code == 200
    return response.content.decode()


def _heading(body: str) -> str:
    return re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', body, re.S)[1].strip()


def _grid_cell(body: str, date_label: str) -> str:
    """The grid's cell for one day, found by the date a screen reader hears."""
    grid = body[body.index('<table class="govuk-table app-calendar">') : body.index("</table>")]
    (cell,) = [cell for cell in grid.split("<td")[1:] if f">{date_label}<" in cell]
    return cell


def _phone_list(body: str) -> str:
    """The list shown instead of the grid at small widths (.app-calendar-list)."""
    start = body.index('<div class="app-calendar-list">')
    return body[start : body.index("</main>", start)]


@pytest.fixture
def events(late_november):
    EventFactory(title="November coffee morning", starts_at=_at(12, 11))
    EventFactory(title="Sunday webinar", starts_at=_at(6, 12, hour=10))
    EventFactory(title="Thursday workshop", starts_at=_at(3, 12))


def test_opens_on_the_next_month_with_events_to_come(client, events):
    body = _calendar(client)
    assert _heading(body) == "Events in December 2026"


def test_opens_on_this_month_while_it_has_events_to_come(client, late_november):
    EventFactory(title="This afternoon", starts_at=_at(30, 11, hour=15))
    EventFactory(title="Thursday workshop", starts_at=_at(3, 12))
    assert _heading(_calendar(client)) == "Events in November 2026"


def test_opens_on_this_month_with_nothing_to_come_within_a_year(client, late_november):
    EventFactory(title="November coffee morning", starts_at=_at(12, 11))
    EventFactory(title="Too far ahead", starts_at=_at(3, 12, year=2027))
    EventFactory(title="Cancelled", starts_at=_at(3, 12), status="cancelled")
    EventFactory(title="Not published", starts_at=_at(4, 12), status="draft")
    assert _heading(_calendar(client)) == "Events in November 2026"


def test_the_last_week_of_november_shows_the_december_days_events(client, events):
    body = _calendar(client, "2026-11")
    thursday = _grid_cell(body, "Thursday 3 December 2026")
    sunday = _grid_cell(body, "Sunday 6 December 2026")
    assert "app-calendar__day--outside" in thursday and "Thursday workshop" in thursday
    assert "Sunday webinar" in sunday and "Thursday workshop" not in sunday
    # The caption counts the month's own events only.
    assert "November 2026: 1 event<" in body


def test_the_first_week_of_december_shows_the_november_days_events(client, events):
    body = _calendar(client, "2026-12")
    assert "11am November coffee morning" not in body  # 12 November is not in December's grid
    EventFactory(title="Last day drop-in", starts_at=_at(30, 11, hour=15))
    cell = _grid_cell(_calendar(client, "2026-12"), "Monday 30 November 2026")
    assert "3pm Last day drop-in" in cell


def test_phone_list_shows_the_months_events_in_date_order(client, events):
    listed = _phone_list(_calendar(client, "2026-12"))
    assert "Events to come in December 2026" in listed
    assert listed.index("Thursday workshop") < listed.index("Sunday webinar")


def test_phone_list_leaves_out_events_already_over(client, events):
    listed = _phone_list(_calendar(client, "2026-11"))
    assert "November coffee morning" not in listed
    assert "Thursday workshop" not in listed  # in the grid's last week, not in November
    assert "There are no more events this month." in listed


def test_phone_list_of_a_month_gone_by_shows_all_its_events(client, events):
    EventFactory(title="October webinar", starts_at=_at(14, 10))
    listed = _phone_list(_calendar(client, "2026-10"))
    assert "All events in October 2026" in listed and "October webinar" in listed


def test_a_month_with_no_events_says_so(client, events):
    body = _calendar(client, "2027-02")
    assert "February 2027: 0 events" in body
    assert "There are no events this month." in _phone_list(body)
