import calendar
import datetime
from collections.abc import Iterable

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Notification
from events.models import Booking, Event, EventMaterial, EventMessage, EventSession
from resources.models import Topic


def events_for_listing(qs: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Events with places, waiting list, council, series, topics and `session_count` (a
    course's sessions; 0 for a single event), in one query and one for their topics."""
    qs = Event.objects.all() if qs is None else qs
    return (
        qs.with_places()
        .with_waiting()
        .annotate(session_count=_session_count())
        .select_related("local_authority", "series")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )


def _session_count():
    """How many sessions each event (a course) has, cancelled ones too: a subquery."""
    sessions = (
        EventSession.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sessions), 0, output_field=IntegerField())


def active_booking(*, event: Event, user) -> Booking | None:
    if not user.is_authenticated:
        return None
    booking = Booking.objects.filter(
        event=event, user=user, status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]
    ).first()
    if booking is not None:
        booking.event = event  # the caller's copy: booking.join_link reads it with no query
    return booking


def waiting_position(booking: Booking) -> int:
    """1 for the first in the queue."""
    return (
        Booking.objects.filter(event_id=booking.event_id, status=Booking.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=booking.created_at)
            | Q(created_at=booking.created_at, pk__lt=booking.pk)
        )
        .count()
        + 1
    )


def bookings_for_dashboard(user) -> dict[str, list[Booking]]:
    now = timezone.now()
    bookings = list(
        Booking.objects.filter(user=user)
        .select_related("event", "event__recording")
        .annotate(**_next_session(now))
        .order_by("event__starts_at")
    )
    for booking in bookings:
        booking.recording = booking.event.recording_for(user)  # linked only if they may open it
        if booking.session_count and booking.next_session_starts:
            # A course: joining online opens for each session (events/includes/join.html).
            booking.join_booking = booking_for_session(
                booking, booking.next_session_starts, booking.next_session_ends
            )
    past = [
        b
        for b in reversed(bookings)
        if b.status == Booking.Status.CONFIRMED and b.event.ends_at < now
    ][:10]
    # Their events' materials in one query, however many (none when there is nothing past).
    prefetch_related_objects([b.event for b in past], _ready_materials())
    for booking in past:
        booking.materials = materials_shown(booking.event.ready_materials, user=user, booked=True)
    return {
        "upcoming": [
            b for b in bookings if b.status == Booking.Status.CONFIRMED and b.event.ends_at >= now
        ],
        "waiting": [
            b for b in bookings if b.status == Booking.Status.WAITLISTED and b.event.ends_at >= now
        ],
        "past": past,
    }


def _ready_materials() -> Prefetch:
    """An event's ready materials, with their resources, as `event.ready_materials`."""
    return Prefetch(
        "materials",
        queryset=EventMaterial.objects.filter(ready=True).select_related("resource"),
        to_attr="ready_materials",
    )


def ready_materials(event: Event) -> list[EventMaterial]:
    """The recordings and materials a curator has checked, once the event has ended (none
    before, and no query). For who may see which: materials_shown."""
    if not event.has_ended:
        return []
    if not hasattr(event, "ready_materials"):
        prefetch_related_objects([event], _ready_materials())
    return event.ready_materials


def materials_shown(
    materials: Iterable[EventMaterial], *, user, booked: bool
) -> list[EventMaterial]:
    """Those of `materials` (ready ones, after the event) this person may see, each with
    `.link`: those for everyone; those for people who booked only if `booked` (a confirmed
    place: never the waiting list, never a visitor); a library resource only if they may read
    it (Resource.is_visible_to), else it is left out."""
    shown = []
    for material in materials:
        if not (material.for_everyone or booked):
            continue
        material.link = material.link_for(user)
        if material.link:
            shown.append(material)
    return shown


