import calendar
import datetime
from collections.abc import Iterable

from django.db.models import (
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from core.models import Notification
from events.models import Booking, Event, EventMaterial, EventMessage
from resources.models import Topic


def events_for_listing(qs: QuerySet[Event] | None = None) -> QuerySet[Event]:
    qs = Event.objects.all() if qs is None else qs
    return (
        qs.with_places()
        .with_waiting()
        .select_related("local_authority")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )


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
        .order_by("event__starts_at")
    )
    for booking in bookings:
        booking.recording = booking.event.recording_for(user)  # linked only if they may open it
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
    month's own days and the days of the months either side that fill its first and last weeks."""
    by_day: dict[datetime.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    return [
        [
            {"date": day, "in_month": day.month == month, "events": by_day.get(day, [])}
            for day in week
        ]
        for week in _month_weeks(year, month)
    ]


def events_in_month_grid(year: int, month: int) -> list[Event]:
    """Published events starting on any day the month's grid shows, from the Monday of its first
    week to the Sunday of its last, in start order: one query, and one for their topics."""
    weeks = _month_weeks(year, month)
    return list(
        events_for_listing(
            Event.objects.published().filter(
                starts_at__gte=_london_midnight(weeks[0][0]),
                starts_at__lt=_london_midnight(weeks[-1][-1] + datetime.timedelta(days=1)),
            )
        ).order_by("starts_at", "pk")
    )


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
