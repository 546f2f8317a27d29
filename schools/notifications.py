"""What the Virtual School side sends: the carer's email when staff reply to their advice
request, and the sections of the staff morning summary.

The reply notification is claimed by schools.services.advice.advice_reply, keyed
"advice-message:<message pk>"; the builder below runs in the worker and renders it from
the current data.
"""

from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url, render_email
from core.models import Notification
from core.notify import builds, common_context, staff_summary_sections, summary_section
from core.templatetags.portal import govuk_date
from schools.models import AdviceMessage
from schools.selectors import advice as advice_selectors
from schools.selectors import records as record_selectors

SUMMARY_LIMIT = 10


def _message_for(notification) -> AdviceMessage | None:
    """The staff reply this notification is about, if it (and the request) still exist."""
    _, _, message_id = notification.key.partition(":")
    if not message_id.isdigit():
        return None
    return (
        AdviceMessage.objects.select_related("request__virtual_school")
        .filter(pk=int(message_id), from_staff=True, request__carer=notification.recipient)
        .first()
    )


@builds(Notification.Kind.ADVICE_REPLY)
def build_advice_reply(notification) -> dict | None:
    message = _message_for(notification)
    if message is None:
        return None
    advice = message.request
    return render_email(
        "schools/advice_reply",
        {
            **common_context(notification.recipient),
            "advice": advice,
            "reply": message,
            "virtual_school": advice.virtual_school,
            "thread_url": absolute_url(reverse("advice:detail", args=[advice.pk])),
            "new_question_url": absolute_url(reverse("advice:new")),
        },
    )


# Staff morning summary --------------------------------------------------------------------
# Claimed each morning by schools.services.staff.staff_summaries_claim_due for every member of
# staff with something in a section; any app can add a section with @summary_section.


@builds(Notification.Kind.STAFF_SUMMARY)
def build_staff_summary(notification) -> dict | None:
    membership = getattr(notification.recipient, "staff_membership", None)
    if membership is None:
        return None
    sections = staff_summary_sections(membership)
    if not sections:
        return None
    return render_email(
        "staff_summary",
        {**common_context(notification.recipient), "membership": membership, "sections": sections},
    )


# Email is less safe than the portal: names are shortened to a first name and an initial, and
# every item links to the page with the details.


def _short_name(person) -> str:
    if person is None:  # closed their account
        return "a carer"
    first, last = person.first_name.strip(), person.last_name.strip()
    return f"{first} {last[:1]}".strip() or "a carer"


@summary_section
def advice_waiting(membership) -> dict | None:
    """Open requests, longest waiting first."""
    waiting = advice_selectors.open_advice_requests(membership.virtual_school, limit=SUMMARY_LIMIT)
    if not waiting:
        return None
    return {
        "title": "Advice requests waiting for a reply",
        "items": [
            {
                "text": f"{advice.get_topic_display()} from {_short_name(advice.carer)}, "
                f"received {govuk_date(advice.created_at)}",
                "url": absolute_url(reverse("schools:advice_detail", args=[advice.pk])),
            }
            for advice in waiting
        ],
        "url": absolute_url(reverse("schools:advice_inbox")),
    }


@summary_section
def follow_ups_due(membership) -> dict | None:
    """Liaison follow-ups due today or overdue, oldest first."""
    due = record_selectors.follow_ups_due(membership.virtual_school, limit=SUMMARY_LIMIT)
    if not due:
        return None
    today = timezone.localdate()
    items = []
    for record in due:
        about = record.school.name if record.school_id else "a school"
        if record.pupil_id:
            about += f" about {_short_name(record.pupil)}"
        when = (
            "due today"
            if record.follow_up_on == today
            else f"was due {govuk_date(record.follow_up_on)}"
        )
        items.append(
            {
                "text": f"Follow up the {record.get_contact_type_display().lower()} with {about}: {when}",
                "url": absolute_url(reverse("schools:liaison_edit", args=[record.pk])),
            }
        )
    return {
        "title": "Follow-ups due today or overdue",
        "items": items,
        "url": absolute_url(reverse("schools:liaison")),
    }
