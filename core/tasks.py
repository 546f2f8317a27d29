import logging
import time
from datetime import datetime, timedelta
from smtplib import SMTPRecipientsRefused

from celery import shared_task
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.utils import timezone, translation

from core import govuk_notify
from core.i18n import language_of
from core.mail import deliver
from core.models import Notification
from core.registry import builder_for, mobile_for, text_failed_for_good

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# How long a row may stay "being sent" before the sweep asks a person to check it. Far
# longer than any handover to a mail server plus the recording retries below.
IN_FLIGHT_GRACE = timedelta(minutes=15)


@shared_task(
    bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=8
)
def send_email(self, message: dict) -> None:
    """Mail that is not a notification to a carer (account emails, staff invitations)."""
    deliver(message)


@shared_task
def requeue_pending_notifications(older_than_minutes: int = 2) -> int:
    """Queue again what is still pending: mail claimed while the broker was down, or whose
    worker died before taking it. Sending is idempotent, so queuing twice sends once.

    A row left "being sent" is not pending: the mail server may already have it. After
    IN_FLIGHT_GRACE it is marked "not known if sent" for a person to check (see
    send_notification), never queued again from here."""
    now = timezone.now()
    stuck = Notification.objects.filter(
        status=Notification.Status.SENDING, sending_since__lt=now - IN_FLIGHT_GRACE
    )
    for pk in stuck.values_list("pk", flat=True):
        logger.error("Notification %s: not known whether it was sent; a person must check", pk)
    stuck.update(
        status=Notification.Status.UNKNOWN,
        last_error="The worker stopped while handing this to the mail server, or could not "
        "record that it had. Check the mail server's log before sending it again.",
    )
    cutoff = now - timedelta(minutes=older_than_minutes)
    pending = Notification.objects.filter(status=Notification.Status.PENDING, created_at__lt=cutoff)
    return sum(publish(pk) for pk in pending.values_list("pk", flat=True)[:5000])


def publish(notification_id: int) -> bool:
    """Queue the send task. If the broker is down the notification stays pending in the
    database and requeue_pending_notifications queues it again later: the booking (or
    whatever caused it) has already succeeded and nothing is lost."""
    try:
        send_notification.delay(notification_id)
    except Exception:  # noqa: BLE001 - any broker failure: the ledger row keeps the work
        logger.warning(
            "Broker unavailable: notification %s stays pending", notification_id, exc_info=True
        )
        return False
    return True


