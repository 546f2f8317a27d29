"""Text messages for carers: adding and verifying a mobile number, choosing which messages
come by text, stopping them, and what happens when Notify says the number cannot be reached.

Codes go to the fake GOV.UK Notify (tests/fakes/notify.py) through the real client."""

import html
import json
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from carers.models import CarerProfile
from carers.texts import CONSENT_STATEMENT_TEXT, TEXT_KINDS, uk_mobile_normalise
from core import registry
from core.models import Notification
from tests.factories import PASSWORD, CarerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

START, VERIFY, RESEND = (
    reverse("carers:texts"),
    reverse("carers:texts_verify"),
    reverse("carers:texts_resend"),
)
CHOICES, STOP, PROFILE = (
    reverse("carers:texts_choices"),
    reverse("carers:texts_stop"),
    reverse("carers:profile"),
)
NUMBER = "+447700900982"
STATEMENT = CONSENT_STATEMENT_TEXT % {"service": "Kinship Portal"}
Kind = Notification.Kind


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the code rate limit counts in the cache
    yield
    cache.clear()


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _code_in(text: dict) -> str:
    match = re.fullmatch(
        r"Kinship Portal: your code is (\d{6})\. It expires in 10 minutes\.",
        text["personalisation"]["body"],
    )
    assert match, text
    return match.group(1)


def _fresh(user) -> User:
    """The user as the notification worker would load them: nothing cached."""
    return User.objects.get(pk=user.pk)


def _ask_for_code(client, number="07700 900 982"):
    return client.post(START, {"mobile_number": number, "consent": "on"})


def _set_up_texts(client, fake) -> None:
    assert _ask_for_code(client)["Location"] == VERIFY
    response = client.post(VERIFY, {"code": _code_in(fake.texts[-1])})
    assert response["Location"] == CHOICES


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# Adding and verifying a number ---------------------------------------------------------------


def test_a_carer_adds_her_mobile_and_verifies_it(carer_client, carer, fake_notify):
    profile_page = _page(carer_client.get(PROFILE))
    assert f'href="{START}"' in profile_page
    page = _page(carer_client.get(START))
    assert "UK mobile number" in page
    assert STATEMENT in page  # the checkbox's label is the statement itself

    response = _ask_for_code(carer_client)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    [text] = fake_notify.texts
    assert text["phone_number"] == NUMBER  # normalised before it went
    code = _code_in(text)
    profile = CarerProfile.objects.get(user=carer)
    assert profile.mobile_number == NUMBER
    assert profile.mobile_verified_at is None
    assert code not in profile.mobile_code_hash  # only a hash of it is kept
    assert registry.channels_for(_fresh(carer), Kind.BOOKING_CONFIRMED) == {"email"}
    assert registry.mobile_for(_fresh(carer)) is None  # not until she enters the code

    assert "You have not yet entered the code we sent to your number ending 982" in _page(
        carer_client.get(PROFILE)
    )
    page = _page(carer_client.get(VERIFY))
    assert "Check your phone" in page
    assert "We have sent a code to 07700 900982." in page

    response = carer_client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert response["Location"] == CHOICES
    profile.refresh_from_db()
    assert profile.mobile_verified_at is not None
    assert profile.text_consent_statement == STATEMENT
    assert profile.text_consent_at is not None
    assert profile.mobile_code_hash == ""
    assert registry.mobile_for(_fresh(carer)) == NUMBER
    # Until she chooses otherwise, everything still comes by e-mail.
    assert registry.channels_for(_fresh(carer), Kind.BOOKING_CONFIRMED) == {"email"}
    assert "Your mobile number is confirmed" in _page(carer_client.get(CHOICES))
    assert len(fake_notify.texts) == 1


def test_a_wrong_code_is_explained_beside_the_field(carer_client, carer, fake_notify):
    _ask_for_code(carer_client)
    code = _code_in(fake_notify.texts[-1])
    response = carer_client.post(VERIFY, {"code": _wrong(code)})
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert (
        '<p id="id_code-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> The code is not right. Check the text message and try again</p>"
    ) in page
    assert CarerProfile.objects.get(user=carer).mobile_verified_at is None

    page = _page(carer_client.post(VERIFY, {"code": "12345"}))
    assert "The code must be 6 numbers" in page
    page = _page(carer_client.post(VERIFY, {"code": ""}))
    assert "Enter the code from the text message" in page


