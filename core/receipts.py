"""GOV.UK Notify's delivery receipts: what became of each e-mail and text it sent.

Notify calls back (POST, JSON, with the bearer token set in its settings) once a message is
delivered or has failed. The receipt names our ledger row by the reference we sent with the
message ("notification-<pk>"), so each channel of each notification gets its own outcome.
A text that can never be delivered (a wrong or dead number) turns texts off for that person.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.models import Notification
from core.registry import text_failed_for_good

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "notification-"


def _ledger_row(receipt: dict) -> Notification | None:
    reference = str(receipt.get("reference") or "")
    if not reference.startswith(REFERENCE_PREFIX):
        return None
    pk = reference.removeprefix(REFERENCE_PREFIX)
    if not pk.isdigit():
        return None
    row = Notification.objects.select_for_update().select_related("recipient").filter(pk=int(pk))
    notification = row.first()
    # A row sent through Notify knows Notify's id: a receipt for another id is not for it.
    if notification and notification.provider_id and receipt.get("id") != notification.provider_id:
        return None
    return notification


@transaction.atomic
def delivery_receipt_record(receipt: dict) -> bool:
    """Record one receipt on its ledger row. Returns False for a receipt that names no row
    (acknowledged all the same, so Notify does not send it again)."""
    status = receipt.get("status")
    if status not in Notification.Delivery.values:
        return False
    notification = _ledger_row(receipt)
    if notification is None:
        logger.info("Delivery receipt for no ledger row: %s", receipt.get("reference"))
        return False
    when = parse_datetime(str(receipt.get("completed_at") or "")) or timezone.now()
    notification.delivery = status
    notification.delivery_at = when
    notification.save(update_fields=["delivery", "delivery_at"])
    if (
        status == Notification.Delivery.PERMANENT_FAILURE
        and notification.channel == Notification.Channel.SMS
    ):
        text_failed_for_good(notification.recipient)
    return True
