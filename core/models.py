from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person for one occasion, claimed here before it is sent.

    The unique (kind, recipient, key) row is what makes every notification go at most
    once: a retried task, a second beat or a second worker finds the row already there
    (or already sent) and does nothing.
    """

    class Kind(models.TextChoices):
        BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
        BOOKING_WAITLISTED = "booking_waitlisted", _("Joined the waiting list")
        BOOKING_PROMOTED = "booking_promoted", _("Promoted from the waiting list")
        BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        EVENT_REMINDER = "event_reminder", _("Event reminder")
        EVENT_MESSAGE = "event_message", _("Message from the organisers about an event")
        JOIN_LINK = "join_link", _("Link to join an online event")
        SERIES_BOOKED = "series_booked", _("Booked on several dates of a series")
        SESSION_CANCELLED = "session_cancelled", _("One session of a course cancelled")
        FEEDBACK_REQUEST = "feedback_request", _("Thank you and feedback request")
        CERTIFICATE = "certificate", _("Certificate of attendance")
        DIGEST = "digest", _("Digest of new advice and events")
        ADVICE_REPLY = "advice_reply", _("Reply to an advice request")
        STAFF_SUMMARY = "staff_summary", _("Staff morning summary")
        INACTIVE_ACCOUNT = "inactive_account", _("Account about to be deleted for inactivity")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    class Delivery(models.TextChoices):
        """What GOV.UK Notify later said of it (its delivery receipt), when Notify sent it."""

        DELIVERED = "delivered", _("Delivered")
        PERMANENT_FAILURE = "permanent-failure", _("Not delivered: the address or number is wrong")
        TEMPORARY_FAILURE = "temporary-failure", _("Not delivered: inbox full or phone off")
        TECHNICAL_FAILURE = "technical-failure", _("Not delivered: a problem at Notify")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        # Claimed by a worker and committed before the message is handed to the mail server.
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed")
        # Left "being sent" too long: the worker died or could not record the outcome, so
        # nobody knows whether the mail server took it. Never sent again without a person.
        UNKNOWN = "unknown", _("Not known if sent: check before sending again")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Each channel of a notification is a row of its own, claimed and sent once.
    channel = models.CharField(
        max_length=5, choices=Channel.choices, default=Channel.EMAIL, db_default=Channel.EMAIL
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(
        max_length=120, help_text=_("The occasion, e.g. booking:12 or digest:2026-W48.")
    )
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(db_default=Now())
    sending_since = models.DateTimeField(
        null=True, blank=True, help_text=_("When a worker last took it to hand to the mail server.")
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language it was written in: the recipient's, when it was sent."),
    )
    provider_id = models.CharField(
        max_length=64, blank=True, help_text=_("GOV.UK Notify's id for it, when Notify sent it.")
    )
    delivery = models.CharField(max_length=20, choices=Delivery.choices, blank=True)
    delivery_at = models.DateTimeField(null=True, blank=True)
    fragments = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("How many SMS fragments a text took (what it costs).")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "key", "channel"], name="notification_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="notification_kind_status_idx")]

    def __str__(self) -> str:
        return gettext("%(kind)s to %(recipient)s (%(key)s)") % {
            "kind": self.get_kind_display(),
            "recipient": self.recipient,
            "key": self.key,
        }