def test_an_expired_code_needs_a_new_one(carer_client, carer, fake_notify, time_machine):
    time_machine.move_to(timezone.now(), tick=True)
    _ask_for_code(carer_client)
    code = _code_in(fake_notify.texts[-1])
    time_machine.shift(timezone.timedelta(minutes=10, seconds=1))

    page = _page(carer_client.post(VERIFY, {"code": code}))
    assert "The code has expired. Select ‘Send a new code’ to get another one" in page
    assert CarerProfile.objects.get(user=carer).mobile_verified_at is None

    response = carer_client.post(RESEND)
    assert response["Location"] == VERIFY
    assert "We have sent a new code to 07700 900982." in _page(carer_client.get(VERIFY))
    assert len(fake_notify.texts) == 2
    new_code = _code_in(fake_notify.texts[-1])
    assert carer_client.post(VERIFY, {"code": new_code})["Location"] == CHOICES


def test_five_wrong_codes_and_even_the_right_one_is_refused(carer_client, carer, fake_notify):
    _ask_for_code(carer_client)
    code = _code_in(fake_notify.texts[-1])
    for _ in range(4):
        assert "The code is not right" in _page(carer_client.post(VERIFY, {"code": _wrong(code)}))
    too_many = "You have entered a wrong code too many times"
    assert too_many in _page(carer_client.post(VERIFY, {"code": _wrong(code)}))
    assert too_many in _page(carer_client.post(VERIFY, {"code": code}))
    assert CarerProfile.objects.get(user=carer).mobile_verified_at is None

    carer_client.post(RESEND)
    assert carer_client.post(VERIFY, {"code": _code_in(fake_notify.texts[-1])})["Location"] == (
        CHOICES
    )


def test_codes_are_limited_to_three_an_hour(carer_client, carer, fake_notify):
    # A form with a mistake sends nothing, so it does not count.
    assert _ask_for_code(carer_client, "rubbish").status_code == 200
    _ask_for_code(carer_client)
    carer_client.post(RESEND)
    _ask_for_code(carer_client, "07700900123")
    assert len(fake_notify.texts) == 3

    page = _page(carer_client.post(START, {"mobile_number": "07700 900 982", "consent": "on"}))
    assert "You have asked for too many codes. Wait an hour, then try again." in page
    carer_client.post(RESEND)
    assert "You have asked for too many codes" in _page(carer_client.get(VERIFY))
    assert len(fake_notify.texts) == 3


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("020 7946 0958", "Enter a mobile number, not a landline. UK mobile numbers start with 07"),
        (
            "+33 6 12 34 56 78",
            "Enter a UK mobile number. We can only send text messages to UK numbers",
        ),
        ("rubbish", "Enter a UK mobile number, like 07700 900 982"),
        ("07700 9009", "Enter a UK mobile number, like 07700 900 982"),
        ("0800 FLOWERS", "Enter a UK mobile number, like 07700 900 982"),
        ("", "Enter a UK mobile number"),
    ],
)
def test_a_number_that_is_not_a_uk_mobile_is_refused(
    carer_client, carer, fake_notify, typed, message
):
    response = _ask_for_code(carer_client, typed)
    assert response.status_code == 200
    assert message in _page(response)
    assert fake_notify.texts == []
    assert CarerProfile.objects.get(user=carer).mobile_number == ""


@pytest.mark.parametrize(
    "typed",
    ["07700 900 982", "07700900982", "+44 7700 900982", "0044 7700 900 982", "(07700) 900-982"],
)
def test_a_uk_mobile_is_kept_in_one_form(typed):
    assert uk_mobile_normalise(typed) == NUMBER


def test_a_real_uk_mobile_range_is_accepted():
    assert uk_mobile_normalise("07911 123456") == "+447911123456"


def test_the_carer_must_agree(carer_client, carer, fake_notify):
    response = carer_client.post(START, {"mobile_number": "07700 900 982"})
    assert response.status_code == 200
    assert "Tick the box to agree to get text messages" in _page(response)
    assert fake_notify.texts == []


def test_a_number_notify_refuses_is_not_kept(carer_client, carer, fake_notify):
    fake_notify.fail_next(400)
    page = _page(_ask_for_code(carer_client))
    assert "We could not send a text message to this number" in page
    assert CarerProfile.objects.get(user=carer).mobile_number == ""

    fake_notify.fail_next(429)
    page = _page(_ask_for_code(carer_client))
    assert "We could not send the code just now. Wait a few minutes, then try again" in page
    assert CarerProfile.objects.get(user=carer).mobile_number == ""


def test_the_code_page_needs_a_code_on_its_way(carer_client, fake_notify):
    assert carer_client.get(VERIFY)["Location"] == START
    assert carer_client.post(RESEND)["Location"] == START
    assert carer_client.get(CHOICES)["Location"] == START  # not verified yet