@shared_task(bind=True, max_retries=MAX_ATTEMPTS, acks_late=True)
def send_notification(self, notification_id: int) -> str:
    """Send one claimed notification, at most once.

    Three steps, each committed on its own:
    1. claim: lock the pending row, build the message from fresh data, mark the row
       "being sent" and commit, before anything leaves;
    2. hand the message to the mail server, outside any transaction;
    3. record the outcome: sent, or pending again (to retry) or failed, with the error.

    The trade-off, for the moment between 1 and 3: we choose *sent once or not at all,
    and a person told*, over *sent again when unsure*. A row left "being sent" means
    nobody knows whether the mail server took it: the worker was killed mid-handover, or
    the database refused step 3 for longer than record_notification_sent kept trying. It
    is never queued again automatically (a carer who gets the same confirmation three
    times stops trusting the service); after IN_FLIGHT_GRACE the sweep marks it "not
    known if sent" and Django admin offers "Send again" to whoever checks. A worker that
    dies before step 1 commits (most of its life) leaves the row pending: that mail is
    delayed and sent by the redelivered task or the sweep, never lost.
    """
    claimed = _claim(notification_id)
    if isinstance(claimed, str):
        return claimed
    notification, message = claimed
    try:
        sent = _hand_over(notification, message)
    except Exception as error:  # noqa: BLE001 - any delivery failure is recorded and retried
        if getattr(error, "may_have_sent", False):
            # Notify had the request but its answer was lost: it may have sent it. As with a
            # worker killed mid-handover, a person checks before it goes again.
            _record_with_retries(
                notification_id,
                status=Notification.Status.UNKNOWN,
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
            return "unknown"
        # A refused address or number will not start working: give up on it now, others go on.
        refused = isinstance(error, SMTPRecipientsRefused) or getattr(error, "permanent", False)
        final = notification.attempts >= MAX_ATTEMPTS or refused
        if refused and notification.channel == Notification.Channel.SMS:
            text_failed_for_good(notification.recipient)
        _record_with_retries(
            notification_id,
            status=Notification.Status.FAILED if final else Notification.Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        if final:
            logger.error("Giving up on notification %s: %s", notification_id, error)
            return "failed"
        countdown = min(30 * 2 ** (notification.attempts - 1), 3600)
        raise self.retry(exc=error, countdown=countdown) from error
    sent_at = timezone.now()
    if not _record_with_retries(
        notification_id, status=Notification.Status.SENT, sent_at=sent_at, last_error="", **sent
    ):
        # The mail has gone; only the bookkeeping is late. Keep trying from the queue.
        try:
            record_notification_sent.apply_async(
                (notification_id, sent_at.isoformat()), countdown=60
            )
        except Exception:  # noqa: BLE001 - broker down as well: the sweep flags it for a person
            logger.exception("Notification %s was sent but could not be recorded", notification_id)
    return "sent"


def _hand_over(notification: Notification, message: dict) -> dict:
    """Step 2: give the message to the mail server or to GOV.UK Notify. Returns what to
    record with it: Notify's id and, for a text, how many fragments it took."""
    if notification.channel == Notification.Channel.SMS:
        provider_id = govuk_notify.send_sms(
            phone_number=message["to"], body=message["sms"], reference=message["reference"]
        )
        return {"provider_id": provider_id, "fragments": govuk_notify.sms_fragments(message["sms"])}
    email = {key: value for key, value in message.items() if key not in ("sms", "reference")}
    if govuk_notify.is_configured():  # its delivery receipt names the ledger row by this
        email["headers"] = {
            **(email.get("headers") or {}),
            govuk_notify.REFERENCE_HEADER: message["reference"],
        }
    deliver({**email, "to": [notification.recipient.email]})
    return {}


def _as_text(notification: Notification, message: dict) -> dict | None:
    """The text message version of a built message, or None if there is none to send: the
    kind has no text, or the recipient has no verified mobile number now."""
    phone = mobile_for(notification.recipient)
    if not message.get("sms") or not phone:
        return None
    return {"to": phone, "sms": message["sms"]}


def _claim(notification_id: int) -> tuple[Notification, dict] | str:
    """Step 1: take the pending row, build its message and commit it as being sent."""
    with transaction.atomic():
        # The row alone (its recipient is read by key below): joined to the users in one query,
        # PostgreSQL walked the whole user table (27 ms at 100,000 people) whenever the
        # notifications were newer than its statistics, as a digest's are while it goes out.
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:  # sent, being sent by another worker, or given up
            return "not pending"
        notification.attempts += 1
        # Written in the language the recipient chose, whoever caused it.
        notification.language = language_of(notification.recipient)
        with translation.override(notification.language):
            message = builder_for(notification.kind)(notification)
        if message is not None and notification.channel == Notification.Channel.SMS:
            message = _as_text(notification, message)
        if message is None:
            notification.status = Notification.Status.SKIPPED
            notification.save(update_fields=["status", "attempts"])
            return "skipped"
        notification.status = Notification.Status.SENDING
        notification.sending_since = timezone.now()
        notification.save(update_fields=["status", "attempts", "sending_since", "language"])
    return notification, {**message, "reference": f"notification-{notification.pk}"}


# Step 3 waits out a busy or restarting database for about 15 s before handing over to
# record_notification_sent.
RECORD_DELAYS = (0.2, 0.5, 1, 2, 4, 8)


def _record_with_retries(notification_id: int, **outcome) -> bool:
    """Step 3: write what happened to a row this worker holds as being sent."""
    for delay in (*RECORD_DELAYS, None):
        try:
            Notification.objects.filter(
                pk=notification_id, status=Notification.Status.SENDING
            ).update(**outcome)
        except (OperationalError, InterfaceError):
            if delay is None:
                logger.warning("Could not record notification %s", notification_id, exc_info=True)
                return False
            if not transaction.get_connection().in_atomic_block:
                close_old_connections()  # a broken connection is opened afresh next time
            time.sleep(delay)
        else:
            return True


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=20,
)
def record_notification_sent(notification_id: int, sent_at: str) -> None:
    """Record a sent notification whose worker could not reach the database at the time."""
    Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
        status=Notification.Status.SENT, sent_at=datetime.fromisoformat(sent_at), last_error=""
    )
