"""Booking rules. Capacity holds under concurrency because every change to an event's
bookings first locks the event's row (SELECT … FOR UPDATE): bookings, cancellations and
capacity changes for one event happen one at a time, and each sees the others' results.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core import generations
from core.i18n import ENGLISH, WELSH
from core.templatetags.portal import govuk_date
from events import notifications, selectors
from events.models import (
    JOIN_LINK_NEEDED,
    Booking,
    Event,
    EventMaterial,
    EventMessage,
    EventSeries,
    EventSession,
)
from resources.models import Resource


class BookingError(Exception):
    """A booking cannot be made or changed; the message says why, for the carer.

    `field` names what the problem is about ("event", "user", "places", "question" or, for
    content admins, "status" and "join_url"), so a form can show the message beside the right field."""

    def __init__(self, message: str, *, field: str = "event"):
        super().__init__(message)
        self.field = field


ACTIVE = [Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]
QUESTION_MAX_LENGTH = Booking._meta.get_field("question").max_length


def _confirmed_places(event: Event) -> int:
    return event.bookings.filter(status=Booking.Status.CONFIRMED).aggregate(
        n=Coalesce(Sum("places"), 0)
    )["n"]


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def booking_person_check(*, user: User) -> None:
    """Raise BookingError if this person may not book anything yet, whatever the event."""
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise BookingError(_("Confirm your email address before you book"), field="user")


def booking_check(
    *, event: Event, user: User, places: int, now: datetime.datetime | None = None
) -> None:
    """Raise BookingError if this person may not book this event now (capacity aside)."""
    now = now or timezone.now()
    booking_person_check(user=user)
    if event.status == Event.Status.CANCELLED:
        raise BookingError(_("This event has been cancelled"))
    if event.status != Event.Status.PUBLISHED:
        raise BookingError(_("This event is not open for booking"))
    if event.booking_opens_at and now < event.booking_opens_at:
        raise BookingError(_("Booking for this event has not opened yet"))
    if now >= event.closes_at:
        raise BookingError(_("Booking for this event has closed"))
    _check_audience(event=event, user=user)
    if places < 1:
        raise BookingError(_("Book at least 1 place"), field="places")
    if places > event.max_places_per_booking:
        raise BookingError(
            _("You can book up to %(count)s places") % {"count": event.max_places_per_booking},
            field="places",
        )
    if places > event.capacity:
        raise BookingError(
            _("This event has %(count)s places in total") % {"count": event.capacity},
            field="places",
        )
    if Booking.objects.filter(event=event, user=user, status__in=ACTIVE).exists():
        raise BookingError(
            _("You already have a place or a waiting list place for this event"), field="user"
        )


def _check_audience(*, event: Event, user: User) -> None:
    """Carers book events for carers; professionals, and Virtual School staff with their own
    accounts, book events for professionals or schools (an event for nobody in particular is
    for everyone). An event for one council area is for the carers who live there and the
    professionals who work there."""
    if user.books_as_professional:
        if not event.for_professionals:
            raise BookingError(
                _("This event is for kinship carers. It is not open to professionals"),
                field="user",
            )
        if event.local_authority_id is not None and (
            _council_worked_in(user) != event.local_authority_id
        ):
            raise BookingError(
                _("This event is only for people who work in %(area)s")
                % {"area": event.local_authority},
                field="user",
            )
        return
    if user.is_carer and not event.for_carers:
        raise BookingError(
            _(
                "This event is for professionals, such as designated teachers and social "
                "workers. It is not open to kinship carers"
            ),
            field="user",
        )
    if event.local_authority_id is not None:
        profile = getattr(user, "carer_profile", None)
        if profile is None or profile.local_authority_id != event.local_authority_id:
            raise BookingError(
                _("This event is only for kinship carers living in %(area)s")
                % {"area": event.local_authority},
                field="user",
            )


def _council_worked_in(user: User) -> int | None:
    """The council area a professional told us they work in, or a Virtual School's own."""
    membership = user.school_membership
    if membership is not None:
        return membership.virtual_school.local_authority_id
    profile = getattr(user, "professional_profile", None)
    return profile.local_authority_id if profile is not None else None


