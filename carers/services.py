import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from carers.models import CarerProfile, Child, ConsentEvent
from core.i18n import language_of
from core.mail import render_email
from core.notify import queue_email
from events.models import Booking
from events.services import booking_cancel
from schools.services.advice import advice_carer_left
from schools.services.records import pupil_unlink_child

# The words a carer agrees to, kept with each consent record in the language they read them in.
CONSENT_STATEMENT_TEXT = gettext_noop(
    "I agree that the Virtual School for my local authority can see %(child)s's first name, "
    "year of birth, school year and school, so that they can support %(child)s's education. "
    "I can withdraw this at any time."
)
# The English words with a {child} slot, for code that fills it in itself.
CONSENT_STATEMENT = CONSENT_STATEMENT_TEXT % {"child": "{child}"}


def consent_statement(child: str) -> str:
    """The consent statement about `child` (a first name) in the active language."""
    return gettext(CONSENT_STATEMENT_TEXT) % {"child": child}


class CarerError(Exception):
    """A carer operation is not allowed; the message says why, for the carer."""


def carer_profile_get_or_create(*, user: User) -> CarerProfile:
    profile, _ = CarerProfile.objects.select_related(
        "local_authority__virtual_school"
    ).get_or_create(user=user)
    profile.user = user  # reuse the signed-in user rather than load it again
    return profile


@transaction.atomic
def carer_profile_update(
    *,
    profile: CarerProfile,
    first_name: str,
    last_name: str,
    local_authority,
    relationship: str,
    arrangement: str,
    topics,
    digest_frequency: str,
    reminders_enabled: bool | None = None,
) -> CarerProfile:
    """Save the carer's profile. The first complete save finishes onboarding.

    Moving to another council ends what was shared with the old council's Virtual School: the
    carer agreed to share with the Virtual School for where they live. Every child's record is
    unlinked from that school's pupil records (audited); profile.unlinked_on_move lists the
    children, so the page can tell the carer."""
    user = profile.user
    moved = (
        profile.onboarded_at is not None
        and profile.local_authority_id is not None
        and profile.local_authority_id != getattr(local_authority, "pk", None)
    )
    profile.unlinked_on_move = []
    if moved:
        for child in profile.children.filter(pupil_record__isnull=False):
            if pupil_unlink_child(
                child=child,
                actor=user,
                why=f"Carer moved to {local_authority or 'another council'}",
            ):
                profile.unlinked_on_move.append(child)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile.local_authority = local_authority
    profile.relationship = relationship
    profile.arrangement = arrangement
    profile.digest_frequency = digest_frequency
    if reminders_enabled is not None:
        profile.reminders_enabled = reminders_enabled
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
    profile.save()
    profile.topics.set(topics)
    return profile


def _child_fields(child: Child, *, first_name, year_of_birth, school_year, school_name) -> None:
    child.first_name = first_name.strip()
    child.year_of_birth = year_of_birth
    child.school_year = school_year or ""
    child.school_name = (school_name or "").strip()


@transaction.atomic
def child_create(
    *,
    profile: CarerProfile,
    first_name: str,
    year_of_birth: int | None,
    school_year: str,
    school_name: str = "",
    share_with_virtual_school: bool = False,
) -> Child:
    child = Child(carer=profile)
    _child_fields(
        child,
        first_name=first_name,
        year_of_birth=year_of_birth,
        school_year=school_year,
        school_name=school_name,
    )
    child.save()
    if share_with_virtual_school:
        child_consent_give(child=child, by=profile.user)
    return child


@transaction.atomic
def child_update(
    *,
    child: Child,
    first_name: str,
    year_of_birth: int | None,
    school_year: str,
    school_name: str = "",
) -> Child:
    _child_fields(
        child,
        first_name=first_name,
        year_of_birth=year_of_birth,
        school_year=school_year,
        school_name=school_name,
    )
    child.save()
    return child


@transaction.atomic
def child_delete(*, child: Child) -> None:
    child.delete()


@transaction.atomic
def child_consent_give(*, child: Child, by: User) -> Child:
    """Record that the carer lets their Virtual School see this child's details."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.shares_with_virtual_school:
        return child
    child.shares_with_virtual_school = True
    child.save(update_fields=["shares_with_virtual_school", "updated_at"])
    ConsentEvent.objects.create(
        child=child,
        action=ConsentEvent.Action.GIVEN,
        recorded_by=by,
        statement=consent_statement(child.first_name),
    )
    return child


@transaction.atomic
def child_consent_withdraw(*, child: Child, by: User) -> Child:
    """Stop sharing this child's details with the Virtual School, from now on."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not child.shares_with_virtual_school:
        return child
    child.shares_with_virtual_school = False
    child.save(update_fields=["shares_with_virtual_school", "updated_at"])
    pupil_unlink_child(child=child, actor=by)
    ConsentEvent.objects.create(
        child=child,
        action=ConsentEvent.Action.WITHDRAWN,
        recorded_by=by,
        statement=consent_statement(child.first_name),
    )
    return child


