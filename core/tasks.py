import logging
from smtplib import SMTPRecipientsRefused

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.mail import deliver
from core.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


@shared_task(
    bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=8
)
def send_email(self, message: dict) -> None:
    """Mail that is not a notification to a carer (account emails, staff invitations)."""
    deliver(message)


@shared_task
def requeue_pending_notifications(older_than_minutes: int = 2) -> int:
    """Queue again what is still pending: mail claimed while the broker was down, or whose
    worker died before sending. Sending is idempotent, so queuing twice sends once."""
    from datetime import timedelta

    from core.notify import publish

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    pending = Notification.objects.filter(status=Notification.Status.PENDING, created_at__lt=cutoff)
    return sum(publish(pk) for pk in pending.values_list("pk", flat=True)[:5000])


@shared_task
def send_staff_summaries() -> int:
    """Each member of Virtual School staff gets one morning summary a day, if anything needs them."""
    from core.notify import staff_summaries_claim_due

    return staff_summaries_claim_due()


@shared_task(bind=True, max_retries=MAX_ATTEMPTS, acks_late=True)
def send_notification(self, notification_id: int) -> str:
    """Send one claimed notification, at most once.

    The row is locked while the message is built and handed to the mail server: a
    second worker running the same task skips it (the row is locked, or already sent).
    If this worker dies before the commit, the row stays pending and the redelivered
    task sends it: delayed, never lost.
    """
    from core.notify import builder_for

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return "not pending"
        notification.attempts += 1
        message = builder_for(notification.kind)(notification)
        if message is None:
            notification.status = Notification.Status.SKIPPED
            notification.save(update_fields=["status", "attempts"])
            return "skipped"
        try:
            deliver({"to": [notification.recipient.email], **message})
        except Exception as error:  # noqa: BLE001 - any delivery failure is recorded and retried
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            # A refused address will not start working: give up on it now, others go on.
            final = notification.attempts >= MAX_ATTEMPTS or isinstance(
                error, SMTPRecipientsRefused
            )
            notification.status = (
                Notification.Status.FAILED if final else Notification.Status.PENDING
            )
            notification.save(update_fields=["status", "attempts", "last_error"])
            if final:
                logger.error("Giving up on notification %s: %s", notification_id, error)
                return "failed"
            retry_error = error
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["status", "attempts", "sent_at", "last_error"])
            return "sent"
    # Outside the transaction, so the attempt and its error are recorded before retrying.
    raise self.retry(exc=retry_error, countdown=min(30 * 2 ** (notification.attempts - 1), 3600))
