import calendar
import datetime
from collections.abc import Iterable

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from events.models import Booking, Event
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
    return Booking.objects.filter(
        event=event, user=user, status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]
    ).first()


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
    return {
        "upcoming": [
            b for b in bookings if b.status == Booking.Status.CONFIRMED and b.event.ends_at >= now
        ],
        "waiting": [
            b for b in bookings if b.status == Booking.Status.WAITLISTED and b.event.ends_at >= now
        ],
        "past": [
            b
            for b in reversed(bookings)
            if b.status == Booking.Status.CONFIRMED and b.event.ends_at < now
        ][:10],
    }


def month_grid(year: int, month: int, events: list[Event]) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the events starting that day (London time)."""
    by_day: dict[datetime.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {"date": day, "in_month": day.month == month, "events": by_day.get(day, [])}
                for day in week
            ]
        )
    return weeks


def events_in_month(year: int, month: int) -> list[Event]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return list(
        events_for_listing(
            Event.objects.published().filter(starts_at__gte=start, starts_at__lt=end)
        ).order_by("starts_at")
    )


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
