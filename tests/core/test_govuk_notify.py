"""GOV.UK Notify: e-mail and texts reach a local fake of Notify's API exactly as Notify
documents them, its refusals become permanent or temporary errors, and texts are counted
in fragments as the networks bill them."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import jwt
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from notifications_python_client import authentication
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from core import govuk_notify
from core.govuk_notify import (
    NotifyPermanentError,
    NotifyTemporaryError,
    send_email,
    send_sms,
    sms_fragments,
)
from core.mail import deliver
from tests.fakes.notify import FakeNotify

BASE_DIR = Path(__file__).resolve().parents[2]
MOBILE = "+447700900123"  # Ofcom's range for drama: Notify accepts it, nobody owns it


def test_an_email_reaches_notify_through_the_email_template(fake_notify):
    notification_id = send_email(
        to="ann@example.org",
        subject="Your place is booked",
        body="You have a place at Coffee morning.",
        reference="notification-12",
    )

    assert fake_notify.emails == [
        {
            "email_address": "ann@example.org",
            "template_id": fake_notify.email_template_id,
            "personalisation": {
                "subject": "Your place is booked",
                "body": "You have a place at Coffee morning.",
            },
            "reference": "notification-12",
        }
    ]
    assert notification_id == fake_notify.received[0].id
    # The token the fake accepted: signed with the key's secret, issued by the service, now.
    token = fake_notify.received[0].headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, fake_notify.secret, algorithms=["HS256"])
    assert claims["iss"] == fake_notify.service_id
    assert abs(claims["iat"] - time.time()) < 5


def test_a_text_reaches_notify_through_the_text_template(fake_notify):
    notification_id = send_sms(phone_number=MOBILE, body="Kinship Portal: your place is booked.")

    assert fake_notify.texts == [
        {
            "phone_number": MOBILE,
            "template_id": fake_notify.sms_template_id,
            "personalisation": {"body": "Kinship Portal: your place is booked."},
        }
    ]
    assert fake_notify.emails == []
    assert notification_id == fake_notify.received[0].id
    assert fake_notify.statuses() == [201]


def test_a_wrong_key_is_refused_for_good_and_nothing_is_sent(fake_notify, settings):
    settings.NOTIFY_API_KEY = f"portal_test-{fake_notify.service_id}-{uuid.uuid4()}"

    with pytest.raises(NotifyPermanentError) as refused:
        send_sms(phone_number=MOBILE, body="Hello")

    assert refused.value.status_code == 403
    assert refused.value.permanent
    assert refused.value.message == "Invalid token: signature, api token not found"
    assert refused.value.errors[0]["error"] == "AuthError"
    assert fake_notify.texts == []


def test_a_key_for_another_service_is_refused(fake_notify, settings):
    settings.NOTIFY_API_KEY = f"portal_test-{uuid.uuid4()}-{fake_notify.secret}"

    with pytest.raises(NotifyPermanentError, match="service not found"):
        send_email(to="ann@example.org", subject="Hello", body="Hello")
    assert fake_notify.emails == []


@pytest.mark.parametrize(("age", "accepted"), [(20, True), (45, False)])
def test_the_fake_accepts_a_token_only_within_30_seconds(fake_notify, monkeypatch, age, accepted):
    monkeypatch.setattr(authentication, "epoch_seconds", lambda: int(time.time()) - age)

    if accepted:
        send_sms(phone_number=MOBILE, body="Hello")
        assert len(fake_notify.texts) == 1
    else:
        with pytest.raises(NotifyPermanentError, match="accurate to within 30 seconds"):
            send_sms(phone_number=MOBILE, body="Hello")
        assert fake_notify.texts == []


@pytest.mark.parametrize("number", ["+442079460000", "+33612345678"])
def test_a_number_that_is_not_a_uk_mobile_is_refused_with_notifys_message(fake_notify, number):
    with pytest.raises(NotifyPermanentError) as refused:
        send_sms(phone_number=number, body="Hello")

    assert refused.value.status_code == 400
    assert refused.value.message == "phone_number Not a UK mobile number"
    assert str(refused.value) == "400 ValidationError: phone_number Not a UK mobile number"
    assert fake_notify.texts == []


def test_a_rate_limit_is_temporary_and_the_next_try_goes(fake_notify):
    fake_notify.fail_next(429)

    with pytest.raises(NotifyTemporaryError) as limited:
        send_sms(phone_number=MOBILE, body="Hello")

    assert limited.value.status_code == 429
    assert not limited.value.permanent
    assert not limited.value.may_have_sent
    assert "Exceeded rate limit" in limited.value.message
    assert fake_notify.texts == []
    send_sms(phone_number=MOBILE, body="Hello")
    assert len(fake_notify.texts) == 1
    assert fake_notify.statuses() == [429, 201]


def test_notifys_own_failure_is_temporary(fake_notify):
    fake_notify.fail_next(500, times=2)

    for _ in range(2):
        with pytest.raises(NotifyTemporaryError, match="Internal server error") as failed:
            send_email(to="ann@example.org", subject="Hello", body="Hello")
        assert failed.value.status_code == 500
    assert fake_notify.emails == []


def test_notify_out_of_reach_is_temporary_and_surely_not_sent(settings):
    with FakeNotify() as fake:
        fake.configure(settings)
    # The fake has stopped: its port refuses connections.

    with pytest.raises(NotifyTemporaryError, match="Could not reach Notify") as unreachable:
        send_sms(phone_number=MOBILE, body="Hello")

    assert unreachable.value.may_have_sent is False


def test_an_answer_lost_on_the_way_back_may_have_been_sent(fake_notify):
    """Notify took it, the connection dropped before its answer: sending again could
    send it twice, and the error says so."""
    fake_notify.drop_next()

    with pytest.raises(NotifyTemporaryError) as lost:
        send_sms(phone_number=MOBILE, body="Hello")

    assert lost.value.may_have_sent is True
    assert len(fake_notify.texts) == 1


def test_without_a_key_or_template_nothing_is_attempted(settings):
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_SMS_TEMPLATE_ID = ""
    assert not govuk_notify.is_configured()
    assert not govuk_notify.sms_configured()
    with pytest.raises(NotifyPermanentError, match="NOTIFY_API_KEY is not set"):
        send_email(to="ann@example.org", subject="Hello", body="Hello")

    settings.NOTIFY_API_KEY = "not-a-notify-key"
    with pytest.raises(NotifyPermanentError, match="not a Notify API key"):
        send_email(to="ann@example.org", subject="Hello", body="Hello")


def test_texts_are_configured_only_with_a_text_template(fake_notify, settings):
    assert govuk_notify.is_configured()
    assert govuk_notify.sms_configured()

    settings.NOTIFY_SMS_TEMPLATE_ID = ""
    assert govuk_notify.is_configured()
    assert not govuk_notify.sms_configured()
    with pytest.raises(NotifyPermanentError, match="NOTIFY_SMS_TEMPLATE_ID is not set"):
        send_sms(phone_number=MOBILE, body="Hello")
    assert fake_notify.texts == []


# -- the fake checks bodies as Notify does, so a wrong request cannot pass unnoticed ----


def _post(fake, path, data):
    client = NotificationsAPIClient(fake.api_key, base_url=fake.base_url)
    with pytest.raises(HTTPError) as refused:
        client.post(path, data=data)
    return refused.value


def test_the_fake_refuses_fields_notify_does_not_know(fake_notify):
    error = _post(
        fake_notify,
        "/v2/notifications/sms",
        {"phone_number": MOBILE, "template_id": fake_notify.sms_template_id, "colour": "red"},
    )
    assert error.status_code == 400
    assert error.message == [
        {
            "error": "ValidationError",
            "message": "Additional properties are not allowed ('colour' was unexpected)",
        }
    ]


def test_the_fake_refuses_a_missing_recipient_or_placeholder(fake_notify):
    missing_address = _post(
        fake_notify, "/v2/notifications/email", {"template_id": fake_notify.email_template_id}
    )
    assert missing_address.message[0]["message"] == "email_address is a required property"

    missing_body = _post(
        fake_notify,
        "/v2/notifications/sms",
        {"phone_number": MOBILE, "template_id": fake_notify.sms_template_id},
    )
    assert missing_body.message[0]["message"] == "Missing personalisation: body"

    wrong_template = _post(
        fake_notify,
        "/v2/notifications/email",
        {
            "email_address": "ann@example.org",
            "template_id": fake_notify.sms_template_id,
            "personalisation": {"body": "Hello"},
        },
    )
    assert wrong_template.message[0]["message"] == (
        "sms template is not suitable for email notification"
    )
    assert fake_notify.received == []


def test_the_fake_answers_with_notifys_response_shape(fake_notify):
    client = NotificationsAPIClient(fake_notify.api_key, base_url=fake_notify.base_url)
    answer = client.send_email_notification(
        email_address="ann@example.org",
        template_id=fake_notify.email_template_id,
        personalisation={"subject": "Booked", "body": "See you there"},
        reference="ref-1",
    )

    assert set(answer) >= {"id", "reference", "content", "uri", "template"}
    assert answer["reference"] == "ref-1"
    assert answer["content"]["subject"] == "Booked"
    assert answer["content"]["body"] == "See you there"
    assert answer["template"]["id"] == fake_notify.email_template_id
    uuid.UUID(answer["id"])


# -- fragments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" + "a" * 158, 1),  # € is in the extension table: two units, 160 in all
        ("€" + "a" * 159, 2),
        ("[a]" + "a" * 155, 1),  # [ and ] count two each: 160 units
        ("[a]" + "a" * 156, 2),
        ("ŵ" * 70, 1),  # not GSM: the whole text goes as UCS-2
        ("ŵ" * 71, 2),
        ("ŵ" + "a" * 133, 2),
        ("ŵ" + "a" * 134, 3),
        ("Croeso’n ôl" + "a" * 149, 3),  # ô is not GSM: 160 characters of UCS-2
        ("It’s booked" + "a" * 149, 1),  # ’ becomes ': still GSM, 160 units
        ("", 0),
    ],
)
def test_fragments_are_counted_as_the_networks_bill_them(text, fragments):
    assert sms_fragments(text) == fragments


# -- the e-mail backend ---------------------------------------------------------------


def test_send_mail_goes_through_notify_when_it_is_the_backend(fake_notify_email):
    sent = mail.send_mail(
        "Your place is booked",
        "See you on Saturday.\n",
        None,
        ["Ann Jones <ann@example.org>", "bob@example.org"],
    )

    assert sent == 1
    assert mail.outbox == []
    assert [body["email_address"] for body in fake_notify_email.emails] == [
        "ann@example.org",
        "bob@example.org",
    ]
    assert fake_notify_email.emails[0]["personalisation"] == {
        "subject": "Your place is booked",
        "body": "See you on Saturday.\n",
    }
    assert fake_notify_email.emails[0]["template_id"] == fake_notify_email.email_template_id


def test_the_portals_messages_go_as_plain_text_without_attachments(fake_notify_email):
    deliver(
        {
            "to": ["ann@example.org"],
            "subject": "Coffee morning",
            "body": "Your place is booked.",
            "html": "<p>Your place is <strong>booked</strong>.</p>",
            "headers": {govuk_notify.REFERENCE_HEADER: "notification-7"},
            "attachments": [("event.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        }
    )

    assert fake_notify_email.emails == [
        {
            "email_address": "ann@example.org",
            "template_id": fake_notify_email.email_template_id,
            "personalisation": {"subject": "Coffee morning", "body": "Your place is booked."},
            "reference": "notification-7",
        }
    ]


def test_the_backend_raises_notifys_refusal_or_keeps_quiet_if_asked(fake_notify_email):
    def message():
        return EmailMultiAlternatives("Hello", "Hello", to=["ann@example.org"])

    fake_notify_email.fail_next(500)
    with pytest.raises(NotifyTemporaryError):
        message().send()

    fake_notify_email.fail_next(403)
    assert message().send(fail_silently=True) == 0
    assert fake_notify_email.emails == []
    assert message().send() == 1
    assert len(fake_notify_email.emails) == 1


def test_tests_keep_their_outbox(fake_notify):
    """The fixture points Notify settings at the fake; e-mail stays in Django's outbox
    unless a test asks for fake_notify_email."""
    mail.send_mail("Hello", "Hello", None, ["ann@example.org"])
    assert len(mail.outbox) == 1
    assert fake_notify.emails == []


# -- choosing the backend from the environment -----------------------------------------


KEY = f"council-{uuid.uuid4()}-{uuid.uuid4()}"
TEMPLATE = str(uuid.uuid4())


def _settings_with(environ: dict) -> subprocess.CompletedProcess:
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("NOTIFY_", "EMAIL_")) and name != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and settings
        [
            sys.executable,
            "-c",
            "import kinship_portal.settings as s; print(s.EMAIL_BACKEND)",
        ],
        cwd=BASE_DIR,
        env={**keep, **environ},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("environ", "backend"),
    [
        ({}, "core.mail.MailFileBackend"),
        (
            {"NOTIFY_API_KEY": KEY, "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE},
            "core.govuk_notify.NotifyEmailBackend",
        ),
        (
            {
                "NOTIFY_API_KEY": KEY,
                "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE,
                "EMAIL_URL": "smtp://mail.example.org:587",
            },
            "django.core.mail.backends.smtp.EmailBackend",
        ),
        (
            {"NOTIFY_API_KEY": KEY, "EMAIL_BACKEND": "core.mail.MailFileBackend"},
            "core.mail.MailFileBackend",
        ),
    ],
)
def test_the_environment_chooses_the_email_backend(environ, backend):
    result = _settings_with(environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"NOTIFY_API_KEY": KEY}, "NOTIFY_EMAIL_TEMPLATE_ID is not set"),
        (
            {"NOTIFY_API_KEY": "just-a-secret", "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE},
            "NOTIFY_API_KEY is not a Notify API key",
        ),
    ],
)
def test_an_incomplete_notify_setup_stops_the_portal_starting(environ, problem):
    result = _settings_with(environ)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert problem in result.stderr
