"""A carer books every date of a monthly series from its event page, in a real browser, and
finds each date exactly once in her private calendar feed."""

import collections
import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from events import ics, services
from events.models import Booking, Event
from events.services import series as series_services
from tests.browser.conftest import browser_db, sign_in_as
from tests.browser.test_accessibility import _axe_problems, _reflow_problems
from tests.factories import CarerProfileFactory, EventFactory


def _monthly_series(title: str, count: int) -> list[Event]:
    """`count` published dates, on the same weekday of each month, from ten days' time."""
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=10)
    first = EventFactory(
        title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30)
    )
    series = series_services.event_repeat(event=first, frequency="monthly", count=count)
    for date in series.dates.all():
        services.event_publish(event=date)
    return list(Event.objects.filter(series=series).order_by("starts_at"))


@browser_db
def test_carer_books_all_dates_of_a_monthly_series_and_sees_each_once_in_her_feed(
    page, live_server
):
    dates = _monthly_series("Coffee morning for grandparents", 3)
    profile = CarerProfileFactory(user__email="ruth.series@example.com")
    carer = profile.user
    sign_in_as(page.context, carer, live_server)
    main = page.locator("main")
    mail.outbox.clear()

    page.goto(dates[0].get_absolute_url())
    expect(main).to_contain_text("This event is one date of a series")
    other_dates = main.get_by_role("table").filter(has_text="Dates still to come")
    expect(other_dates.get_by_role("row")).to_have_count(3)  # a header and the 2 other dates
    assert _axe_problems(page) == []
    main.get_by_label("Do you have any access needs? (optional)").fill("A hearing loop")
    main.get_by_role("button", name="Book all 3 remaining dates").click()

    expect(page).to_have_url(
        live_server.url + reverse("events:series_booked", args=[dates[0].slug])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("You're booked on 3 dates")
    expect(main.get_by_role("table").get_by_text("Booked", exact=True)).to_have_count(3)
    assert _axe_problems(page) + _reflow_problems(page) == []
    bookings = Booking.objects.filter(user=carer, status=Booking.Status.CONFIRMED)
    assert sorted(bookings.values_list("event_id", flat=True)) == [d.pk for d in dates]
    assert set(bookings.values_list("access_needs", flat=True)) == {"A hearing loop"}
    # One e-mail for the three dates, not three.
    assert [m.subject for m in mail.outbox if m.to == [carer.email]] == [
        "You're booked on 3 dates of Coffee morning for grandparents"
    ]

    # Her private feed, as her calendar app fetches it: each date once, under its own UID.
    feed = page.request.get(live_server.url + reverse("events:feed", args=[profile.calendar_token]))
    assert feed.ok
    uids = collections.Counter(
        str(vevent["uid"]) for vevent in Calendar.from_ical(feed.body()).walk("VEVENT")
    )
    assert uids == collections.Counter({ics.event_uid(date): 1 for date in dates})

    # Back on a date's page, nothing is left to book.
    page.goto(dates[1].get_absolute_url())
    expect(main).to_contain_text("You have 1 place booked")
    expect(main.get_by_role("button", name="Book all 3 remaining dates")).to_have_count(0)
