"""Reads for professionals' pages: their bookings and training record, an event's register,
and what a certificate says."""

import dataclasses
import datetime

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from carers.selectors import EMAIL_STATUS_FOR_CARER, emails_exported
from core.models import Notification
from events.models import Booking, Event, EventSession
from events.selectors import bookings_exported, feedback_exported
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


# Their data, and closing their account ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ProfessionalData:
    """Everything the portal holds about one professional: model instances, so that a page
    shows labels and dates its own way; professional_export makes plain values of them. Each
    e-mail carries `status_label`, the words the person reads."""

    user: User
    profile: ProfessionalProfile  # with its council area
    email_addresses: list[EmailAddress]
    bookings: list[Booking]  # every booking, cancelled ones too, with its event and feedback
    emails: list[Notification]  # the notification ledger's rows for them, newest first

    @property
    def bookings_with_feedback(self) -> list[Booking]:
        return [booking for booking in self.bookings if hasattr(booking, "feedback")]


def professional_data(*, user: User) -> ProfessionalData | None:
    """Read everything about a professional, one query per group whatever the amount: the
    profile with its council, e-mail addresses, bookings with their events and feedback, and
    the e-mails sent: 4. None for someone who is not a professional."""
    profile = professional_profile(user)
    if profile is None:
        return None
    emails = list(Notification.objects.filter(recipient=user).defer("payload", "last_error"))
    for email in emails:
        email.status_label = str(
            EMAIL_STATUS_FOR_CARER.get(email.status, email.get_status_display())
        )
    return ProfessionalData(
        user=user,
        profile=profile,
        email_addresses=list(EmailAddress.objects.filter(user=user).order_by("-primary", "email")),
        bookings=list(
            Booking.objects.filter(user=user)
            .select_related("event", "feedback")
            .defer("event__description", "event__description_html", "event__join_url")
            .order_by("event__starts_at", "pk")
        ),
        emails=emails,
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def professional_export(*, data: ProfessionalData) -> dict:
    """The same, as plain data for a JSON download."""
    user, profile = data.user, data.profile
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in data.email_addresses
            ],
        },
        "professional": {
            "role": profile.role_label,
            "organisation": profile.organisation,
            "council_area_you_work_in": (
                profile.local_authority.name if profile.local_authority else None
            ),
            "event_reminders": profile.reminders_enabled,
            "signed_up_at": _iso(profile.created_at),
        },
        "bookings": bookings_exported(data.bookings),
        "event_feedback": feedback_exported(data.bookings_with_feedback),
        "emails_sent": emails_exported(data.emails),
    }


def account_deletion_preview(*, user: User) -> dict:
    """What closing this professional's account will do, for the page that asks them to
    confirm: the places it will give up, and how many events they are recorded at."""
    now = timezone.now()
    return {
        "future_bookings": list(
            Booking.objects.filter(
                user=user,
                status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
                event__starts_at__gt=now,
            )
            .select_related("event")
            .order_by("event__starts_at", "pk")
        ),
        "certificates": sum(
            has_certificate(booking)
            for booking in Booking.objects.filter(
                user=user, status=Booking.Status.CONFIRMED, attended=True
            ).select_related("event")
        ),
    }
