"""Series: an event repeated by a rule (each date an event of its own), booking every date
still to come at once, and cancelling one date."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from core.models import Notification
from events import ics, services
from events.dates import nth_weekday, repeat_rule_text, repeat_starts
from events.models import Booking, Event, EventSeries
from events.services import series as series_services
from tests.factories import CarerProfileFactory, EventFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def local_starts(starts) -> list[tuple]:
    return [
        (s.astimezone(LONDON).date().isoformat(), f"{s.astimezone(LONDON):%H:%M}") for s in starts
    ]


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def content_admin_client(client, content_admin):
    client.force_login(content_admin)
    return client


# The rule ---------------------------------------------------------------------------------


def test_every_two_weeks_keeps_the_time_of_day_across_the_clocks_changing():
    starts = repeat_starts(first=at(2027, 3, 16, 10, 0), frequency="weekly", interval=2, count=3)
    # The clocks go forward on 28 March 2027: still 10am in London.
    assert local_starts(starts) == [
        ("2027-03-16", "10:00"),
        ("2027-03-30", "10:00"),
        ("2027-04-13", "10:00"),
    ]


def test_monthly_on_the_first_tuesday_across_months():
    starts = repeat_starts(first=at(2027, 1, 5, 10, 0), frequency="monthly", count=5)
    assert local_starts(starts) == [
        ("2027-01-05", "10:00"),
        ("2027-02-02", "10:00"),
        ("2027-03-02", "10:00"),
        ("2027-04-06", "10:00"),  # British Summer Time by then
        ("2027-05-04", "10:00"),
    ]
    assert repeat_rule_text(first=starts[0], frequency="monthly") == ("First Tuesday of each month")


def test_monthly_from_a_date_in_the_months_last_week_is_the_last_weekday():
    # 25 January 2027 is the last Monday of January (and its fourth): "last" wins, so March
    # has its last Monday (the 29th), not its fourth (the 22nd).
    assert nth_weekday(datetime.date(2027, 1, 25)) == -1
    starts = repeat_starts(first=at(2027, 1, 25, 18, 30), frequency="monthly", count=3)
    assert local_starts(starts) == [
        ("2027-01-25", "18:30"),
        ("2027-02-22", "18:30"),
        ("2027-03-29", "18:30"),
    ]
    assert repeat_rule_text(first=starts[0], frequency="monthly") == "Last Monday of each month"


def test_monthly_on_the_fourth_weekday_when_it_is_not_the_last_week():
    assert nth_weekday(datetime.date(2027, 1, 22)) == 4
    starts = repeat_starts(first=at(2027, 1, 22, 10, 0), frequency="monthly", count=3)
    assert [s.date().isoformat() for s in starts] == ["2027-01-22", "2027-02-26", "2027-03-26"]


def test_a_list_of_dates_is_in_order_once_each_at_the_first_dates_time():
    starts = repeat_starts(
        first=at(2027, 1, 5, 19, 0),
        frequency="dates",
        dates=[datetime.date(2027, 3, 9), datetime.date(2027, 1, 19), datetime.date(2027, 3, 9)],
    )
    assert local_starts(starts) == [
        ("2027-01-05", "19:00"),
        ("2027-01-19", "19:00"),
        ("2027-03-09", "19:00"),
    ]


def test_what_is_wrong_with_a_rule_is_said_field_by_field():
    event = EventFactory(starts_at=at(2027, 1, 5, 10, 0), ends_at=at(2027, 1, 5, 12, 0))
    assert series_services.repeat_problems(
        event=event, frequency="weekly", interval=0, count=1
    ) == {
        "interval": "Enter a number of weeks from 1 to 52",
        "count": "Enter a number of dates from 2 to 52",
    }
    assert series_services.repeat_problems(event=event, frequency="monthly", count=53) == {
        "count": "Enter a number of dates from 2 to 52"
    }
    assert series_services.repeat_problems(
        event=event, frequency="dates", dates=[datetime.date(2026, 12, 20)]
    ) == {"dates": "Enter dates after the first date, 5 January 2027"}
    assert series_services.repeat_problems(event=event, frequency="dates", dates=[]) == {
        "dates": "Enter at least one date after the first date"
    }
    assert series_services.repeat_problems(event=event, frequency="yearly") == {
        "frequency": "Select how often it repeats"
    }


# Making the dates --------------------------------------------------------------------------


def test_repeating_makes_a_series_of_drafts_with_their_own_places():
    event = EventFactory(
        title="Coffee morning",
        starts_at=at(2027, 1, 5, 10, 0),
        ends_at=at(2027, 1, 5, 11, 30),
        capacity=12,
    )
    series = series_services.event_repeat(event=event, frequency="monthly", count=3)

    dates = list(series.dates.order_by("starts_at"))
    assert [d.pk for d in dates][0] == event.pk
    assert [d.status for d in dates] == ["published", "draft", "draft"]
    assert local_starts([d.starts_at for d in dates]) == [
        ("2027-01-05", "10:00"),
        ("2027-02-02", "10:00"),
        ("2027-03-02", "10:00"),
    ]
    assert all(d.ends_at - d.starts_at == datetime.timedelta(hours=1, minutes=30) for d in dates)
    assert {d.capacity for d in dates} == {12}
    assert series.title == "Coffee morning"
    assert series.frequency == EventSeries.Frequency.MONTHLY

    with pytest.raises(services.BookingError, match="already repeats"):
        series_services.event_repeat(event=event, frequency="weekly", count=2)
    assert EventSeries.objects.count() == 1


def test_admin_repeat_page_shows_the_dates_then_makes_them(content_admin_client):
    event = EventFactory(
        title="Coffee morning", starts_at=at(2027, 1, 5, 10, 0), ends_at=at(2027, 1, 5, 11, 0)
    )
    url = reverse("admin:events_event_repeat", args=[event.pk])
    change = content_admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert url in change.content.decode()  # "Repeat this event", on the event's page

    bad = content_admin_client.post(url, {"frequency": "weekly", "interval": "1", "count": "1"})
    assert bad.status_code == 200
    assert bad.context["form"].errors == {"count": ["Enter a number of dates from 2 to 52"]}
    assert "There is a problem" in bad.content.decode()

    rule = {"frequency": "weekly", "interval": "2", "count": "3", "dates": ""}
    check = content_admin_client.post(url, {**rule, "continue": "Continue"})
    page = check.content.decode()
    assert "Tuesday 5 January 2027, 10am to 11am" in page
    assert "Tuesday 19 January 2027, 10am to 11am" in page
    assert "Tuesday 2 February 2027, 10am to 11am" in page
    assert "Make 2 draft dates" in page
    assert not EventSeries.objects.exists()  # only checked so far

    done = content_admin_client.post(url, {**rule, "confirm": "Make 2 draft dates"})
    series = EventSeries.objects.get()
    assert done.status_code == 302
    assert done["Location"].endswith(f"?series__id__exact={series.pk}")
    assert series.dates.count() == 3
    listing = content_admin_client.get(done["Location"], follow=True).content.decode()
    assert "2 draft dates made in the series" in listing

    # Sent again (a double click): nothing more is made, and the page says why.
    again = content_admin_client.post(url, {**rule, "confirm": "Make 2 draft dates"})
    assert "already repeats" in again.content.decode()
    assert Event.objects.count() == 3


def test_admin_repeat_on_a_list_of_dates_says_which_line_is_not_a_date(content_admin_client):
    event = EventFactory(starts_at=at(2027, 1, 5, 10, 0), ends_at=at(2027, 1, 5, 11, 0))
    url = reverse("admin:events_event_repeat", args=[event.pk])
    response = content_admin_client.post(
        url, {"frequency": "dates", "dates": "19/1/2027\n31/2/2027", "continue": "Continue"}
    )
    assert response.context["form"].errors == {
        "dates": ["Enter each date like 3/2/2027. “31/2/2027” is not a date"]
    }
    response = content_admin_client.post(
        url, {"frequency": "dates", "dates": "19/1/2027\n2027-03-09", "confirm": "Make"}
    )
    assert response.status_code == 302
    starts = Event.objects.order_by("starts_at").values_list("starts_at", flat=True)
    assert local_starts(starts) == [
        ("2027-01-05", "10:00"),
        ("2027-01-19", "10:00"),
        ("2027-03-09", "10:00"),
    ]


# Booking all the dates ---------------------------------------------------------------------


def monthly_series(count: int = 4, **fields) -> list[Event]:
    """A published coffee morning on the first Tuesday of `count` months from January 2027."""
    first = EventFactory(
        title="Coffee morning",
        starts_at=at(2027, 1, 5, 10, 0),
        ends_at=at(2027, 1, 5, 11, 30),
        **fields,
    )
    series = series_services.event_repeat(event=first, frequency="monthly", count=count)
    dates = list(series.dates.order_by("starts_at"))
    for date in dates:
        services.event_publish(event=date)
    return [Event.objects.get(pk=d.pk) for d in dates]


def test_book_all_gives_a_place_or_the_waiting_list_on_each_date_and_skips_closed_ones(
    django_capture_on_commit_callbacks,
):
    jan, feb, mar, apr = monthly_series()
    mar.capacity = 2
    mar.save()
    services.booking_create(event=mar, user=CarerProfileFactory().user)  # 1 left: too few
    apr.booking_closes_at = NOW - datetime.timedelta(hours=1)  # closed early
    apr.save()
    carer = CarerProfileFactory(user__email="nana@example.org").user
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = series_services.series_book_all(
            event=feb, user=carer, places=2, access_needs="Step-free access"
        )

    assert [(o.event.pk, o.status) for o in outcomes] == [
        (jan.pk, "confirmed"),
        (feb.pk, "confirmed"),
        (mar.pk, "waitlisted"),
        (apr.pk, "skipped"),
    ]
    assert outcomes[3].reason == "Booking for this event has closed"
    mine = dict(Booking.objects.filter(user=carer).values_list("event_id", "status"))
    assert mine == {jan.pk: "confirmed", feb.pk: "confirmed", mar.pk: "waitlisted"}
    assert set(Booking.objects.filter(user=carer).values_list("places", "access_needs")) == {
        (2, "Step-free access")
    }

    # One e-mail for every date, not one each, with one calendar file holding each date
    # with a place, under the UID the event's own file and the feed use.
    [message] = mail.outbox
    assert message.to == ["nana@example.org"]
    assert message.subject == "You're booked on 2 dates of Coffee morning"
    assert "You are on the waiting list for 1 date." in message.body
    assert "Tuesday 2 March 2027, 10am to 11:30am: on the waiting list" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert mimetype == "text/calendar"
    uids = [str(v["uid"]) for v in Calendar.from_ical(content).walk("VEVENT")]
    assert uids == [ics.event_uid(jan), ics.event_uid(feb)]
    [claim] = Notification.objects.filter(recipient=carer)
    assert claim.kind == "series_booked" and claim.status == "sent"


def test_book_all_never_books_a_date_twice(django_capture_on_commit_callbacks):
    jan, feb, mar = monthly_series(3)
    carer = CarerProfileFactory().user
    services.booking_create(event=feb, user=carer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = series_services.series_book_all(event=jan, user=carer)
        again = series_services.series_book_all(event=jan, user=carer)

    assert [o.status for o in first] == ["confirmed", "already", "confirmed"]
    assert [o.status for o in again] == ["already", "already", "already"]
    assert Booking.objects.filter(user=carer).count() == 3
    assert len(mail.outbox) == 1  # the second time booked nothing, so sent nothing


def test_book_all_with_one_date_left_to_book_sends_the_usual_confirmation(
    django_capture_on_commit_callbacks,
):
    jan, feb = monthly_series(2)
    carer = CarerProfileFactory().user
    services.booking_create(event=jan, user=carer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        series_services.series_book_all(event=jan, user=carer)
    [message] = mail.outbox
    assert message.subject == "Your place is booked: Coffee morning"


def test_nothing_is_saved_when_booking_all_fails_part_way(monkeypatch):
    jan, feb, mar = monthly_series(3)
    carer = CarerProfileFactory().user
    with pytest.raises(services.BookingError, match="1,000 characters"):
        series_services.series_book_all(event=jan, user=carer, question="x" * 1001)
    assert not Booking.objects.filter(user=carer).exists()

    real = series_services.booking_create

    def fails_on_march(*, event, **kwargs):
        if event.pk == mar.pk:
            raise RuntimeError("the database went away")
        return real(event=event, **kwargs)

    monkeypatch.setattr(series_services, "booking_create", fails_on_march)
    with pytest.raises(RuntimeError):
        series_services.series_book_all(event=jan, user=carer)
    assert not Booking.objects.filter(user=carer).exists()
    assert not Notification.objects.filter(recipient=carer).exists()


def test_too_many_places_for_every_date_is_said_beside_the_field():
    jan, feb = monthly_series(2, max_places_per_booking=2)
    carer = CarerProfileFactory().user
    with pytest.raises(services.BookingError) as error:
        series_services.series_book_all(event=jan, user=carer, places=3)
    assert error.value.field == "places"
    assert not Booking.objects.filter(user=carer).exists()


def test_the_event_page_lists_the_other_dates_and_books_them_all(
    client, django_capture_on_commit_callbacks
):
    jan, feb, mar = monthly_series(3)
    mar.capacity = 1
    mar.save()
    services.booking_create(event=mar, user=CarerProfileFactory().user)
    carer = CarerProfileFactory().user
    client.force_login(carer)

    page = client.get(jan.get_absolute_url()).content.decode()
    assert (
        "This event is one date of a series: Coffee morning. First Tuesday of each month." in page
    )
    assert "Tuesday 2 February 2027, 10am to 11:30am" in page
    assert "Tuesday 2 March 2027, 10am to 11:30am" in page
    assert "Full – join the waiting list" in page  # March
    assert "Book all 3 remaining dates" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:book_series", args=[jan.slug]),
            {"places": "1", "access_needs": "", "question": ""},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("events:series_booked", args=[jan.slug])
    result = client.get(response["Location"]).content.decode()
    assert "You're booked on 2 dates" in result
    assert "You are on the waiting list for 1 date." in result
    assert result.count("On the waiting list") == 1
    assert result.count(">Booked<") == 2

    # Back on the page, each date says where they stand; nothing is left to book.
    page = client.get(jan.get_absolute_url()).content.decode()
    assert "You have 1 place booked" in page
    assert "You are on the waiting list" in page
    assert "remaining dates" not in page


def test_a_question_too_long_is_shown_beside_the_field_and_nothing_is_booked(carer_client, carer):
    jan, feb = monthly_series(2)
    response = carer_client.post(
        reverse("events:book_series", args=[jan.slug]),
        {"places": "1", "access_needs": "", "question": "x" * 1001},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "question": ["Your question must be 1,000 characters or fewer"]
    }
    assert not Booking.objects.filter(user=carer).exists()


def test_a_booked_date_offers_the_other_dates_in_a_form_of_its_own(carer_client, carer):
    jan, feb, mar = monthly_series(3)
    services.booking_create(event=jan, user=carer)
    page = carer_client.get(jan.get_absolute_url()).content.decode()
    assert "Book all 2 remaining dates" in page
    assert page.count('name="places"') == 1  # one form on the page


def test_an_event_not_in_a_series_cannot_be_booked_all_at_once(carer_client):
    event = EventFactory()
    url = reverse("events:book_series", args=[event.slug])
    assert carer_client.post(url, {"places": "1"}).status_code == 404
    assert carer_client.get(reverse("events:series_booked", args=[event.slug])).status_code == 404


# Cancelling one date -----------------------------------------------------------------------


def test_cancelling_one_date_tells_its_bookers_once_that_the_others_go_ahead(
    django_capture_on_commit_callbacks,
):
    jan, feb, mar = monthly_series(3)
    both = CarerProfileFactory(user__email="both@example.org").user
    only_feb = CarerProfileFactory(user__email="feb@example.org").user
    series_services.series_book_all(event=jan, user=both)
    services.booking_create(event=feb, user=only_feb)  # and none of the others
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_cancel(event=feb) == 2
        services.event_cancel(event=feb)  # pressed again: nobody is told twice

    assert sorted(m.to[0] for m in mail.outbox) == ["both@example.org", "feb@example.org"]
    by_person = {m.to[0]: m for m in mail.outbox}
    for message in mail.outbox:
        assert message.subject == "Cancelled: Coffee morning on Tuesday 2 February 2027"
        assert (
            "Only this date is cancelled. The other dates of the series go ahead as planned: "
            "the next one is on Tuesday 5 January 2027, 10am." in message.body
        )
        assert jan.get_absolute_url() in message.body
    assert "Your booking for that date has not changed." in by_person["both@example.org"].body
    assert "You can book it on its event page." in by_person["feb@example.org"].body
    # Her other dates stand.
    assert set(Booking.objects.filter(user=both).values_list("event_id", "status")) == {
        (jan.pk, "confirmed"),
        (feb.pk, "cancelled"),
        (mar.pk, "confirmed"),
    }


def test_a_single_event_cancelled_says_nothing_about_other_dates(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    services.booking_create(event=event, user=CarerProfileFactory().user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event)
    [message] = mail.outbox
    assert "other dates" not in message.body


def test_each_date_is_its_own_vevent_in_the_feed(client):
    jan, feb, mar = monthly_series(3)
    profile = CarerProfileFactory()
    series_services.series_book_all(event=jan, user=profile.user)
    response = client.get(reverse("events:feed", args=[profile.calendar_token]))
    uids = [str(v["uid"]) for v in Calendar.from_ical(response.content).walk("VEVENT")]
    assert sorted(uids) == sorted(ics.event_uid(e) for e in (jan, feb, mar))


def test_content_admins_see_each_series_with_its_dates(content_admin_client):
    jan, feb, mar = monthly_series(3)
    listing = content_admin_client.get(reverse("admin:events_eventseries_changelist"))
    assert listing.status_code == 200
    assert "Coffee morning" in listing.content.decode()
    page = content_admin_client.get(
        reverse("admin:events_eventseries_change", args=[jan.series_id])
    ).content.decode()
    assert "See all its 3 dates" in page
    event_page = content_admin_client.get(
        reverse("admin:events_event_change", args=[feb.pk])
    ).content.decode()
    assert "One date of the series “Coffee morning”." in event_page
    dates = content_admin_client.get(
        reverse("admin:events_event_changelist"), {"series__id__exact": jan.series_id}
    )
    assert dates.status_code == 200
    assert dates.context["cl"].result_count == 3