@transaction.atomic
def calendar_token_reset(*, profile: CarerProfile) -> str:
    """A new private calendar feed address; the old one stops working at once."""
    import secrets

    profile.calendar_token = secrets.token_urlsafe(32)
    profile.save(update_fields=["calendar_token", "updated_at"])
    return profile.calendar_token


@transaction.atomic
@transaction.atomic
def carer_delete(*, user: User) -> None:
    """Close a carer's account: the person goes; what others rely on stays, without them.

    - Places at future events are cancelled through the booking service, so the waiting list
      is promoted and each person promoted is told.
    - Bookings stay, anonymous (Booking.user becomes empty, access needs are cleared), so
      attendance still counts and organisers see the cancellation.
    - Questions to the Virtual School stay in its inbox without who asked; open ones are
      closed with a note staff can see (schools.services.advice.advice_carer_left).
    - Each child's record is unlinked from the pupil records it was linked to (audited).
    - Audit entries keep the name they recorded and forget the account.
    - A confirmation e-mail goes to the address before it is forgotten.
    - The profile, children, consent records, e-mail addresses, two-factor devices, saved
      resources, mail ledger and sessions go with the account: sessions through their own
      account column (accounts.sessions), never by reading everyone's.
    """
    if not user.is_carer:
        raise CarerError(
            gettext("Staff accounts are closed by a content admin, not from the profile page.")
        )
    profile = getattr(user, "carer_profile", None)
    virtual_school = getattr(getattr(profile, "local_authority", None), "virtual_school", None)
    now = timezone.now()
    cancelled = []
    for booking in Booking.objects.filter(
        user=user,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
        event__starts_at__gt=now,
    ).select_related("event"):
        booking_cancel(booking=booking)
        cancelled.append(booking.event.title)
    # Kept bookings say nothing about the person: no name (below), no access needs, no question.
    Booking.objects.filter(user=user).exclude(access_needs="", question="").update(
        access_needs="", question=""
    )
    unlinked = []
    for child in Child.objects.filter(carer__user=user, pupil_record__isnull=False):
        if pupil_unlink_child(child=child, actor=user, why="Carer closed their account"):
            unlinked.append(child.first_name)
    questions = user.advice_requests.exists()
    advice_carer_left(carer=user)
    # In their language, also when the retention schedule closes the account at night.
    with translation.override(language_of(user)):
        message = render_email(
            "carers/account_deleted",
            {
                "first_name": user.first_name,
                "deleted_on": now,
                "cancelled": cancelled,
                "unlinked": unlinked,
                "questions": questions,
                "virtual_school": virtual_school or gettext("your Virtual School"),
            },
        )
    queue_email(to=[user.email], **message)
    user.delete()


# Digests ---------------------------------------------------------------------------------

DIGEST_BATCH_SIZE = 500
DIGEST_MAX_RESOURCES = 8
DIGEST_MAX_EVENTS = 5


def digest_period(frequency: str, today) -> tuple[str, str, datetime.timedelta]:
    """The ledger key for this period, how to describe it, and how long a period is."""
    if frequency == CarerProfile.DigestFrequency.MONTHLY:
        # The label is kept in the notification's payload in English and translated when
        # the digest is written (carers.notifications.build_digest).
        return f"digest:{today:%Y-%m}", gettext_noop("this month"), datetime.timedelta(days=31)
    year, week, _ = today.isocalendar()
    return f"digest:{year}-W{week:02d}", gettext_noop("this week"), datetime.timedelta(days=7)