@transaction.atomic
def booking_create(
    *,
    event: Event,
    user: User,
    places: int = 1,
    access_needs: str = "",
    question: str = "",
    booked_by: User | None = None,
    tell: bool = True,
) -> Booking:
    """Book places, or join the waiting list when they do not all fit. Tells the person either way.

    `question` is what they would like the speaker to cover: the organisers see it.
    `tell=False` leaves telling them to the caller (series_book_all sends one e-mail for
    every date it booked)."""
    question = question.strip()
    if len(question) > QUESTION_MAX_LENGTH:
        raise BookingError(_("Your question must be 1,000 characters or fewer"), field="question")
    event = _lock(event)
    booking_check(event=event, user=user, places=places)
    if Booking.objects.filter(
        event=event, user=user, status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED]
    ).exists():
        raise BookingError(_("You already have a place or a waiting list place for this event"))
    fits = _confirmed_places(event) + places <= event.capacity
    now = timezone.now()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                event=event,
                user=user,
                places=places,
                access_needs=access_needs.strip(),
                question=question,
                booked_by=booked_by,
                status=Booking.Status.CONFIRMED if fits else Booking.Status.WAITLISTED,
                confirmed_at=now if fits else None,
                created_at=now,
            )
    except IntegrityError:  # the database's one-active-booking rule: a double submit
        raise BookingError(
            _("You already have a place or a waiting list place for this event")
        ) from None
    if tell and fits:
        notifications.booking_confirmed(booking)
    elif tell:
        notifications.booking_waitlisted(booking)
    return booking


def _promote(event: Event) -> list[Booking]:
    """Confirm the longest-waiting bookings that now fit. The caller holds the event's lock."""
    free = event.capacity - _confirmed_places(event)
    promoted = []
    if free <= 0 or event.status != Event.Status.PUBLISHED or timezone.now() >= event.starts_at:
        return promoted
    for booking in event.bookings.filter(status=Booking.Status.WAITLISTED).order_by(
        "created_at", "pk"
    ):
        if booking.places <= free:
            booking.status = Booking.Status.CONFIRMED
            booking.confirmed_at = timezone.now()
            booking.save(update_fields=["status", "confirmed_at"])
            free -= booking.places
            promoted.append(booking)
            notifications.booking_promoted(booking)
        if free <= 0:
            break
    return promoted


@transaction.atomic
def booking_cancel(*, booking: Booking) -> list[Booking]:
    """Cancel a place or leave the waiting list; any freed places go to the waiting list at once.

    Returns the bookings promoted from the waiting list."""
    event = _lock(booking.event)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_active:
        return []
    was_confirmed = booking.status == Booking.Status.CONFIRMED
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    notifications.booking_cancelled(booking, was_confirmed=was_confirmed)
    return _promote(event) if was_confirmed else []


def booking_can_reduce_places(
    booking: Booking | None, *, now: datetime.datetime | None = None
) -> bool:
    """Whether this booking has places it could give back now (so the page offers it)."""
    return bool(
        booking is not None
        and booking.status == Booking.Status.CONFIRMED
        and booking.places > 1
        and (now or timezone.now()) < booking.event.starts_at
    )