# Choices ---------------------------------------------------------------------------------


def test_choices_decide_the_channels(carer_client, carer, fake_notify):
    _set_up_texts(carer_client, fake_notify)
    page = _page(carer_client.get(CHOICES))
    assert "Which messages do you want by text?" in page
    assert page.count('type="radio"') == 3 * len(TEXT_KINDS)

    response = carer_client.post(
        CHOICES,
        {
            Kind.BOOKING_CONFIRMED: "both",
            Kind.BOOKING_PROMOTED: "email",
            Kind.EVENT_REMINDER: "sms",
            Kind.EVENT_CANCELLED: "both",
        },
    )
    assert response["Location"] == PROFILE
    user = _fresh(carer)
    assert registry.channels_for(user, Kind.BOOKING_CONFIRMED) == {"email", "sms"}
    assert registry.channels_for(user, Kind.EVENT_REMINDER) == {"sms"}
    assert registry.channels_for(user, Kind.BOOKING_PROMOTED) == {"email"}
    assert registry.channels_for(user, Kind.DIGEST) == {"email"}  # never by text
    assert registry.channels_for(user, Kind.ADVICE_REPLY) == {"email"}

    page = _page(carer_client.get(PROFILE))
    assert "Your text message choices have been saved." in page
    assert "Ending 982" in page
    assert "Email and text message" in page
    assert f'href="{STOP}"' in page


def test_a_choice_must_be_made_for_each_message(carer_client, carer, fake_notify):
    _set_up_texts(carer_client, fake_notify)
    page = _page(carer_client.post(CHOICES, {Kind.BOOKING_CONFIRMED: "both"}))
    assert "Choose how you want to get reminders before events" in page
    assert CarerProfile.objects.get(user=carer).text_channels == {}


# Stopping ----------------------------------------------------------------------------------


def test_stopping_removes_the_number_and_the_choices(carer_client, carer, fake_notify):
    _set_up_texts(carer_client, fake_notify)
    carer_client.post(CHOICES, dict.fromkeys(TEXT_KINDS, "both"))
    assert registry.channels_for(_fresh(carer), Kind.EVENT_CANCELLED) == {"email", "sms"}

    assert "Are you sure you want to stop text messages?" in _page(carer_client.get(STOP))
    assert carer_client.post(STOP)["Location"] == PROFILE
    profile = CarerProfile.objects.get(user=carer)
    assert profile.mobile_number == ""
    assert profile.mobile_verified_at is None
    assert profile.text_channels == {}
    assert profile.text_consent_statement == ""
    assert profile.texts_stopped_at is not None
    assert registry.channels_for(_fresh(carer), Kind.EVENT_CANCELLED) == {"email"}
    assert registry.mobile_for(_fresh(carer)) is None
    page = _page(carer_client.get(PROFILE))
    assert "We have removed your mobile number" in page
    assert f'href="{START}"' in page  # she can set them up again


# When Notify cannot reach the number -----------------------------------------------------------


def test_a_failed_number_turns_texts_off_and_she_is_told_once(carer_client, carer, fake_notify):
    _set_up_texts(carer_client, fake_notify)
    carer_client.post(CHOICES, dict.fromkeys(TEXT_KINDS, "sms"))

    registry.text_failed_for_good(_fresh(carer))
    user = _fresh(carer)
    assert registry.channels_for(user, Kind.BOOKING_CONFIRMED) == {"email"}
    assert registry.mobile_for(user) is None
    warning = (
        "We could not send text messages to your number ending 982, so we have stopped "
        "sending texts. Check the number and set texts up again from your profile."
    )
    assert warning in _page(carer_client.get(reverse("portal:dashboard")))
    assert warning not in _page(carer_client.get(reverse("portal:dashboard")))
    page = _page(carer_client.get(PROFILE))
    assert warning not in page
    assert "so texts are off" in page
    assert "Set up text messages again" in page

    # A second receipt for the same number changes nothing and tells her nothing new.
    registry.text_failed_for_good(_fresh(carer))
    assert warning not in _page(carer_client.get(reverse("portal:dashboard")))

    # Setting texts up again brings back her choices.
    _set_up_texts(carer_client, fake_notify)
    assert registry.channels_for(_fresh(carer), Kind.BOOKING_CONFIRMED) == {"sms"}


