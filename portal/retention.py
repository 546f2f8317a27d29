"""The retention schedule: each kind of record goes when the deployment's schedule says.

settings.RETENTION_DAYS says how long each kind is kept (defaults and sources in
docs/privacy.md). Every night `portal.tasks.apply_retention_schedule` runs each rule below in
batches of RETENTION_BATCH_SIZE rows, so a big backlog costs more batches, never one huge
transaction; `manage.py retention --dry-run` prints what would go. What goes from a Virtual
School's records is written to that school's audit log. Pupils under a legal hold are kept.

It lives on the top floor because it reaches into every app.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from carers.services import carer_delete
from core.models import Notification
from core.notify import notify
from events.models import EventFeedback
from professionals.services import professional_delete
from resources.models import ResourceFeedback, SearchCount
from schools.models import AdviceRequest, AuditEntry, AuditPurge, KinshipPupil, LiaisonRecord
from schools.services.audit import audit_record

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    kind: str  # a key of settings.RETENTION_DAYS
    description: str  # what goes, for the dry run and the privacy notice
    due: Callable[[datetime.datetime], QuerySet]  # the rows past their time, given "now"
    remove: Callable[[QuerySet], None]  # deletes (or anonymises) one batch
    per_virtual_school: str = ""  # the field naming the Virtual School, to audit by school


def _cutoff(kind: str, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=settings.RETENTION_DAYS[kind])


def _delete(queryset: QuerySet) -> None:
    queryset.delete()


# Unverified accounts ------------------------------------------------------------------------


def _unverified_accounts(now):
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return User.objects.filter(
        date_joined__lt=_cutoff("unverified_accounts", now),
        is_staff=False,
        is_superuser=False,
        staff_membership__isnull=True,
    ).exclude(pk__in=verified)


# Inactive carers and professionals ------------------------------------------------------------


def _inactive(now, *, grace_days: int = 0) -> QuerySet:
    """Carers and professionals who have not signed in (or, never having signed in, joined)
    for the schedule's time, less `grace_days`. Staff accounts are closed by people."""
    cutoff = _cutoff("inactive_carers", now) + datetime.timedelta(days=grace_days)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return User.objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
        is_staff=False,
        is_superuser=False,
        staff_membership__isnull=True,
        pk__in=verified,
    )


def _warning_key(user) -> str:
    """One warning per spell of inactivity: signing in again starts a new one."""
    since = user.last_login or user.date_joined
    return f"inactive:{since:%Y-%m-%d}"


def inactive_carers_warn(*, now=None) -> int:
    """E-mail carers and professionals whose account will be deleted within
    RETENTION_WARNING_DAYS (portal.notifications writes to each about their own account)."""
    now = now or timezone.now()
    warned = 0
    for user in _inactive(now, grace_days=settings.RETENTION_WARNING_DAYS).iterator():
        if notify(
            kind=Notification.Kind.INACTIVE_ACCOUNT,
            recipient=user,
            key=_warning_key(user),
            payload={"delete_on": (now.date() + datetime.timedelta(days=30)).isoformat()},
        ):
            warned += 1
    return warned


def _inactive_and_warned(now):
    """Inactive, and warned at least RETENTION_WARNING_DAYS ago: nobody goes unwarned."""
    warned_long_enough = Notification.objects.filter(
        kind=Notification.Kind.INACTIVE_ACCOUNT,
        status=Notification.Status.SENT,
        sent_at__lt=now - datetime.timedelta(days=settings.RETENTION_WARNING_DAYS),
    ).values("recipient_id")
    return _inactive(now).filter(pk__in=warned_long_enough)


def _inactive_carers(now):
    return _inactive_and_warned(now).filter(is_professional=False)


def _inactive_professionals(now):
    return _inactive_and_warned(now).filter(is_professional=True)


def _close_accounts(queryset):
    for user in queryset:
        # The same rules as a carer or a professional closing their own account.
        if user.is_professional:
            professional_delete(user=user)
        elif user.is_carer:
            carer_delete(user=user)


# Pupils, liaison, advice, audit ----------------------------------------------------------------


def _left_pupils(now):
    today = timezone.localdate(now)
    years = settings.RETENTION_PUPIL_MINIMUM_AGE
    try:
        born_before = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born_before = today.replace(year=today.year - years, day=28)
    return KinshipPupil.objects.filter(
        left_on__lt=_cutoff("left_pupils", now).date(),
        date_of_birth__lte=born_before,  # at least 25 today
        legal_hold=False,
    )


def _liaison(now):
    return LiaisonRecord.objects.filter(
        pupil__isnull=True, contact_date__lt=_cutoff("liaison", now).date()
    )


def _advice_threads(now):
    return AdviceRequest.objects.filter(
        status=AdviceRequest.Status.CLOSED, closed_at__lt=_cutoff("advice_threads", now)
    )


def _audit_entries(now):
    return AuditEntry.objects.filter(at__lt=_cutoff("audit_entries", now))


def _delete_audit_entries(queryset):
    """The database refuses to delete audit entries unless this transaction says how old they
    must be (schools_auditpurge); the row is gone again before anyone else can see it."""
    cutoff = max(queryset.values_list("at", flat=True)) + datetime.timedelta(microseconds=1)
    purge = AuditPurge.objects.create(before=cutoff)
    AuditEntry.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).delete()
    purge.delete()