@transaction.atomic
def booking_reduce_places(
    *, booking: Booking, places: int, changed_by: User | None = None
) -> list[Booking]:
    """Keep fewer of a confirmed booking's places; the ones given back go to the waiting
    list at once, as a cancellation's do. Only ever fewer: more places means booking again,
    which checks capacity. The person is not sent their confirmation again.

    Recorded in Django admin's history of the booking, by `changed_by` (the carer or the
    content admin). Returns the bookings promoted from the waiting list."""
    event = _lock(booking.event)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.event = event
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a booking with confirmed places can be changed"))
    if timezone.now() >= event.starts_at:
        raise BookingError(_("This event has started, so the places can no longer be changed"))
    if places < 1:
        raise BookingError(
            _("Keep at least 1 place. To give up every place, cancel the booking"),
            field="places",
        )
    if places >= booking.places:
        raise BookingError(
            ngettext(
                "Choose fewer than %(count)s place",
                "Choose fewer than %(count)s places",
                booking.places,
            )
            % {"count": booking.places},
            field="places",
        )
    booking.places = places
    booking.save(update_fields=["places"])
    _log_places_changed(booking, changed_by=changed_by or booking.user)
    return _promote(event)


def _log_places_changed(booking: Booking, *, changed_by: User | None) -> None:
    """An entry in the booking's history in Django admin ("Changed Places."), translated
    when it is shown, like the admin's own entries."""
    from django.contrib.admin.models import CHANGE, LogEntry

    if changed_by is None:  # a closed account cannot be the author
        return
    LogEntry.objects.log_actions(
        user_id=changed_by.pk,
        queryset=[booking],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Places"]}}],
        single_object=True,
    )


@transaction.atomic
def event_set_capacity(*, event: Event, capacity: int) -> list[Booking]:
    """Change how many people can come. Raising it promotes from the waiting list at once."""
    if capacity < 0:
        raise BookingError(_("Capacity cannot be negative"))
    event = _lock(event)
    event.capacity = capacity
    event.save(update_fields=["capacity", "updated_at"])
    return _promote(event)


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    """Put a draft on the events pages. An online or hybrid event needs its join link, or the
    date by which it will be added, first."""
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        raise BookingError(_("A cancelled event cannot be published again"), field="status")
    if event.status == Event.Status.PUBLISHED:
        return event
    event.status = Event.Status.PUBLISHED
    if event.join_link_missing():
        raise BookingError(str(JOIN_LINK_NEEDED), field="join_url")
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_join_link_changed(*, event: Event, old_link: str = "") -> int:
    """E-mail the join link to everyone with a confirmed place, once per link, after a content
    admin added it (the event was published with only the date it would come) or changed it.

    Only for a published online or hybrid event that has not ended; nothing when the link
    was taken away or is the same. Whoever books later finds it in their confirmation.
    Returns how many e-mails were claimed."""
    event = _lock(event)
    link = event.join_url
    if (
        not link
        or link == old_link
        or event.status != Event.Status.PUBLISHED
        or not event.is_online
        or event.has_ended
    ):
        return 0
    bookings = (
        event.bookings.filter(status=Booking.Status.CONFIRMED, user__isnull=False)
        .select_related("event", "user")
        .order_by("pk")
    )
    return sum(
        1 for booking in bookings if notifications.join_link(booking, changed=bool(old_link))
    )


@transaction.atomic
def event_cancel(*, event: Event) -> int:
    """Cancel the event and tell everyone who had a place or was waiting. Returns how many were told."""
    event = _lock(event)
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    active = list(
        event.bookings.filter(status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED])
    )
    for booking in active:
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        notifications.event_cancelled(booking)
    return len(active)


