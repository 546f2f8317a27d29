"""Series and courses.

A series is a run of dates, each an Event of its own (places, waiting list, reminders,
calendar entry, cancelling): `event_repeat` makes the dates from one event by a rule, and
`series_book_all` books a person on every date still to come, date by date through
booking_create, so each date keeps its own rules.

A course is one Event with sessions (EventSession): one booking holds one place across
every session, while calendars and reminders go out for each session (events.ics,
reminders_claim_due). The course's starts_at and ends_at are its first session's start and
its last session's end (`event_sessions_sync`); `session_cancel` calls off one session and
tells the bookers. event_duplicate copies a course's sessions.

These build on the booking services (events.services), which never call back here.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core import generations
from events import dates as rules
from events import selectors, series_notifications
from events.models import Booking, Event, EventSeries, EventSession
from events.services import (
    ACTIVE,
    BookingError,
    _lock,
    booking_create,
    booking_person_check,
    event_duplicate,
    notifications,
)

# Repeat rules -----------------------------------------------------------------------------


def repeat_problems(
    *,
    event: Event,
    frequency: str,
    interval: int | None = 1,
    count: int | None = 0,
    dates: list[datetime.date] | tuple = (),
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """What is wrong with repeating `event` by this rule, by field ("frequency", "interval",
    "count", "dates"): every problem at once, so a form can show each beside its field.
    Empty when the rule can be used."""
    problems = {}
    now = now or timezone.now()
    first = timezone.localtime(event.starts_at).date()
    if frequency not in (rules.WEEKLY_REPEAT, rules.MONTHLY_REPEAT, rules.DATES_REPEAT):
        problems["frequency"] = _("Select how often it repeats")
        return problems
    if frequency == rules.WEEKLY_REPEAT and not (interval and 1 <= interval <= 52):
        problems["interval"] = _("Enter a number of weeks from 1 to 52")
    if frequency in (rules.WEEKLY_REPEAT, rules.MONTHLY_REPEAT) and not (
        count and rules.MIN_DATES <= count <= rules.MAX_DATES
    ):
        problems["count"] = _("Enter a number of dates from %(min)s to %(max)s") % {
            "min": rules.MIN_DATES,
            "max": rules.MAX_DATES,
        }
    if frequency == rules.DATES_REPEAT:
        later = {day for day in dates if day != first}
        today = timezone.localdate(now)
        if not later:
            problems["dates"] = _("Enter at least one date after the first date")
        elif any(day < first for day in later):
            problems["dates"] = _("Enter dates after the first date, %(date)s") % {
                "date": date_format(first, "j F Y")
            }
        elif any(day < today for day in later):
            problems["dates"] = _("Enter dates in the future")
        elif len(later) + 1 > rules.MAX_DATES:
            problems["dates"] = _("Enter up to %(count)s dates") % {"count": rules.MAX_DATES - 1}
    return problems


def _raise_first(problems: dict[str, str]) -> None:
    if problems:
        field, problem = next(iter(problems.items()))
        raise BookingError(problem, field=field)


@transaction.atomic
def event_repeat(
    *,
    event: Event,
    frequency: str,
    interval: int = 1,
    count: int = 0,
    dates: list[datetime.date] | tuple = (),
) -> EventSeries:
    """Make `event` the first date of a new series, and a draft copy of it for each of the
    other dates of the rule (event_duplicate: same details, its own places). The copies
    wait for a content admin to check and publish them. Returns the series."""
    given, event = event, _lock(event)
    if event.series_id is not None:
        raise BookingError(
            _("This event already repeats. Its other dates are in the series “%(title)s”")
            % {"title": event.series.title},
            field="frequency",
        )
    _raise_first(
        repeat_problems(
            event=event, frequency=frequency, interval=interval, count=count, dates=dates
        )
    )
    starts = rules.repeat_starts(
        first=event.starts_at, frequency=frequency, interval=interval, count=count, dates=dates
    )
    series = EventSeries.objects.create(
        title=event.title,
        title_cy=event.title_cy,
        frequency=frequency,
        interval=interval if frequency == rules.WEEKLY_REPEAT else 1,
    )
    event.series = given.series = series
    event.save(update_fields=["series", "updated_at"])
    for start in starts[1:]:
        event_duplicate(event=event, starts_at=start, series=series)
    return series


# Courses ----------------------------------------------------------------------------------


@transaction.atomic
def course_sessions_add(
    *,
    event: Event,
    frequency: str,
    interval: int = 1,
    count: int = 0,
    dates: list[datetime.date] | tuple = (),
) -> list[EventSession]:
    """Make `event` a course: a session at each date of the rule, the first at the event's
    own start, each as long as the event. Only for an event with no sessions yet (change
    those in the list of sessions). Returns the sessions."""
    event = _lock(event)
    if event.sessions.exists():
        raise BookingError(
            _("This course already has sessions. Change them in the list of sessions"),
            field="frequency",
        )
    _raise_first(
        repeat_problems(
            event=event, frequency=frequency, interval=interval, count=count, dates=dates
        )
    )
    length = event.ends_at - event.starts_at
    sessions = EventSession.objects.bulk_create(
        EventSession(event=event, starts_at=start, ends_at=start + length)
        for start in rules.repeat_starts(
            first=event.starts_at, frequency=frequency, interval=interval, count=count, dates=dates
        )
    )
    generations.bump("events")  # bulk_create sends no signal (events.signals)
    event_sessions_sync(event=event)
    return sessions


@transaction.atomic
def event_sessions_sync(*, event: Event) -> Event:
    """Keep a course's start and end those of its first and last sessions still on (the
    booking deadline, lists and reminders go by them). Nothing when it has none."""
    given, event = event, _lock(event)
    span = event.sessions.filter(cancelled_at__isnull=True).aggregate(
        first=Min("starts_at"), last=Max("ends_at")
    )
    if span["first"] is None:
        return event
    if (event.starts_at, event.ends_at) != (span["first"], span["last"]):
        event.starts_at, event.ends_at = span["first"], span["last"]
        event.save(update_fields=["starts_at", "ends_at", "updated_at"])
    # The caller's copy too (event_duplicate returns its copy; the admin shows its form's).
    given.starts_at, given.ends_at, given.updated_at = (
        event.starts_at,
        event.ends_at,
        event.updated_at,
    )
    return event


@transaction.atomic
def session_cancel(*, session: EventSession) -> int:
    """Call off one session of a course: the course goes ahead. Everyone with a confirmed
    place is told once (their calendars mark the session cancelled). Returns how many were
    told. To call off the whole course, cancel the event."""
    event = _lock(session.event)
    session = EventSession.objects.select_for_update().get(pk=session.pk)
    if session.cancelled_at is not None or event.status == Event.Status.CANCELLED:
        return 0
    if session.starts_at <= timezone.now():
        raise BookingError(_("This session has already started, so it cannot be cancelled"))
    if not event.sessions.filter(cancelled_at__isnull=True).exclude(pk=session.pk).exists():
        raise BookingError(
            _("This is the only session of the course still on. Cancel the whole course instead")
        )
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at"])
    event_sessions_sync(event=event)
    if event.status != Event.Status.PUBLISHED:
        return 0  # a draft: nobody has booked it
    told = 0
    for booking in event.bookings.filter(
        status=Booking.Status.CONFIRMED, user__isnull=False
    ).select_related("user"):
        if series_notifications.session_cancelled(booking, session):
            told += 1
    return told


# Booking every date of a series -----------------------------------------------------------


@dataclasses.dataclass
class DateOutcome:
    """What booking all dates did for one date: a booking made, a place held already, or
    why it could not be booked."""

    event: Event
    booking: Booking | None = None
    already: bool = False
    reason: str = ""

    @property
    def status(self) -> str:
        if self.booking is not None:
            return self.booking.status  # confirmed or waitlisted
        return "already" if self.already else "skipped"


@transaction.atomic
def series_book_all(
    *,
    event: Event,
    user: User,
    places: int = 1,
    access_needs: str = "",
    question: str = "",
) -> list[DateOutcome]:
    """Book `user` on every date still to come of `event`'s series that they have not
    booked: a place on each where there is room, the waiting list where it is full, each
    through booking_create (its checks, its lock on the date). A date that cannot be booked
    (booking closed or not open yet, only for another council's carers) is skipped with the
    reason. They get one e-mail for all the dates booked, with each date in its calendar file.

    Raises BookingError, booking nothing, for what is wrong with the request itself (their
    email address not confirmed, the question too long, or too many places for every date).
    Returns each date's outcome, in date order."""
    if event.series_id is None:
        raise BookingError(_("This event is not one of a series"))
    booking_person_check(user=user)
    dates = list(selectors.series_dates_to_book(series_id=event.series_id))
    held = set(
        Booking.objects.filter(user=user, event__in=dates, status__in=ACTIVE).values_list(
            "event_id", flat=True
        )
    )
    outcomes: list[DateOutcome] = []
    places_problem = None
    for date in dates:
        if date.pk in held:
            outcomes.append(DateOutcome(event=date, already=True))
            continue
        try:
            booking = booking_create(
                event=date,
                user=user,
                places=places,
                access_needs=access_needs,
                question=question,
                tell=False,
            )
        except BookingError as error:
            if error.field == "question":
                raise
            if error.field == "places":
                places_problem = places_problem or error
            outcomes.append(DateOutcome(event=date, reason=str(error)))
        else:
            outcomes.append(DateOutcome(event=date, booking=booking))
    made = [outcome.booking for outcome in outcomes if outcome.booking is not None]
    if not made and places_problem is not None:
        raise places_problem  # no date has room for that many: say so beside the field
    if len(made) == 1:
        booking = made[0]
        if booking.status == Booking.Status.CONFIRMED:
            notifications.booking_confirmed(booking)
        else:
            notifications.booking_waitlisted(booking)
    elif made:
        series_notifications.series_booked(made)
    return outcomes
