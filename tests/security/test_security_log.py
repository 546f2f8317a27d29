"""Security events are logged: who, what, from where, and never a password or an unknown
address in the clear (OWASP ASVS 5.0 V16.3.1, V16.3.2)."""

import logging

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.schools.test_isolation import two_authorities  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="security")
    return caplog


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "security"]


def test_sign_ins_and_failed_sign_ins_are_logged(client, security_log):
    user = UserFactory(email="known@example.org")
    client.post(reverse("account_login"), {"login": "known@example.org", "password": "wrong"})
    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "guess"})
    client.post(
        reverse("account_login"),
        {"login": "known@example.org", "password": "correct-horse-battery"},
    )
    lines = _lines(security_log)
    assert sum(line.startswith("failed sign-in login=") for line in lines) == 2
    assert f"sign-in user={user.pk} client=127.0.0.1" in lines
    text = "\n".join(lines)
    assert "example.org" not in text and "guess" not in text and "wrong" not in text


def test_a_wrong_two_factor_code_is_logged(client, officer, security_log):
    client.post(
        reverse("account_login"), {"login": officer.email, "password": "correct-horse-battery"}
    )
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert f"wrong two-factor code user={officer.pk} client=127.0.0.1" in _lines(security_log)


def test_refused_and_cross_authority_requests_are_logged(client, two_authorities, security_log):  # noqa: F811
    leeds, kent = two_authorities
    client.force_login(kent["officer"])
    url = reverse("schools:pupil_detail", args=[leeds["pupil"].pk])
    assert client.get(url).status_code == 404
    assert f"not found user={kent['officer'].pk} path={url}" in _lines(security_log)

    carer = UserFactory()
    client.force_login(carer)
    assert client.get(reverse("schools:pupils")).status_code == 403
    assert f"refused user={carer.pk} path={reverse('schools:pupils')}" in _lines(security_log)