@transaction.atomic
def event_duplicate(
    *,
    event: Event,
    starts_at: datetime.datetime | None = None,
    series: EventSeries | None = None,
) -> Event:
    """A draft copy for the next session: same details, a week later unless told otherwise.

    The copy is another date of the event's series (or of `series`, when given); a course's
    sessions are copied too, moved by as many days at the same time of day."""
    starts_at = starts_at or event.starts_at + datetime.timedelta(days=7)
    shift = starts_at - event.starts_at
    base = slugify(f"{event.title} {timezone.localtime(starts_at):%Y-%m-%d}")[:190]
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    copy = Event.objects.get(pk=event.pk)
    topics = list(event.topics.all())
    copy.pk = None
    copy.slug = slug
    copy.status = Event.Status.DRAFT
    copy.starts_at = starts_at
    copy.ends_at = event.ends_at + shift
    copy.booking_opens_at = None
    copy.booking_closes_at = event.booking_closes_at + shift if event.booking_closes_at else None
    copy.join_link_by = event.join_link_by + shift if event.join_link_by else None
    copy.recording = None
    if series is not None:
        copy.series = series
    # A course: its sessions still on, as many days later at the same time of day; the copy
    # runs from the first to the last of them.
    days = (timezone.localdate(starts_at) - timezone.localdate(event.starts_at)).days
    sessions = [
        EventSession(
            starts_at=_days_later(session.starts_at, days),
            ends_at=_days_later(session.ends_at, days),
        )
        for session in event.sessions.filter(cancelled_at__isnull=True).order_by("starts_at")
    ]
    if sessions:
        copy.starts_at = sessions[0].starts_at
        copy.ends_at = max(session.ends_at for session in sessions)
    copy._state.adding = True
    copy.save()
    copy.topics.set(topics)
    for session in sessions:
        session.event = copy
    EventSession.objects.bulk_create(sessions)
    generations.bump("events")  # bulk_create sends no signal (events.signals)
    return copy


def _days_later(moment: datetime.datetime, days: int) -> datetime.datetime:
    """`moment` so many days later at the same London time of day, whatever the clocks did."""
    tz = timezone.get_current_timezone()
    local = timezone.localtime(moment, tz).replace(tzinfo=None)
    return timezone.make_aware(local + datetime.timedelta(days=days), tz)


@transaction.atomic
def booking_mark_attendance(*, booking: Booking, attended: bool | None) -> Booking:
    """Record whether a confirmed person came. Only once the event has started."""
    if timezone.now() < booking.event.starts_at:
        raise BookingError(_("You can record attendance once the event has started"))
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only confirmed places can be marked as attended"))
    booking.attended = attended
    booking.save(update_fields=["attended"])
    return booking


def reminders_claim_due(*, now: datetime.datetime | None = None) -> int:
    """Claim the reminders that are due for confirmed places; returns how many were claimed.

    For each booking only the closest reminder that is due goes out: someone who books
    the day before gets the 2-hour reminder, not a late 2-day one as well. A course has no
    reminders of its own: each of its sessions still on has them, as an event would.
    """
    from django.db.models import Exists, OuterRef

    now = now or timezone.now()
    offsets = notifications.reminder_offsets()
    if not offsets:
        return 0
    # Confirmed places of people who want reminders: carers and professionals who have not
    # turned them off, and Virtual School staff (who have neither profile to say so).
    wanted = Q(status=Booking.Status.CONFIRMED, user__isnull=False) & (
        Q(user__carer_profile__reminders_enabled=True)
        | Q(user__professional_profile__reminders_enabled=True)
        | Q(user__carer_profile__isnull=True, user__professional_profile__isnull=True)
    )
    bookings = (
        Booking.objects.filter(
            wanted,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + offsets[0],
        )
        .exclude(Exists(EventSession.objects.filter(event=OuterRef("event"))))
        .select_related("event", "user")
        .order_by("pk")
    )
    claimed = 0
    for booking in bookings:
        if reminder_claim(booking=booking, starts_at=booking.event.starts_at, now=now):
            claimed += 1
    sessions: dict[int, list[EventSession]] = {}
    for session in EventSession.objects.filter(
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + offsets[0],
        event__status=Event.Status.PUBLISHED,
    ).order_by("starts_at", "pk"):
        sessions.setdefault(session.event_id, []).append(session)
    course_bookings = (
        Booking.objects.filter(wanted, event_id__in=sessions)
        .select_related("event", "user")
        .order_by("pk")
    )
    for booking in course_bookings if sessions else []:
        for session in sessions[booking.event_id]:
            if reminder_claim(
                booking=booking, starts_at=session.starts_at, now=now, session=session
            ):
                claimed += 1
    return claimed


