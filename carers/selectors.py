import dataclasses

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from carers.models import CarerProfile, Child, ConsentEvent
from carers.texts import CHANNEL_LABELS, TEXT_KIND_QUESTIONS, text_channel
from core.i18n import service_name
from core.models import Notification
from events.models import Booking
from events.selectors import bookings_exported, feedback_exported
from resources.models import SavedResource
from schools.models import AdviceMessage, AdviceRequest

# How the notification ledger's statuses read to the person the e-mail was for: the ledger's
# own labels are written for the people who run the portal ("check before sending again").
EMAIL_STATUS_FOR_CARER = {
    Notification.Status.PENDING: _("Waiting to be sent"),
    Notification.Status.SENDING: _("Being sent"),
    Notification.Status.SENT: _("Sent"),
    Notification.Status.FAILED: _("Could not be sent"),
    Notification.Status.SKIPPED: _("Not sent: no longer needed"),
    Notification.Status.UNKNOWN: _("Not known if it was sent"),
}


def children_for(profile: CarerProfile) -> QuerySet[Child]:
    return Child.objects.filter(carer=profile).prefetch_related(
        Prefetch("consent_events", queryset=ConsentEvent.objects.order_by("-recorded_at", "-pk"))
    )


@dataclasses.dataclass(frozen=True)
class CarerData:
    """Everything the portal holds about one carer, grouped as on their profile.

    Model instances, so that a page can show labels and dates its own way; carer_export turns
    the same data into plain values. Each consent record carries `recorded_by_label`, each
    advice message `sender_label` and each e-mail `status_label`: the words the carer reads."""

    user: User
    profile: CarerProfile  # with its authority and topics
    email_addresses: list[EmailAddress]
    children: list[Child]  # each with its consent records, newest first
    bookings: list[Booking]  # each with its event and any feedback, in event order
    advice_requests: list[AdviceRequest]  # each with its Virtual School, child and messages
    saved_resources: list[SavedResource]  # each with its resource, newest first
    emails: list[Notification]  # the notification ledger's rows for the carer, newest first
    text_messages: dict  # their mobile number, consent and choices (text_messages_exported)

    @property
    def bookings_with_feedback(self) -> list[Booking]:
        """The bookings the carer rated afterwards: booking.feedback, fetched with them."""
        return [b for b in self.bookings if hasattr(b, "feedback")]


