"""Text messages for carers who opt in: their UK mobile number, the code that proves it is
theirs, what they agreed to, and which messages they want by text.

The number is checked with `phonenumbers` and kept in E.164 form. The code is six digits
(secrets); only a keyed hash of it is kept, on the profile row (not in the cache: a code
must survive a cache restart and be checked under the row's lock), with when it expires
and how many wrong tries it has had. Codes go straight to GOV.UK Notify
(core.govuk_notify.send_sms), not through the notification ledger: they are needed now,
and a code sent late is no use. How many codes a carer may ask for is limited per hour
(code_rate_limited).

carers/notifications.py tells the ledger, through core.registry, which channels and which
number each carer has.
"""

import enum
import secrets

import phonenumbers
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from carers.models import CarerProfile
from core import govuk_notify
from core.i18n import service_name
from core.models import Notification
from core.registry import EMAIL, SMS

# The kinds of message a carer may have by text: short, and about something happening soon.
TEXT_KINDS = frozenset(
    {
        Notification.Kind.BOOKING_CONFIRMED,
        Notification.Kind.BOOKING_PROMOTED,
        Notification.Kind.EVENT_REMINDER,
        Notification.Kind.EVENT_CANCELLED,
    }
)
# The same, in the order the choices page and the profile list them, with the question each
# asks and the message when it is not answered.
TEXT_KIND_QUESTIONS = {
    Notification.Kind.BOOKING_CONFIRMED: (
        _("When your booking is confirmed"),
        _("Choose how you want to hear when your booking is confirmed"),
    ),
    Notification.Kind.BOOKING_PROMOTED: (
        _("When you get a place from the waiting list"),
        _("Choose how you want to hear when you get a place from the waiting list"),
    ),
    Notification.Kind.EVENT_REMINDER: (
        _("Reminders before events you have booked"),
        _("Choose how you want to get reminders before events"),
    ),
    Notification.Kind.EVENT_CANCELLED: (
        _("When an event you booked is cancelled"),
        _("Choose how you want to hear when an event is cancelled"),
    ),
}
assert set(TEXT_KIND_QUESTIONS) == TEXT_KINDS

BOTH = "both"
CHANNEL_CHOICES = [
    (EMAIL, _("Email")),
    (SMS, _("Text message")),
    (BOTH, _("Email and text message")),
]
CHANNEL_LABELS = dict(CHANNEL_CHOICES)
CHANNELS = {EMAIL: {EMAIL}, SMS: {SMS}, BOTH: {EMAIL, SMS}}