def reminder_claim(
    *, booking: Booking, starts_at: datetime.datetime, now: datetime.datetime, session=None
) -> bool:
    """Claim the closest reminder now due before `starts_at` (the event's, or that of one
    `session` of a course), recording the earlier ones, too late now, so they never go.
    Returns whether a reminder was claimed (False: it was already)."""
    from core.models import Notification
    from core.notify import notify

    due = [before for before in notifications.reminder_offsets() if starts_at - before <= now]
    closest, earlier = due[-1], due[:-1]
    with transaction.atomic():
        for before in earlier:
            Notification.objects.get_or_create(
                kind=Notification.Kind.EVENT_REMINDER,
                recipient=booking.user,
                key=notifications.reminder_key(booking, before, session=session),
                defaults={"status": Notification.Status.SKIPPED},
            )
        return bool(
            notify(
                kind=Notification.Kind.EVENT_REMINDER,
                recipient=booking.user,
                key=notifications.reminder_key(booking, closest, session=session),
            )
        )


def feedback_requests_claim_due(*, now: datetime.datetime | None = None) -> int:
    """Thank everyone with a confirmed place whose event has ended recently, once."""
    from django.conf import settings

    from core.models import Notification
    from core.notify import notify

    now = now or timezone.now()
    bookings = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            event__status=Event.Status.PUBLISHED,
            event__ends_at__lte=now,
            event__ends_at__gt=now - settings.FEEDBACK_REQUEST_WINDOW,
            user__isnull=False,  # not those who have closed their account since
        )
        .exclude(attended=False)
        .select_related("user")
        .order_by("pk")
    )
    claimed = 0
    for booking in bookings:
        if notify(
            kind=Notification.Kind.FEEDBACK_REQUEST,
            recipient=booking.user,
            key=f"booking:{booking.pk}",
        ):
            claimed += 1
    return claimed


@transaction.atomic
def feedback_create(*, booking: Booking, rating: int, comment: str = ""):
    """Store a carer's rating of an event they came to. One per booking; a second replaces the first."""
    from events.models import EventFeedback

    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only people who had a place can give feedback"))
    if timezone.now() < booking.event.starts_at:
        raise BookingError(_("You can give feedback once the event has started"))
    feedback, _created = EventFeedback.objects.update_or_create(
        booking=booking,
        defaults={"event": booking.event, "rating": rating, "comment": comment.strip()[:2000]},
    )
    return feedback


# Recordings and materials shared after an event -------------------------------------------


def _library_kind(material: EventMaterial) -> str:
    return {
        EventMaterial.Kind.RECORDING: Resource.Kind.RECORDING,
        EventMaterial.Kind.SLIDES: Resource.Kind.DOCUMENT,
        EventMaterial.Kind.HANDOUT: Resource.Kind.DOCUMENT,
    }.get(material.kind, Resource.Kind.LINK)


@transaction.atomic
def material_add_to_library(*, material: EventMaterial) -> Resource:
    """Put a material shared with everyone in the resource library: a published resource with
    the material's title (English and Welsh), its web address, and the event's topics,
    audiences and council. The material then links to it, so it is listed once.

    Only a web address, marked for everyone and checked and ready; each material once.
    Returns the resource."""
    from django.utils import translation

    from resources import services as resource_services

    material = EventMaterial.objects.select_for_update().select_related("event").get(pk=material.pk)
    if material.resource_id is not None:
        raise BookingError(_("This is already a resource in the library"), field="resource")
    if not material.for_everyone:
        raise BookingError(
            _("Only materials shown to everyone can go in the library"), field="shared_with"
        )
    if not material.ready:
        raise BookingError(_("Check it and mark it as ready to share first"), field="ready")
    event = material.event
    base = slugify(f"{event.slug} {material.title}")[:190] or "event-material"
    slug, n = base, 2
    while Resource.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1

    def summary(language: str, event_title: str) -> str:
        with translation.override(language):
            return _("Shared after the event “%(event)s” on %(date)s.") % {
                "event": event_title,
                "date": govuk_date(event.starts_at),
            }

    resource = Resource.objects.create(
        title=material.title,
        title_cy=material.title_cy,
        slug=slug,
        summary=summary(ENGLISH, event.title),
        summary_cy=summary(WELSH, event.title_cy or event.title),
        kind=_library_kind(material),
        external_url=material.url,
        audiences=list(event.audiences),
        local_authority_id=event.local_authority_id,
    )
    resource.topics.set(event.topics.all())
    resource_services.resource_publish(resource=resource)
    material.resource = resource
    material.url = ""  # the resource holds it now: a material has one or the other
    material.save(update_fields=["resource", "url"])
    return resource


