"""Behind the reverse proxy, sign-in limits count each person and each account, not the proxy
(security review, 30 November 2026, finding 6)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # every request reaches the portal from the proxy
LIMITS = {"login": "30/m/ip", "login_failed": "3/m/ip,5/5m/key"}


def _sign_in(client, email, password, client_ip):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def _refused(response) -> bool:
    return "You have tried to sign in too many times" in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS=LIMITS, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_one_person_guessing_passwords_does_not_lock_everyone_else_out(client):
    victim, carer = UserFactory(), UserFactory()
    for _ in range(3):
        _sign_in(client, victim.email, "wrong", "203.0.113.9")
    assert _refused(_sign_in(client, victim.email, "wrong", "203.0.113.9"))

    other = client.__class__()
    response = _sign_in(other, carer.email, "correct-horse-battery", "198.51.100.7")
    assert response.status_code == 302 and not _refused(response)
    assert other.session["_auth_user_id"] == str(carer.pk)


@override_settings(ACCOUNT_RATE_LIMITS=LIMITS, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_guessing_one_accounts_password_from_many_addresses_is_stopped(client):
    target = UserFactory()
    for n in range(5):
        _sign_in(client, target.email, "wrong", f"192.0.2.{n}")
    response = _sign_in(client, target.email, "correct-horse-battery", "192.0.2.99")
    assert _refused(response)  # the account is protected, whichever address asks
    assert "_auth_user_id" not in client.session


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_other_rate_limits_see_the_same_client_address(rf):
    from core.ratelimits import client_ip

    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.8")) == "198.51.100.8"
    # A client that writes its own X-Forwarded-For only adds entries in front of what the
    # trusted proxy appended: the address the proxy saw is still the one counted.
    forged = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(forged) == "198.51.100.7"


def test_a_deployer_says_how_many_proxies_stand_in_front():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kinship_portal.settings"}
    for extra, expected in [
        ({"TRUSTED_PROXY_COUNT": "1"}, "1 None"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 X-Real-IP"),
    ]:
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            env={**env, **extra},
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.split("\n")[-2] == expected
