"""Staff who signed in with a password and an authenticator app are asked to confirm it's them
before changing their two-factor set-up, and do so with a fresh code from the app: not with the
password alone, and not with a code sent by e-mail (allauth's reauthentication by code, which
ACCOUNT_REAUTHENTICATION_METHODS switches off for everyone)."""

import time
from urllib.parse import urlencode

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# Making new recovery codes is one of the changes allauth guards with reauthentication.
WANTED = reverse("mfa_generate_recovery_codes")


@pytest.fixture(autouse=True)
def _forget_used_codes():
    """allauth remembers used TOTP codes in the cache (per user id, which SQLite reuses)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(time_machine):
    """Frozen at the start of the next TOTP window, so each window's code is known."""
    period = mfa_settings.TOTP_PERIOD
    time_machine.move_to((int(time.time()) // period + 1) * period + 1, tick=False)
    return time_machine


def _app_code(user) -> str:
    """What the staff member's authenticator app shows now."""
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(decrypt(totp.data["secret"]), counter))


def _sign_in_with_password_and_app(client, user) -> str:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    code = _app_code(user)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:home")
    return code


def _asked_to_confirm(client) -> str:
    """Go to the page they want; they are asked to confirm it's them with their app."""
    response = client.get(WANTED)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': WANTED})}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm it’s you" in html
    assert "Enter the 6-digit code from your authenticator app" in html
    assert f'name="next" value="{WANTED}"' in html
    return html


def test_staff_confirm_its_them_with_a_fresh_code_from_their_app(client, officer, clock):
    sign_in_code = _sign_in_with_password_and_app(client, officer)
    html = _asked_to_confirm(client)
    assert "Other ways to confirm it’s you" not in html  # not the password, not an e-mail

    # The code they signed in with has been used: it is refused, and they are still asked.
    reused = client.post(reverse("mfa_reauthenticate"), {"code": sign_in_code, "next": WANTED})
    assert reused.status_code == 200
    assert "Incorrect code" in reused.content.decode()
    assert client.get(WANTED)["Location"].startswith(reverse("mfa_reauthenticate"))

    clock.shift(mfa_settings.TOTP_PERIOD)  # the app shows the next code
    response = client.post(
        reverse("mfa_reauthenticate"), {"code": _app_code(officer), "next": WANTED}
    )
    assert response.status_code == 302
    assert response["Location"] == WANTED

    page = client.get(WANTED)
    assert page.status_code == 200
    response = client.post(WANTED)  # and they can make the change: new recovery codes
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(
        user=officer, type=Authenticator.Type.RECOVERY_CODES
    ).exists()


def test_staff_cannot_confirm_with_their_password_alone(client, officer, clock):
    _sign_in_with_password_and_app(client, officer)
    response = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": WANTED}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))  # sent to the app
    assert client.get(WANTED)["Location"].startswith(reverse("mfa_reauthenticate"))


@pytest.mark.parametrize("who", ["officer", "carer"])
def test_nobody_can_confirm_its_them_with_a_code_sent_by_email(
    client, officer, carer, who, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """allauth 65.22 added these pages; here they are switched off for everyone."""
    user = officer if who == "officer" else carer
    if who == "officer":
        _sign_in_with_password_and_app(client, user)
    else:
        client.force_login(user)
    for name in ("account_request_reauthentication_code", "account_confirm_reauthentication_code"):
        url = f"{reverse(name)}?{urlencode({'next': WANTED})}"
        assert client.get(url).status_code == 403
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"recipient": user.email, "code": "AAAA-AAAA"})
        assert response.status_code == 403
        assert "You cannot view this page" in response.content.decode()
    assert mailoutbox == []