def _search_counts(now):
    """Counted by day: a day's counts go once the whole day is past the schedule's time."""
    return SearchCount.objects.filter(day__lt=timezone.localdate(_cutoff("search_counts", now)))


def _notifications(now):
    return Notification.objects.filter(
        created_at__lt=_cutoff("notifications", now),
        status__in=[
            Notification.Status.SENT,
            Notification.Status.SKIPPED,
            Notification.Status.FAILED,
        ],
    )


RULES = [
    Rule("unverified_accounts", "accounts never confirmed", _unverified_accounts, _delete),
    Rule(
        "inactive_carers",
        "carers' accounts unused (warned first)",
        _inactive_carers,
        _close_accounts,
    ),
    # The same period as carers' accounts (RETENTION_INACTIVE_CARERS_DAYS): one schedule for
    # every account a person opened themselves.
    Rule(
        "inactive_carers",
        "professionals' accounts unused (warned first)",
        _inactive_professionals,
        _close_accounts,
    ),
    Rule("notifications", "the record of e-mails sent", _notifications, _delete),
    Rule(
        "feedback",
        "feedback on advice",
        lambda now: ResourceFeedback.objects.filter(created_at__lt=_cutoff("feedback", now)),
        _delete,
    ),
    Rule(
        "feedback",
        "feedback on events",
        lambda now: EventFeedback.objects.filter(created_at__lt=_cutoff("feedback", now)),
        _delete,
    ),
    Rule(
        "left_pupils",
        "records of pupils who have left",
        _left_pupils,
        _delete,
        per_virtual_school="virtual_school_id",
    ),
    Rule(
        "liaison",
        "liaison records not about a pupil",
        _liaison,
        _delete,
        per_virtual_school="virtual_school_id",
    ),
    Rule(
        "advice_threads",
        "closed questions and their replies",
        _advice_threads,
        _delete,
        per_virtual_school="virtual_school_id",
    ),
    Rule(
        "audit_entries",
        "audit log entries",
        _audit_entries,
        _delete_audit_entries,
        per_virtual_school="virtual_school_id",
    ),
    Rule("search_counts", "counts of the words searched for", _search_counts, _delete),
]


# What each kind is, and from when it is counted, in the privacy notice's words.
NOTICE = {
    "unverified_accounts": _("An account whose email address was never confirmed"),
    "inactive_carers": _("Your account, if you do not sign in (we email you a month before)"),
    "notifications": _("Our record of the emails we sent you"),
    "feedback": _("Feedback you give on advice and events"),
    "left_pupils": _(
        "A Virtual School's record of a pupil, after they leave (and never before "
        "their %(age)sth birthday)"
    ),
    "liaison": _("A Virtual School's notes of contact with a school that are not about a pupil"),
    "advice_threads": _(
        "Your questions to a Virtual School and its replies, after they are closed"
    ),
    "audit_entries": _("The record of who looked at or changed a pupil's record"),
    "search_counts": _(
        "Counts of the words searched for in advice and guides, by day (never who searched)"
    ),
}


def _duration(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def retention_period(kind: str) -> str:
    """How long one kind is kept under the schedule in force, in words: "3 years"."""
    return _duration(settings.RETENTION_DAYS[kind])


def retention_notice() -> list[tuple[str, str]]:
    """The schedule in force, as (what, how long) rows for the privacy notice."""
    return [
        (str(NOTICE[kind]) % {"age": settings.RETENTION_PUPIL_MINIMUM_AGE}, _duration(days))
        for kind, days in settings.RETENTION_DAYS.items()
    ]


def retention_apply(*, now=None, dry_run: bool = False, batch_size: int | None = None) -> dict:
    """Apply every rule. Returns {description: rows} for what went (or would go)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    report: dict[str, int] = {}
    if not dry_run:
        inactive_carers_warn(now=now)
    for rule in RULES:
        due = rule.due(now)
        if dry_run:
            report[rule.description] = due.count()
            continue
        report[rule.description] = _apply_in_batches(rule, due, batch_size=batch_size)
        if report[rule.description]:
            logger.info("Retention: %s rows of %s", report[rule.description], rule.description)
    return report


def _apply_in_batches(rule: Rule, due: QuerySet, *, batch_size: int) -> int:
    model = due.model
    done = 0
    while True:
        with transaction.atomic():
            pks = list(due.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                return done
            batch = model.objects.filter(pk__in=pks)
            if rule.per_virtual_school:
                by_school = Counter(batch.values_list(rule.per_virtual_school, flat=True))
            rule.remove(batch)
            if rule.per_virtual_school:
                _audit_by_school(rule, by_school)
            done += len(pks)


def _audit_by_school(rule: Rule, by_school: Counter) -> None:
    from schools.models import VirtualSchool

    days = settings.RETENTION_DAYS[rule.kind]
    for school in VirtualSchool.objects.filter(pk__in=list(by_school)):
        audit_record(
            actor=None,
            virtual_school=school,
            action=AuditEntry.Action.DELETE,
            object_type=rule.kind,
            summary=f"Retention schedule: deleted {by_school[school.pk]} {rule.description} "
            f"(kept {days} days)",
        )
