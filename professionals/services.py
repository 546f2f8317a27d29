"""Professionals' accounts, the attendance register, and certificates of attendance."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.i18n import language_of
from core.mail import render_email
from core.models import Notification
from core.notify import notify, queue_email
from events.models import Booking, Event
from events.services import BookingError, booking_cancel, booking_mark_attendance
from professionals import selectors
from professionals.models import ProfessionalProfile
from schools.models import LocalAuthority


class ProfessionalError(Exception):
    """A professional's details cannot be saved; the message says why, `field` beside what."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(*, role: str, role_other: str, organisation: str) -> None:
    if role not in ProfessionalProfile.Role.values:
        raise ProfessionalError(_("Select your role"), field="role")
    if role == ProfessionalProfile.Role.OTHER and not role_other.strip():
        raise ProfessionalError(_("Enter your role"), field="role_other")
    if not organisation.strip():
        raise ProfessionalError(_("Enter the name of your organisation"), field="organisation")


@transaction.atomic
def professional_profile_create(
    *,
    user: User,
    role: str,
    organisation: str,
    role_other: str = "",
    local_authority: LocalAuthority | None = None,
) -> ProfessionalProfile:
    """Make someone a professional: they book professionals' events and are not a carer."""
    _check(role=role, role_other=role_other, organisation=organisation)
    if hasattr(user, "carer_profile") or user.is_staff or user.is_school_staff:
        raise ProfessionalError(_("This account is already a carer's or a member of staff's"))
    profile = ProfessionalProfile.objects.create(
        user=user,
        role=role,
        role_other=role_other.strip() if role == ProfessionalProfile.Role.OTHER else "",
        organisation=" ".join(organisation.split()),
        local_authority=local_authority,
    )
    user.is_professional = True
    user.save(update_fields=["is_professional"])
    return profile


@transaction.atomic
def professional_profile_update(
    *,
    profile: ProfessionalProfile,
    first_name: str,
    last_name: str,
    role: str,
    organisation: str,
    role_other: str = "",
    local_authority: LocalAuthority | None = None,
) -> ProfessionalProfile:
    """Change a professional's name (as certificates show it), role, organisation or area."""
    _check(role=role, role_other=role_other, organisation=organisation)
    if not first_name.strip():
        raise ProfessionalError(_("Enter your first name"), field="first_name")
    if not last_name.strip():
        raise ProfessionalError(_("Enter your last name"), field="last_name")
    profile.role = role
    profile.role_other = role_other.strip() if role == ProfessionalProfile.Role.OTHER else ""
    profile.organisation = " ".join(organisation.split())
    profile.local_authority = local_authority
    profile.save()
    user = profile.user
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return profile


@transaction.atomic
def professional_preferences_update(
    *, profile: ProfessionalProfile, reminders_enabled: bool
) -> ProfessionalProfile:
    """What a professional wants e-mailed: for now, reminders before the events they booked
    (confirmations, changes and certificates always go)."""
    profile.reminders_enabled = reminders_enabled
    profile.save(update_fields=["reminders_enabled", "updated_at"])
    return profile


@transaction.atomic
def professional_delete(*, user: User) -> None:
    """Close a professional's account, as carers.services.carer_delete closes a carer's: the
    person goes; what others rely on stays, without them.

    - Places at future events are cancelled through the booking service, so the waiting list
      is promoted and each person promoted is told.
    - Bookings stay, anonymous (Booking.user becomes empty, access needs and the question for
      the speaker are cleared), so attendance on past registers still counts. Certificates
      are made from the booking for the person it names: with nobody named, there are none.
    - A confirmation e-mail goes to the address before it is forgotten.
    - The professional profile (role, organisation, council area, preferences), e-mail
      addresses, mail ledger and sessions go with the account (sessions through their own
      account column, accounts.sessions).
    """
    if not user.is_professional:
        raise ProfessionalError(
            _("Only a professional's own account can be closed from the training pages.")
        )
    now = timezone.now()
    cancelled = []
    for booking in (
        Booking.objects.filter(
            user=user,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
            event__starts_at__gt=now,
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    ):
        booking_cancel(booking=booking)
        cancelled.append(booking.event.title)
    # Kept bookings say nothing about the person: no name (below), no access needs, no question.
    Booking.objects.filter(user=user).exclude(access_needs="", question="").update(
        access_needs="", question=""
    )
    # In the language they chose, whether they closed it themselves or the retention
    # schedule did (at night, with no page to take the language from).
    with translation.override(language_of(user)):
        message = render_email(
            "professionals/account_deleted",
            {
                "first_name": user.first_name,
                "deleted_on": now,
                "cancelled": cancelled,
            },
        )
    queue_email(to=[user.email], **message)
    user.delete()


# The attendance register ---------------------------------------------------------------------


@transaction.atomic
def attendance_mark(*, booking: Booking, attended: bool | None) -> Booking:
    """Record whether a confirmed person came (events.services.booking_mark_attendance); someone
    marked present at an event that gives certificates is e-mailed theirs, once."""
    booking = booking_mark_attendance(booking=booking, attended=attended)
    if attended:
        certificate_claim(booking=booking)
    return booking


@transaction.atomic
def attendance_register_save(*, event: Event, marks: dict[int, bool | None]) -> int:
    """Save a whole register at once: `marks` maps booking ids of the event's confirmed places
    to present (True), absent (False) or not recorded (None). All or nothing: one refusal
    (the event has not started, say) saves none. Returns how many bookings changed."""
    bookings = {
        booking.pk: booking
        for booking in Booking.objects.select_for_update(of=("self",))
        .select_related("event", "user")
        .filter(event=event, status=Booking.Status.CONFIRMED, pk__in=list(marks))
    }
    changed = 0
    for pk, attended in marks.items():
        booking = bookings.get(pk)
        if booking is None:
            raise BookingError(_("A booking on the register has been cancelled. Reload the page"))
        if booking.attended == attended:
            continue
        attendance_mark(booking=booking, attended=attended)
        changed += 1
    return changed


# Certificates of attendance ------------------------------------------------------------------


def certificate_key(booking: Booking) -> str:
    return f"certificate:{booking.pk}"


def certificate_claim(*, booking: Booking) -> Notification | None:
    """Claim the e-mail that sends a person their certificate (None if there is none to send,
    or it was claimed before: a person marked present twice gets it once)."""
    if booking.user_id is None or not selectors.has_certificate(booking):
        return None
    return notify(
        kind=Notification.Kind.CERTIFICATE, recipient=booking.user, key=certificate_key(booking)
    )