def test_the_failure_handler_also_updates_a_user_already_loaded(carer, carer_client, fake_notify):
    _set_up_texts(carer_client, fake_notify)
    user = _fresh(carer)
    assert registry.mobile_for(user) == NUMBER  # the profile is now cached on `user`
    registry.text_failed_for_good(user)
    assert registry.mobile_for(user) is None


def test_the_registered_functions_read_one_row(
    carer, carer_client, fake_notify, django_assert_num_queries
):
    _set_up_texts(carer_client, fake_notify)
    carer_client.post(CHOICES, dict.fromkeys(TEXT_KINDS, "both"))
    user = _fresh(carer)
    with django_assert_num_queries(1):
        assert registry.channels_for(user, Kind.BOOKING_CONFIRMED) == {"email", "sms"}
        assert registry.mobile_for(user) == NUMBER
        assert registry.channels_for(user, Kind.EVENT_REMINDER) == {"email", "sms"}
    user = _fresh(carer)
    with django_assert_num_queries(1):
        registry.text_failed_for_good(user)
    # A content admin is not asked about at all.
    admin_user = UserFactory(is_staff=True)
    with django_assert_num_queries(0):
        assert registry.channels_for(admin_user, Kind.BOOKING_CONFIRMED) == {"email"}
        assert registry.mobile_for(admin_user) is None


def test_a_carer_who_never_set_up_texts_gets_email(carer):
    assert registry.channels_for(_fresh(carer), Kind.EVENT_REMINDER) == {"email"}
    assert registry.mobile_for(_fresh(carer)) is None
    registry.text_failed_for_good(_fresh(carer))  # nothing to turn off: nothing to tell
    assert CarerProfile.objects.get(user=carer).text_failure_seen is True


# Without Notify ----------------------------------------------------------------------------


def test_without_notify_the_portal_behaves_as_before(carer_client, carer, settings, monkeypatch):
    settings.NOTIFY_API_KEY = ""
    sent = []
    monkeypatch.setattr("core.govuk_notify.send_sms", lambda **kwargs: sent.append(kwargs))
    profile_page = _page(carer_client.get(PROFILE))
    assert "/profile/texts/" not in profile_page
    assert "Text messages" not in profile_page
    for url in (START, VERIFY, CHOICES):
        page = _page(carer_client.get(url))
        assert "Text messages are not available on this portal." in page
    page = _page(_ask_for_code(carer_client))
    assert "Text messages are not available on this portal." in page
    assert sent == []
    assert CarerProfile.objects.get(user=carer).mobile_number == ""


# Deleting and exporting ------------------------------------------------------------------------


def _rows_mentioning(value: str) -> list[str]:
    found = []
    for model in apps.get_models():
        query = models.Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                query |= models.Q(**{f"{field.name}__icontains": value})
        if query and model._default_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


def test_deleting_the_account_leaves_no_number(client, carer, fake_notify):
    client.force_login(carer)
    _set_up_texts(client, fake_notify)
    assert _rows_mentioning("7700900982") == ["carers.CarerProfile"]

    response = client.post(reverse("carers:delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("portal:home")
    assert _rows_mentioning("7700900982") == []
    assert not CarerProfile.objects.filter(user_id=carer.pk).exists()


def test_the_export_includes_the_number_and_choices(carer_client, carer, fake_notify):
    _set_up_texts(carer_client, fake_notify)
    carer_client.post(
        CHOICES,
        {
            Kind.BOOKING_CONFIRMED: "both",
            Kind.BOOKING_PROMOTED: "email",
            Kind.EVENT_REMINDER: "sms",
            Kind.EVENT_CANCELLED: "email",
        },
    )
    data = json.loads(carer_client.get(reverse("carers:export_download")).content)
    texts = data["profile"]["text_messages"]
    assert texts["mobile_number"] == NUMBER
    assert texts["verified"] is True
    assert texts["consent_statement"] == STATEMENT
    assert texts["consent_given_at"]
    assert texts["choices"] == {
        "Booking confirmed": "Email and text message",
        "Promoted from the waiting list": "Email",
        "Event reminder": "Text message",
        "Event cancelled": "Email",
    }
    page = _page(carer_client.get(reverse("carers:export")))
    assert NUMBER in page
    assert STATEMENT in page
    assert "Event reminder: Text message" in page


def test_another_carer_export_says_nothing_of_her_number(carer_client, fake_notify, client):
    _set_up_texts(carer_client, fake_notify)
    other = CarerProfileFactory().user
    client.force_login(other)
    data = json.loads(client.get(reverse("carers:export_download")).content)
    assert data["profile"]["text_messages"]["mobile_number"] is None
    assert NUMBER not in _page(client.get(reverse("carers:export")))