CODE_DIGITS = 6
CODE_LIFETIME = timezone.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Codes a carer may ask for (django-ratelimit's rate), unless settings say otherwise.
DEFAULT_CODE_RATE_LIMIT = "3/h"

# What the carer ticks to agree, kept with their profile in the language they read it in.
CONSENT_STATEMENT_TEXT = gettext_noop(
    "I agree to get text messages from %(service)s about my bookings and events. I can stop "
    "them at any time from my profile."
)
CODE_MESSAGE = gettext_noop("%(service)s: your code is %(code)s. It expires in 10 minutes.")


def consent_statement() -> str:
    """The words a carer agrees to, in the active language."""
    return gettext(CONSENT_STATEMENT_TEXT) % {"service": service_name()}


def texts_available() -> bool:
    """This portal can send text messages (a Notify key and a text template are set)."""
    return govuk_notify.sms_configured()


class TextError(Exception):
    """A text-message step could not be done; the message says why, for the carer."""


# The number ----------------------------------------------------------------------------------

# Ofcom's range for drama (07700 900000 to 900999): phonenumbers calls it invalid, Notify
# accepts it. Nobody has one of these numbers, so nobody else is texted by mistake.
_DRAMA_RANGE = range(7700900000, 7700901000)
_NUMBER_CHARACTERS = set("0123456789+-(). ")


def uk_mobile_normalise(value: str) -> str:
    """A UK mobile number as typed (07700 900 982, +44 7700 900982, 0044…) in E.164 form
    (+447700900982). Raises forms.ValidationError with a message for the carer."""
    value = (value or "").strip()
    invalid = forms.ValidationError(
        _("Enter a UK mobile number, like 07700 900 982"), code="invalid"
    )
    if not value or len(value) > 30 or set(value) - _NUMBER_CHARACTERS:
        raise invalid
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise invalid from None
    if number.country_code != 44:
        raise forms.ValidationError(
            _("Enter a UK mobile number. We can only send text messages to UK numbers"),
            code="not_uk",
        )
    if number.national_number not in _DRAMA_RANGE:
        if not phonenumbers.is_valid_number(number):
            raise invalid
        if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
            raise forms.ValidationError(
                _("Enter a mobile number, not a landline. UK mobile numbers start with 07"),
                code="not_mobile",
            )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_format(number: str) -> str:
    """+447700900982 as people write it: 07700 900982."""
    if not number:
        return ""
    parsed = phonenumbers.parse(number, "GB")
    if parsed.national_number in _DRAMA_RANGE:
        national = f"0{parsed.national_number}"
        return f"{national[:5]} {national[5:]}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


# The code ------------------------------------------------------------------------------------


def _code_hash(profile: CarerProfile, number: str, code: str) -> str:
    """Keyed with SECRET_KEY and bound to this carer and number: a code sent to one number
    proves nothing about another, and a copy of the database does not give codes away."""
    return salted_hmac(
        "carers.texts.code", f"{profile.pk}:{number}:{code}", algorithm="sha256"
    ).hexdigest()


def code_rate(group, request) -> str:
    return getattr(settings, "TEXT_CODE_RATE_LIMIT", DEFAULT_CODE_RATE_LIMIT)


def code_rate_limited(request) -> bool:
    """Count one more code for the signed-in carer; True when they have had too many."""
    return is_ratelimited(
        request, group="carers.text_code", key="user", rate=code_rate, increment=True
    )


def text_code_send(*, profile: CarerProfile, number: str, statement: str) -> CarerProfile:
    """Text a new code to `number` (E.164) and keep the number, unverified, with the words the
    carer agreed to. Until the code is entered, everything goes by e-mail.

    The text is sent first and the profile saved after, so a number Notify refuses is not
    kept. Raises TextError when the text could not be sent."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    try:
        govuk_notify.send_sms(
            phone_number=number,
            body=gettext(CODE_MESSAGE) % {"service": service_name(), "code": code},
        )
    except govuk_notify.NotifyPermanentError as error:
        if error.status_code == 400:
            raise TextError(
                gettext(
                    "We could not send a text message to this number. Check it is a UK "
                    "mobile number and try again"
                )
            ) from error
        raise TextError(
            gettext("Text messages are not working at the moment. Try again later")
        ) from error
    except govuk_notify.NotifyTemporaryError as error:
        raise TextError(
            gettext("We could not send the code just now. Wait a few minutes, then try again")
        ) from error
    with transaction.atomic():
        profile.mobile_number = number
        profile.mobile_verified_at = None
        profile.text_consent_statement = statement
        profile.text_consent_at = None
        profile.mobile_code_hash = _code_hash(profile, number, code)
        profile.mobile_code_expires_at = timezone.now() + CODE_LIFETIME
        profile.mobile_code_attempts = 0
        profile.save(
            update_fields=[
                "mobile_number",
                "mobile_verified_at",
                "text_consent_statement",
                "text_consent_at",
                "mobile_code_hash",
                "mobile_code_expires_at",
                "mobile_code_attempts",
                "updated_at",
            ]
        )
    return profile


def code_waiting(profile: CarerProfile) -> bool:
    """A number waits for its code to be entered."""
    return bool(profile.mobile_number and profile.mobile_code_hash)


class CodeCheck(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    TOO_MANY = "too_many"  # this try was one too many, or the tries were used up before it
    EXPIRED = "expired"
    NO_CODE = "no_code"


@transaction.atomic
def text_code_check(*, profile: CarerProfile, code: str) -> CodeCheck:
    """Check the code the carer typed. The right one verifies the number and records their
    consent; a wrong one counts, and after CODE_MAX_ATTEMPTS none is accepted until a new
    code is sent."""
    locked = CarerProfile.objects.select_for_update().get(pk=profile.pk)
    if not code_waiting(locked):
        result = CodeCheck.NO_CODE
    elif locked.mobile_code_attempts >= CODE_MAX_ATTEMPTS:
        result = CodeCheck.TOO_MANY
    elif locked.mobile_code_expires_at is None or locked.mobile_code_expires_at <= timezone.now():
        result = CodeCheck.EXPIRED
    elif constant_time_compare(
        _code_hash(locked, locked.mobile_number, code), locked.mobile_code_hash
    ):
        now = timezone.now()
        locked.mobile_verified_at = now
        locked.text_consent_at = now
        locked.texts_stopped_at = None
        locked.text_failed_at = None
        locked.text_failure_seen = True
        _forget_code(locked)
        locked.save()
        result = CodeCheck.RIGHT
    else:
        locked.mobile_code_attempts += 1
        locked.save(update_fields=["mobile_code_attempts", "updated_at"])
        result = (
            CodeCheck.TOO_MANY
            if locked.mobile_code_attempts >= CODE_MAX_ATTEMPTS
            else CodeCheck.WRONG
        )
    _copy_text_fields(locked, profile)
    return result


def _forget_code(profile: CarerProfile) -> None:
    profile.mobile_code_hash = ""
    profile.mobile_code_expires_at = None
    profile.mobile_code_attempts = 0


TEXT_FIELDS = [
    "mobile_number",
    "mobile_verified_at",
    "mobile_code_hash",
    "mobile_code_expires_at",
    "mobile_code_attempts",
    "text_consent_statement",
    "text_consent_at",
    "text_channels",
    "texts_stopped_at",
    "text_failed_at",
    "text_failure_seen",
]


def _copy_text_fields(source: CarerProfile, target: CarerProfile) -> None:
    for name in TEXT_FIELDS:
        setattr(target, name, getattr(source, name))


# Choices, stopping and failures ----------------------------------------------------------------


def text_channel(profile: CarerProfile, kind: str) -> str:
    """ "email", "sms" or "both" for this kind: e-mail unless the carer chose otherwise."""
    if kind not in TEXT_KINDS:
        return EMAIL
    choice = (profile.text_channels or {}).get(str(kind))
    return choice if choice in CHANNELS else EMAIL


@transaction.atomic
def text_channels_set(*, profile: CarerProfile, channels: dict[str, str]) -> CarerProfile:
    """Save which messages go by text: {kind: "email" | "sms" | "both"}, for TEXT_KINDS only."""
    profile.text_channels = {
        str(kind): channels[kind]
        for kind in TEXT_KIND_QUESTIONS
        if channels.get(kind) in CHANNELS and channels[kind] != EMAIL
    }
    profile.save(update_fields=["text_channels", "updated_at"])
    return profile


@transaction.atomic
def texts_stop(*, profile: CarerProfile) -> CarerProfile:
    """The carer stops text messages: the number, its verification, what they agreed to and
    their choices are removed. Everything goes by e-mail again."""
    profile.mobile_number = ""
    profile.mobile_verified_at = None
    profile.text_consent_statement = ""
    profile.text_consent_at = None
    profile.text_channels = {}
    profile.texts_stopped_at = timezone.now()
    profile.text_failed_at = None
    profile.text_failure_seen = True
    _forget_code(profile)
    profile.save(update_fields=[*TEXT_FIELDS, "updated_at"])
    return profile


def texts_fail(*, user) -> bool:
    """A text to the carer's number failed for good: texts are off until they set them up
    again, and they are told on their next visit. One query; False when texts were not on
    (already failed, stopped, or never set up), so a second receipt changes nothing."""
    return bool(
        CarerProfile.objects.filter(user_id=user.pk, mobile_verified_at__isnull=False).update(
            mobile_verified_at=None,
            text_failed_at=timezone.now(),
            text_failure_seen=False,
            updated_at=timezone.now(),
        )
    )


def text_failure_tell(*, profile: CarerProfile) -> str | None:
    """The warning to show once about a failed number, or None when there is nothing to tell
    (or another request has just told it). No query when there is nothing to tell."""
    if profile.text_failure_seen:
        return None
    profile.text_failure_seen = True
    if not CarerProfile.objects.filter(pk=profile.pk, text_failure_seen=False).update(
        text_failure_seen=True
    ):
        return None
    return gettext(
        "We could not send text messages to your number ending %(last_digits)s, so we have "
        "stopped sending texts. Check the number and set texts up again from your profile."
    ) % {"last_digits": profile.mobile_last_digits}


def text_summary(profile: CarerProfile) -> list[dict]:
    """What goes by text, for the profile page: [{"label", "channel"}] in the page's order."""
    return [
        {"label": question, "channel": CHANNEL_LABELS[text_channel(profile, kind)]}
        for kind, (question, _error) in TEXT_KIND_QUESTIONS.items()
    ]