def month_grid(year: int, month: int, events: list[Event]) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the events starting that day (London time): the
    month's own days and the days of the months either side that fill its first and last weeks.

    A course is on the day of each of its sessions in the grid (events_in_month_grid), as a
    copy with that session's times (`course_session`)."""
    by_day: dict[datetime.date, list[Event]] = {}
    for event in events:
        for shown in _on_each_session(event):
            by_day.setdefault(timezone.localtime(shown.starts_at).date(), []).append(shown)
    for day_events in by_day.values():
        day_events.sort(key=lambda e: (e.starts_at, e.pk))
    return [
        [
            {"date": day, "in_month": day.month == month, "events": by_day.get(day, [])}
            for day in week
        ]
        for week in _month_weeks(year, month)
    ]


def events_in_month_grid(year: int, month: int) -> list[Event]:
    """Published events starting on any day the month's grid shows, from the Monday of its first
    week to the Sunday of its last, in start order: one query, and one for their topics.

    Courses with a session on those days too, each with `grid_sessions` (those sessions,
    not cancelled): one more query when there are courses."""
    weeks = _month_weeks(year, month)
    since = _london_midnight(weeks[0][0])
    until = _london_midnight(weeks[-1][-1] + datetime.timedelta(days=1))
    in_grid = EventSession.objects.filter(
        cancelled_at__isnull=True, starts_at__gte=since, starts_at__lt=until
    )
    events = list(
        events_for_listing(
            Event.objects.published().filter(
                Q(starts_at__gte=since, starts_at__lt=until)
                | Exists(in_grid.filter(event=OuterRef("pk")))
            )
        ).order_by("starts_at", "pk")
    )
    courses = [event for event in events if event.session_count]
    prefetch_related_objects(
        courses,
        Prefetch("sessions", queryset=in_grid.order_by("starts_at"), to_attr="grid_sessions"),
    )
    return events


CALENDAR_LOOKAHEAD_MONTHS = 12