def digests_claim_due(*, now=None, batch_size: int = DIGEST_BATCH_SIZE) -> dict:
    """Claim this period's digest for every carer who wants one and has something new.

    Carers are taken in batches: each batch costs a fixed number of queries (profiles,
    topics, when each last got a digest, the new resources and the bookable events, and
    the claims), so the work grows with the number of batches, not of carers. A carer
    with nothing new gets no digest; a later run in the same period looks again.
    """
    from core.models import Notification

    now = now or timezone.now()
    today = timezone.localdate(now)
    stats = {"carers": 0, "claimed": 0, "nothing_new": 0, "batches": 0}
    for frequency in (CarerProfile.DigestFrequency.WEEKLY, CarerProfile.DigestFrequency.MONTHLY):
        key, label, length = digest_period(frequency, today)
        already = Notification.objects.filter(kind=Notification.Kind.DIGEST, key=key).values(
            "recipient_id"
        )
        due = (
            CarerProfile.objects.filter(
                digest_frequency=frequency, onboarded_at__isnull=False, user__is_active=True
            )
            .exclude(user_id__in=already)
            .select_related("user")
            .prefetch_related("topics")
            .order_by("pk")
        )
        last_pk = 0
        while True:
            batch = list(due.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            stats["batches"] += 1
            stats["carers"] += len(batch)
            claimed, nothing_new = _digest_batch(
                batch, key=key, label=label, length=length, now=now
            )
            stats["claimed"] += claimed
            stats["nothing_new"] += nothing_new
    return stats


def _digest_batch(profiles, *, key: str, label: str, length, now) -> tuple[int, int]:
    from django.db.models import Max

    from core.fields import ChoiceSetField
    from core.models import Notification
    from core.notify import queue
    from events.models import Event
    from resources.models import Audience, Resource

    users = [p.user_id for p in profiles]
    last_sent = dict(
        Notification.objects.filter(
            kind=Notification.Kind.DIGEST, status=Notification.Status.SENT, recipient_id__in=users
        )
        .values_list("recipient_id")
        .annotate(last=Max("sent_at"))
    )
    default_since = now - length
    floor = min([*last_sent.values(), default_since])
    resources = [
        (resource, {t.pk for t in resource.topics.all()})
        # Staff-only resources never go to carers; the audience picks what is for them.
        for resource in Resource.objects.live(now)
        .filter(
            audiences__contains=ChoiceSetField.lookup_value(Audience.CARERS),
            staff_only=False,
            published_at__gt=floor,
        )
        .prefetch_related("topics")
        .order_by("-published_at")[:500]
    ]
    events = [
        event
        for event in Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + timezone.timedelta(days=42),
        )
        .with_places()
        .order_by("starts_at")[:200]
        if event.booking_is_open(now)
    ]
    claims = []
    for profile in profiles:
        since = last_sent.get(profile.user_id) or default_since
        content = _digest_content(profile, resources=resources, events=events, since=since)
        if content is None:
            continue
        claims.append(
            Notification(
                kind=Notification.Kind.DIGEST,
                recipient_id=profile.user_id,
                key=key,
                payload={"period_label": label, **content},
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(claims, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                kind=Notification.Kind.DIGEST,
                key=key,
                status=Notification.Status.PENDING,
                recipient_id__in=[c.recipient_id for c in claims],
            ).values_list("pk", flat=True)
        )
        for notification_id in created:
            queue(notification_id)
    return len(created), len(profiles) - len(claims)


def _digest_content(profile: CarerProfile, *, resources, events, since) -> dict | None:
    """What one carer's digest holds, or None when nothing is new for them.

    `resources` are (resource, topic ids) pairs, newest first, prepared once per batch.
    Resources that fit the carer's topics or arrangement come first.
    """
    topic_ids = {t.pk for t in profile.topics.all()}
    fitting, others = [], []
    for resource, resource_topics in resources:
        if resource.published_at <= since:
            break  # newest first: the rest are older still
        if resource.local_authority_id not in (None, profile.local_authority_id):
            continue
        fits = bool(topic_ids & resource_topics) or (
            bool(profile.arrangement) and profile.arrangement in resource.arrangements
        )
        (fitting if fits else others).append(resource)
        if len(fitting) >= DIGEST_MAX_RESOURCES:
            break
    new = (fitting + others)[:DIGEST_MAX_RESOURCES]
    bookable = [e for e in events if e.local_authority_id in (None, profile.local_authority_id)][
        :DIGEST_MAX_EVENTS
    ]
    new_events = [e for e in bookable if e.created_at > since]
    if not new and not new_events:
        return None
    return {
        "resources": [r.pk for r in new],
        "for_you": [r.pk for r in fitting if r in new],
        "events": [e.pk for e in bookable],
    }


def digest_unsubscribe(*, profile: CarerProfile) -> CarerProfile:
    """Stop digests (the one-click link in every digest)."""
    profile.digest_frequency = CarerProfile.DigestFrequency.NEVER
    profile.save(update_fields=["digest_frequency", "updated_at"])
    return profile
