"""What the Virtual School side sends: the carer's email when staff reply to their advice
request, and the sections of the staff morning summary.

The reply notification is claimed by schools.services.advice.advice_reply, keyed
"advice-message:<message pk>"; the builder below runs in the worker and renders it from
the current data.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """First name and initial; empty if there is none (a carer who closed their account)."""
    if person is None:
        return ""
    first, last = person.first_name.strip(), person.last_name.strip()
    return f"{first} {last[:1]}".strip()


def _waiting_text(advice) -> str:
    words = {"topic": advice.get_topic_display(), "date": govuk_date(advice.created_at)}
    carer = _short_name(advice.carer)
    if carer:
        return _("%(topic)s from %(carer)s, received %(date)s") % {**words, "carer": carer}
    return _("%(topic)s from a carer, received %(date)s") % words


# (about a pupil, school known, due today) -> the message: each reads whole when translated.
FOLLOW_UP_TEXTS = {
    (True, True, True): gettext_lazy(
        "Follow up the %(contact)s with %(school)s about %(pupil)s: due today"
    ),
    (True, True, False): gettext_lazy(
        "Follow up the %(contact)s with %(school)s about %(pupil)s: was due %(date)s"
    ),
    (True, False, True): gettext_lazy(
        "Follow up the %(contact)s with a school about %(pupil)s: due today"
    ),
    (True, False, False): gettext_lazy(
        "Follow up the %(contact)s with a school about %(pupil)s: was due %(date)s"
    ),
    (False, True, True): gettext_lazy("Follow up the %(contact)s with %(school)s: due today"),
    (False, True, False): gettext_lazy(
        "Follow up the %(contact)s with %(school)s: was due %(date)s"
    ),
    (False, False, True): gettext_lazy("Follow up the %(contact)s with a school: due today"),
    (False, False, False): gettext_lazy(
        "Follow up the %(contact)s with a school: was due %(date)s"
    ),
}


@summary_section
def advice_waiting(membership) -> dict | None:
    """Open requests, longest waiting first."""
    waiting = advice_selectors.open_advice_requests(membership.virtual_school, limit=SUMMARY_LIMIT)
    if not waiting:
        return None
    return {
        "title": _("Advice requests waiting for a reply"),
        "items": [
            {
                "text": _waiting_text(advice),
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
        key = (bool(record.pupil_id), bool(record.school_id), record.follow_up_on == today)
        words = {
            "contact": record.get_contact_type_display().lower(),
            "school": record.school.name if record.school_id else "",
            "pupil": _short_name(record.pupil) if record.pupil_id else "",
            "date": govuk_date(record.follow_up_on),
        }
        items.append(
            {
                "text": str(FOLLOW_UP_TEXTS[key]) % words,
                "url": absolute_url(reverse("schools:liaison_edit", args=[record.pk])),
            }
        )
    return {
        "title": _("Follow-ups due today or overdue"),
        "items": items,
        "url": absolute_url(reverse("schools:liaison")),
    }
