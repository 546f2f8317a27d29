"""The certificate of attendance, e-mailed as a PDF once someone is marked present.

Claimed by professionals.services.certificate_claim inside the register's transaction; built
here by the worker, in the person's language, from the booking as it is then.
"""

from django.urls import reverse

from core.mail import absolute_url, render_email
from core.models import Notification
from core.notify import builds, common_context
from events.models import Booking
from professionals.certificates import certificate_filename, certificate_pdf
from professionals.selectors import certificate_booking, event_days, event_duration


@builds(Notification.Kind.CERTIFICATE)
def build_certificate(notification) -> dict | None:
    """Only while the person is still marked present (an admin may have corrected the
    register since)."""
    booking_id = int(notification.key.split(":")[1])
    booking: Booking | None = certificate_booking(
        user=notification.recipient, booking_id=booking_id
    )
    if booking is None:
        return None
    event = booking.event
    message = render_email(
        "professionals/certificate",
        {
            **common_context(booking.user),
            "event": event,
            "days": event_days(event),
            "duration": event_duration(event),
            "training_url": absolute_url(reverse("professionals:home")),
        },
    )
    message["attachments"] = [
        (certificate_filename(booking), certificate_pdf(booking), "application/pdf")
    ]
    return message