def calendar_opening_month(now: datetime.datetime | None = None) -> datetime.date:
    """The month the calendar opens on when none is asked for (its first day): this month while
    it has events still to come, else the next month with one, up to 12 months ahead; with
    nothing to come in that time, this month."""
    now = now or timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    # The first month not looked at, as a count of months from January of this year (0).
    months = this_month.month + CALENDAR_LOOKAHEAD_MONTHS
    horizon = datetime.date(this_month.year + months // 12, months % 12 + 1, 1)
    next_start = (
        Event.objects.upcoming(now)
        .exclude(status=Event.Status.CANCELLED)
        .filter(starts_at__lt=_london_midnight(horizon))
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if next_start is None:
        return this_month
    # An event that began last month and is still running keeps this month.
    return max(this_month, timezone.localdate(next_start).replace(day=1))


def _month_weeks(year: int, month: int) -> list[list[datetime.date]]:
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def _london_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def attendee_bookings(event_ids: Iterable[int]) -> QuerySet[Booking]:
    """Active bookings of these events: per event, confirmed first, then the waiting list in order."""
    return (
        Booking.objects.filter(
            event_id__in=list(event_ids),
            status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
        )
        .select_related("event", "user", "booked_by")
        .annotate(
            queue=Case(When(status=Booking.Status.CONFIRMED, then=Value(0)), default=Value(1))
        )
        .order_by("event__starts_at", "event_id", "queue", "created_at", "pk")
    )


# Messages to an event's people ------------------------------------------------------------

# Who each group of EventMessage.Audience is: people with an account (not closed) whose
# booking is in the group. One active booking per person per event, so one booking each.
_AUDIENCE = {
    EventMessage.Audience.CONFIRMED: Q(status=Booking.Status.CONFIRMED),
    EventMessage.Audience.WAITING: Q(status=Booking.Status.WAITLISTED),
    EventMessage.Audience.ATTENDED: Q(status=Booking.Status.CONFIRMED, attended=True),
}


def message_bookings(*, event_id: int, audience: str) -> QuerySet[Booking]:
    """The bookings whose people a message to `audience` reaches now, with their people."""
    return (
        Booking.objects.filter(_AUDIENCE[audience], event_id=event_id, user__isnull=False)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def audience_sizes(event: Event) -> dict[str, int]:
    """How many people each group of EventMessage.Audience holds now, in one query."""
    return Booking.objects.filter(event=event, user__isnull=False).aggregate(
        **{audience.value: Count("pk", filter=q) for audience, q in _AUDIENCE.items()}
    )


# Ledger statuses as an admin reads them: sent, still to go, failed (or not known), not needed
# (the person had left the group by the time it was sent).
_OUTCOMES = {
    Notification.Status.SENT: "sent",
    Notification.Status.PENDING: "pending",
    Notification.Status.SENDING: "pending",
    Notification.Status.FAILED: "failed",
    Notification.Status.UNKNOWN: "failed",
    Notification.Status.SKIPPED: "skipped",
}


def event_messages(event: Event) -> list[EventMessage]:
    """The messages sent about this event, newest first, each with `outcomes`: how many of
    its e-mails the ledger holds as sent, pending, failed and skipped. Two queries."""
    messages = list(
        EventMessage.objects.filter(event=event)
        .select_related("sent_by")
        .order_by("-created_at", "-pk")
    )
    if not messages:
        return messages
    by_key = {message.notification_key: message for message in messages}
    for message in messages:
        message.outcomes = dict.fromkeys(("sent", "pending", "failed", "skipped"), 0)
    rows = (
        Notification.objects.filter(kind=Notification.Kind.EVENT_MESSAGE, key__in=by_key)
        .values_list("key", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for key, status, n in rows:
        by_key[key].outcomes[_OUTCOMES[status]] += n
    return messages


# Series and courses -----------------------------------------------------------------------


def _next_session(now) -> dict:
    """For a booking of a course: its next session still on and not over, as
    `next_session_starts`, `next_session_ends` and `next_session_number` (from 1, counting
    every session), and the course's `session_count`; None and 0 for a single event.
    Subqueries of the bookings' own query: no query more, however many bookings."""
    upcoming = EventSession.objects.filter(
        event=OuterRef("event"), cancelled_at__isnull=True, ends_at__gt=now
    ).order_by("starts_at", "pk")
    before_next = (
        EventSession.objects.filter(
            event=OuterRef("event"), starts_at__lte=OuterRef("next_session_starts")
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    every = (
        EventSession.objects.filter(event=OuterRef("event"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "next_session_starts": Subquery(upcoming.values("starts_at")[:1]),
        "next_session_ends": Subquery(upcoming.values("ends_at")[:1]),
        "next_session_number": Subquery(before_next, output_field=IntegerField()),
        "session_count": Coalesce(Subquery(every), 0, output_field=IntegerField()),
    }


def _on_each_session(event: Event) -> list[Event]:
    """The event itself; for a course, a copy of it for each of its `grid_sessions`, with that
    session's start and end and `course_session` set to it."""
    sessions = getattr(event, "grid_sessions", None)
    if not event.session_count or sessions is None:
        return [event]
    shown = []
    for session in sessions:
        copy = _copy(event)
        copy.starts_at, copy.ends_at, copy.course_session = (
            session.starts_at,
            session.ends_at,
            session,
        )
        shown.append(copy)
    return shown


def _copy(thing):
    import copy

    return copy.copy(thing)


def booking_for_session(booking: Booking, starts_at, ends_at) -> Booking:
    """A copy of a course's booking whose event has one session's start and end, for what
    goes by them: the "Join the event" button from 15 minutes before each session."""
    session_booking, course = _copy(booking), _copy(booking.event)
    course.starts_at, course.ends_at = starts_at, ends_at
    session_booking.event = course
    return session_booking


def course_sessions(event: Event) -> list[EventSession]:
    """A course's sessions, all of them in order, numbered from 1 (`.number`); none, with no
    query, for an event that is not a course (events_for_listing's `session_count`)."""
    from events.dates import numbered

    if not getattr(event, "session_count", True):
        return []
    return numbered(EventSession.objects.filter(event=event).order_by("starts_at", "pk"))


def series_dates(*, event: Event, user, now=None, others_only: bool = True) -> list[Event]:
    """The other dates (or with `others_only=False`, all the dates) of `event`'s series that
    have not ended, published or cancelled, in order, with places and waiting list, and
    `my_status`: the person's booking on each (confirmed, waitlisted, or None). One query;
    none for an event not in a series."""
    if event.series_id is None:
        return []
    now = now or timezone.now()
    dates = (
        Event.objects.published()
        .filter(series_id=event.series_id, ends_at__gte=now)
        .with_places()
        .with_waiting()
        .order_by("starts_at", "pk")
    )
    if others_only:
        dates = dates.exclude(pk=event.pk)
    if user.is_authenticated:
        mine = Booking.objects.filter(
            event=OuterRef("pk"),
            user=user,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
        )
        dates = dates.annotate(my_status=Subquery(mine.values("status")[:1]))
    return list(dates)


def series_dates_to_book(*, series_id: int, now=None) -> QuerySet[Event]:
    """The dates of a series still to start that are open, in the order they are booked
    (and so locked: always the same order, so two people booking at once never deadlock)."""
    return Event.objects.filter(
        series_id=series_id,
        status=Event.Status.PUBLISHED,
        starts_at__gt=now or timezone.now(),
    ).order_by("starts_at", "pk")


def series_and_sessions(*, event: Event, user, booking, eligible_field, form) -> dict:
    """What the event page shows of a course and of a series: a course's `sessions`
    (numbered) and `course_summary`; a series' other dates to come (`series_dates`, each
    with the person's `my_status`), its rule in words, how many dates the person could book
    at once (`series_to_book`, this one included) and whether to offer it, in the booking
    form or (`series_form_separate`) in a form of its own when the booking form is not shown
    (they have a place on this date, or this date is closed). No query for a single event.

    `eligible_field`: what booking_check found wrong with booking this date (None if
    nothing): a problem with the person ("user") rules out every date."""
    from events import dates as rules

    sessions = course_sessions(event)
    now = timezone.now()
    following = next((s for s in sessions if not s.cancelled_at and s.ends_at > now), None)
    context = {
        "sessions": sessions,
        "course_summary": rules.course_summary(sessions),
        # A course: joining online opens for each session, the next one here.
        "join_booking": booking_for_session(booking, following.starts_at, following.ends_at)
        if booking is not None and following is not None
        else booking,
        "series_dates": [],
        "series_to_book": 0,
        "can_book_series": False,
        "series_form_separate": False,
    }
    if event.series_id is None:
        return context
    others = series_dates(event=event, user=user)
    to_book = [d for d in others if d.booking_is_open() and not getattr(d, "my_status", None)]
    count = len(to_book) + (booking is None and event.booking_is_open())
    can_book = user.is_authenticated and count >= 2 and eligible_field != "user"
    booking_form_shown = (
        user.is_authenticated and booking is None and (eligible_field is None or form.errors)
    )
    context.update(
        series_dates=others,
        series_rule=rules.repeat_rule_text(
            first=event.starts_at, frequency=event.series.frequency, interval=event.series.interval
        ),
        series_to_book=count,
        can_book_series=can_book,
        series_form_separate=can_book and not booking_form_shown,
    )
    return context


# A person's own copy of their data (carers' and professionals' "download your data") ------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def bookings_exported(bookings) -> list[dict]:
    """A person's bookings as they appear in the copy of their data they download."""
    return [
        {
            "event": booking.event.title,
            "starts_at": _iso(booking.event.starts_at),
            "ends_at": _iso(booking.event.ends_at),
            "organiser": booking.event.organiser or None,
            "places": booking.places,
            "status": booking.get_status_display(),
            "access_needs": booking.access_needs or None,
            "question_for_the_speaker": booking.question or None,
            "booked_at": _iso(booking.created_at),
            "cancelled_at": _iso(booking.cancelled_at),
            "attended": booking.attended,
        }
        for booking in bookings
    ]


def feedback_exported(bookings_with_feedback) -> list[dict]:
    """The ratings a person gave, for the copy of their data they download."""
    return [
        {
            "event": booking.event.title,
            "rating": booking.feedback.rating,
            "comment": booking.feedback.comment or None,
            "given_at": _iso(booking.feedback.created_at),
        }
        for booking in bookings_with_feedback
    ]
