"""The digest: built from the ids chosen in the batch, rendered in the worker."""

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from carers.models import CarerProfile
from carers.texts import CHANNELS, text_channel, texts_fail
from core.mail import absolute_url, render_email
from core.models import Notification
from core.notify import builds, common_context
from core.registry import EMAIL, channels_provider, mobile_provider, text_failure_handler

UNSUBSCRIBE_SALT = "carers.digest-unsubscribe"
# Every digest carries a fresh link; an old one stops working after a year.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 60 * 60


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        data.get("user") if isinstance(data, dict) and isinstance(data.get("user"), int) else None
    )


def unsubscribe_url(user) -> str:
    return absolute_url(reverse("carers:unsubscribe", args=[unsubscribe_token(user)]))


@builds(Notification.Kind.DIGEST)
def build_digest(notification) -> dict | None:
    from events.models import Event
    from resources.models import Resource

    profile = getattr(notification.recipient, "carer_profile", None)
    if profile is None or profile.digest_frequency == profile.DigestFrequency.NEVER:
        return None  # they unsubscribed after the digest was planned
    payload = notification.payload
    # Checked again when sent: a resource made staff-only since the digest was planned is left out.
    by_id = {
        r.pk: r
        for r in Resource.objects.live().filter(
            pk__in=payload.get("resources", []), staff_only=False
        )
    }
    for_you = set(payload.get("for_you", []))
    resources = [
        {
            "title": r.title,
            "summary": r.summary,
            "url": absolute_url(r.get_absolute_url()),
            "for_you": r.pk in for_you,
        }
        for pk in payload.get("resources", [])
        if (r := by_id.get(pk))
    ]
    events = [
        {
            "title": e.title,
            "starts_at": e.starts_at,
            "url": absolute_url(e.get_absolute_url()),
            "format_label": e.get_format_display(),
            "places_left": e.places_left(),
        }
        for e in Event.objects.filter(
            pk__in=payload.get("events", []), status=Event.Status.PUBLISHED
        )
        .with_places()
        .order_by("starts_at")
    ]
    if not resources and not events:
        return None
    unsubscribe = unsubscribe_url(notification.recipient)
    message = render_email(
        "carers/digest",
        {
            **common_context(notification.recipient),
            # Kept in English in the payload (carers.services.digest_period): translated here.
            "period_label": gettext(payload.get("period_label") or "this week"),
            "resources": resources,
            "events": events,
            "unsubscribe_url": unsubscribe,
        },
    )
    # RFC 8058 one-click unsubscribe: mail apps POST to the link without the carer signing in.
    message["headers"] = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return message


# Text messages (carers/texts.py) ---------------------------------------------------------------


def _texting_profile(user) -> CarerProfile | None:
    """The carer's profile if texts can go to them, else None. At most one query: the profile
    row, which Django then keeps on the user object (for staff and professionals: none)."""
    if user is None or user.pk is None or user.is_staff or user.is_superuser:
        return None
    if getattr(user, "is_professional", False):
        return None
    profile = getattr(user, "carer_profile", None)
    return profile if profile is not None and profile.gets_texts else None


@channels_provider
def carer_channels(user, kind: str) -> set[str]:
    """{"email"}, {"sms"} or {"email", "sms"}: text only for a carer with a verified number
    (not stopped, not failed), for a kind that can go by text, as they chose it."""
    profile = _texting_profile(user)
    if profile is None:
        return {EMAIL}
    return set(CHANNELS[text_channel(profile, kind)])


@mobile_provider
def carer_mobile(user) -> str | None:
    """The carer's verified number (E.164) while texts are on, else None."""
    profile = _texting_profile(user)
    return profile.mobile_number if profile is not None else None


@text_failure_handler
def carer_text_failed(user) -> None:
    """A text to the carer's number failed for good: texts off until they set them up again,
    and they are told on their next visit. One query (an UPDATE)."""
    if texts_fail(user=user) and type(user).carer_profile.is_cached(user):
        # The profile already on this user object no longer gets texts either.
        cached = getattr(user, "carer_profile", None)
        if cached is not None:
            cached.mobile_verified_at = None
            cached.text_failed_at = timezone.now()
            cached.text_failure_seen = False
