"""Reads for professionals' pages: their bookings and training record, an event's register,
and what a certificate says."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Booking, Event, EventSession
from professionals.models import ProfessionalProfile
from resources.models import Audience

# Events with these audiences give certificates of attendance, and so do training courses.
CERTIFICATE_AUDIENCES = {Audience.PROFESSIONALS, Audience.SCHOOLS}


def gives_certificates(event: Event) -> bool:
    return bool(CERTIFICATE_AUDIENCES & set(event.audiences)) or event.kind == Event.Kind.TRAINING


def has_certificate(booking: Booking) -> bool:
    """Someone with a place who was marked present at an event that gives certificates."""
    return (
        booking.status == Booking.Status.CONFIRMED
        and booking.attended is True
        and gives_certificates(booking.event)
    )


def _sessions() -> Prefetch:
    """A booking's event's sessions (a course's), in order."""
    return Prefetch("event__sessions", queryset=EventSession.objects.order_by("starts_at", "pk"))


def _held_sessions(event: Event) -> list:
    """A course's sessions that took place (a cancelled session did not)."""
    return [s for s in event.sessions.all() if getattr(s, "cancelled_at", None) is None]


def event_duration(event: Event) -> datetime.timedelta:
    """How long it lasted: a course's sessions added up, otherwise start to end."""
    sessions = _held_sessions(event)
    if sessions:
        return sum((s.ends_at - s.starts_at for s in sessions), datetime.timedelta())
    return event.ends_at - event.starts_at


def event_days(event: Event) -> list[datetime.date]:
    """The days it took place on, in London: each session's, or the event's own."""
    starts = [s.starts_at for s in _held_sessions(event)] or [event.starts_at]
    return sorted({timezone.localdate(start) for start in starts})


def certificate_booking(*, user, booking_id: int) -> Booking | None:
    """This person's own booking with a certificate, or None (for anyone else's, too)."""
    if not user.is_authenticated:
        return None
    booking = (
        Booking.objects.filter(pk=booking_id, user=user)
        .select_related("event", "user")
        .prefetch_related(_sessions())
        .first()
    )
    return booking if booking is not None and has_certificate(booking) else None


def training_record(user) -> dict:
    """A person's bookings, for their training page. Two queries, however many:
    - upcoming: confirmed places at events still to end, and waiting list places;
    - attended: events they were marked present at, newest first, each with `duration`,
      `days` and `certificate` (whether there is one to download);
    - total: the time spent at them all."""
    now = timezone.now()
    bookings = list(
        Booking.objects.filter(
            user=user, status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]
        )
        .select_related("event")
        .prefetch_related(_sessions())
        .order_by("event__starts_at", "pk")
    )
    upcoming = [b for b in bookings if b.event.ends_at >= now and b.attended is not True]
    attended = [
        b for b in reversed(bookings) if b.status == Booking.Status.CONFIRMED and b.attended
    ]
    for booking in attended:
        booking.duration = event_duration(booking.event)
        booking.days = event_days(booking.event)
        booking.certificate = has_certificate(booking)
    return {
        "upcoming": upcoming,
        "attended": attended,
        "total": sum((b.duration for b in attended), datetime.timedelta()),
    }


def register_bookings(event: Event) -> QuerySet[Booking]:
    """The confirmed places at an event, by surname, with what the register shows of each
    person (their professional profile or Virtual School) in the same query."""
    return (
        Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED)
        .select_related(
            "user",
            "user__professional_profile",
            "user__staff_membership__virtual_school",
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


def professional_profile(user) -> ProfessionalProfile | None:
    """A professional's profile with their council, kept on the user for who_they_are."""
    if not user.is_professional:
        return None
    profile = (
        ProfessionalProfile.objects.select_related("local_authority").filter(user=user).first()
    )
    if profile is not None:
        user.professional_profile = profile
    return profile


def who_they_are(user) -> tuple[str, str]:
    """(role, organisation) as the register shows them: a professional's own, Virtual School
    staff's team, or "Kinship carer". Reads only what register_bookings fetched."""
    if user is None:
        return "", ""
    profile = getattr(user, "professional_profile", None) if user.is_professional else None
    if profile is not None:
        return profile.role_label, profile.organisation
    membership = user.school_membership
    if membership is not None:
        return str(ProfessionalProfile.Role.VIRTUAL_SCHOOL.label), membership.virtual_school.name
    if user.is_carer:
        return _("Kinship carer"), ""
    return "", ""