# Messages to an event's people ------------------------------------------------------------

MESSAGE_SUBJECT_MAX_LENGTH = EventMessage._meta.get_field("subject").max_length
MESSAGE_BODY_MAX_LENGTH = EventMessage._meta.get_field("body").max_length


def event_message_problems(*, event: Event, audience: str, subject: str, body: str) -> dict:
    """What stops this message going, by field ("audience", "subject", "body"): every problem
    at once, so a form can show each beside its field. Empty when it can be sent."""
    problems = {}
    if audience not in EventMessage.Audience.values:
        problems["audience"] = _("Select who to email")
    elif not selectors.message_bookings(event_id=event.pk, audience=audience).exists():
        problems["audience"] = {
            EventMessage.Audience.CONFIRMED: _("Nobody has a confirmed place at this event"),
            EventMessage.Audience.WAITING: _("Nobody is on the waiting list for this event"),
            EventMessage.Audience.ATTENDED: _(
                "Nobody is recorded as attending this event. Record attendance on the "
                "attendees page first"
            ),
        }[audience]
    subject, body = subject.strip(), body.strip()
    if not subject:
        problems["subject"] = _("Enter a subject")
    elif len(subject) > MESSAGE_SUBJECT_MAX_LENGTH:
        problems["subject"] = _("The subject must be %(count)s characters or fewer") % {
            "count": MESSAGE_SUBJECT_MAX_LENGTH
        }
    if not body:
        problems["body"] = _("Enter a message")
    elif len(body) > MESSAGE_BODY_MAX_LENGTH:
        problems["body"] = _("The message must be %(count)s characters or fewer") % {
            "count": f"{MESSAGE_BODY_MAX_LENGTH:,}"
        }
    return problems


@transaction.atomic
def event_message_send(
    *, event: Event, audience: str, subject: str, body: str, sent_by: User | None, token
) -> tuple[EventMessage, int | None]:
    """E-mail a message from a content admin to one group of an event's people: stored once,
    and one notification claimed per person, each sent after commit in the person's language
    to those still in the group by then. Returns the message and how many were claimed.

    `token` comes from the form: the same form sent again (a double click, a replayed
    request, two at once) returns the message it stored, claims nothing and says so (None)."""
    already = EventMessage.objects.filter(token=token).first()
    if already is not None:
        return already, None
    problems = event_message_problems(event=event, audience=audience, subject=subject, body=body)
    if problems:
        field, problem = next(iter(problems.items()))
        raise BookingError(problem, field=field)
    try:
        with transaction.atomic():
            message = EventMessage.objects.create(
                event=event,
                audience=audience,
                subject=" ".join(subject.split()),  # one line, as a subject is
                body=body.strip(),
                sent_by=sent_by,
                token=token,
            )
    except IntegrityError:  # the same form, sent at the same moment: that request stored it
        return EventMessage.objects.get(token=token), None
    claimed = 0
    for booking in selectors.message_bookings(event_id=event.pk, audience=audience):
        if notifications.event_message(message, recipient=booking.user):
            claimed += 1
    return message, claimed