def carer_data(*, profile: CarerProfile) -> CarerData:
    """Read everything about the carer whose profile this is (loaded with its local authority,
    as CarerRequiredMixin does), in one query per group whatever the amount of data: topics,
    e-mail addresses, children, consent records, bookings, questions, their messages, saved
    advice and e-mails sent: 9.

    Staff members' names are not read: the carer sees replies as from the Virtual School, as
    on their own thread (templates/advice/includes/thread.html)."""
    user = profile.user
    prefetch_related_objects([profile], "topics")
    children = list(children_for(profile))
    for child in children:
        for event in child.consent_events.all():
            event.recorded_by_label = (
                gettext("You")
                if event.recorded_by_id == user.pk
                else gettext("Someone other than you")
                if event.recorded_by_id
                else gettext("Not recorded")
            )
    advice_requests = list(
        AdviceRequest.objects.filter(carer=user)
        .select_related("virtual_school", "child")
        # A reply's author_label names the member of staff: the carer's thread never does.
        .prefetch_related(
            Prefetch("messages", queryset=AdviceMessage.objects.defer("author_label"))
        )
        .order_by("created_at", "pk")
    )
    for request in advice_requests:
        for message in request.messages.all():
            message.sender_label = (
                gettext("Note from %(service)s") % {"service": service_name()}
                if message.is_note
                else request.virtual_school.name
                if message.from_staff
                else gettext("You")
            )
    emails = list(Notification.objects.filter(recipient=user).defer("payload", "last_error"))
    for email in emails:
        email.status_label = str(
            EMAIL_STATUS_FOR_CARER.get(email.status, email.get_status_display())
        )
    return CarerData(
        user=user,
        profile=profile,
        email_addresses=list(EmailAddress.objects.filter(user=user).order_by("-primary", "email")),
        children=children,
        bookings=list(
            Booking.objects.filter(user=user)
            .select_related("event", "feedback")
            .defer("event__description", "event__description_html", "event__join_url")
            .order_by("event__starts_at", "pk")
        ),
        advice_requests=advice_requests,
        saved_resources=list(
            SavedResource.objects.filter(user=user)
            .select_related("resource")
            .only("saved_at", "resource__title", "resource__slug")
        ),
        emails=emails,
        text_messages=text_messages_exported(profile),
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def carer_export(*, profile: CarerProfile) -> dict:
    """Everything the portal holds about one carer, as plain data for a JSON download."""
    data = carer_data(profile=profile)
    user = data.user
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
        "profile": {
            "local_authority": profile.local_authority.name if profile.local_authority else None,
            "relationship": profile.get_relationship_display() if profile.relationship else None,
            "arrangement": profile.get_arrangement_display() if profile.arrangement else None,
            "topics": [t.name for t in profile.topics.all()],
            "digest_frequency": profile.get_digest_frequency_display(),
            "event_reminders": profile.reminders_enabled,
            "onboarded_at": _iso(profile.onboarded_at),
            "text_messages": data.text_messages,
        },
        "children": [
            {
                "first_name": child.first_name,
                "year_of_birth": child.year_of_birth,
                "school_year": child.get_school_year_display() if child.school_year else None,
                "school_name": child.school_name or None,
                "shared_with_virtual_school": child.shares_with_virtual_school,
                "consent_history": [
                    {
                        "action": e.get_action_display(),
                        "recorded_at": _iso(e.recorded_at),
                        "recorded_by": e.recorded_by_label,
                        "statement": e.statement,
                    }
                    for e in child.consent_events.all()
                ],
            }
            for child in data.children
        ],
        "saved_resources": [
            {"title": saved.resource.title, "saved_at": _iso(saved.saved_at)}
            for saved in data.saved_resources
        ],
        "advice_requests": [
            {
                "virtual_school": request.virtual_school.name,
                "topic": request.get_topic_display(),
                "about": request.child.first_name if request.child else None,
                "status": request.get_status_display(),
                "asked_at": _iso(request.created_at),
                "closed_at": _iso(request.closed_at),
                "may_contact_school": request.may_contact_school,
                "messages": [
                    {"from": m.sender_label, "at": _iso(m.created_at), "text": m.body}
                    for m in request.messages.all()
                ],
            }
            for request in data.advice_requests
        ],
        "bookings": bookings_exported(data.bookings),
        "event_feedback": feedback_exported(data.bookings_with_feedback),
        "emails_sent": emails_exported(data.emails),
    }


def text_messages_exported(profile: CarerProfile) -> dict:
    """The carer's mobile number, whether it is verified, what they agreed to and which
    messages go by text, for the copy of their data they download."""
    return {
        "mobile_number": profile.mobile_number or None,
        "verified": profile.mobile_verified_at is not None,
        "verified_at": _iso(profile.mobile_verified_at),
        "consent_statement": profile.text_consent_statement or None,
        "consent_given_at": _iso(profile.text_consent_at),
        "choices": {
            str(Notification.Kind(kind).label): str(CHANNEL_LABELS[text_channel(profile, kind)])
            for kind in TEXT_KIND_QUESTIONS
        },
        "stopped_at": _iso(profile.texts_stopped_at),
        "failed_at": _iso(profile.text_failed_at),
    }


def emails_exported(emails) -> list[dict]:
    """The e-mails the portal sent a person, for the copy of their data they download."""
    return [
        {
            "email": email.get_kind_display(),
            "status": email.status_label,
            "created_at": _iso(email.created_at),
            "sent_at": _iso(email.sent_at),
        }
        for email in emails
    ]


def account_deletion_preview(*, user: User) -> dict:
    """What deleting this carer's account will do, for the page that asks them to confirm."""
    from django.utils import timezone

    return {
        "future_bookings": list(
            Booking.objects.filter(
                user=user,
                status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITLISTED],
                event__starts_at__gt=timezone.now(),
            )
            .select_related("event")
            .order_by("event__starts_at")
        ),
        "questions": user.advice_requests.count(),
        "shared_children": list(
            Child.objects.filter(carer__user=user, pupil_record__isnull=False).values_list(
                "first_name", flat=True
            )
        ),
    }
