"""Signing up must not tell whether an address already has an account, by what it says or by
how long it takes (security review, 30 November 2026, finding 5)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sign_up(client, email: str, monkeypatch) -> tuple[int, object]:
    """Sign up; return how many passwords were hashed (the slow part) and the response."""
    hashed = []
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher,
        "encode",
        lambda self, *a, **kw: hashed.append(1) or encode(self, *a, **kw),
    )
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "a-long-family-password",
            "password2": "a-long-family-password",
        },
    )
    monkeypatch.undo()
    return len(hashed), response


def test_a_taken_address_costs_the_same_work_and_gets_the_same_answer(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new_work, new = _sign_up(client, "fresh@example.org", monkeypatch)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        taken_work, taken = _sign_up(client, "taken@example.org", monkeypatch)

    assert new_work == taken_work == 1  # one password hash each way: the same delay
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    # Each address gets its own e-mail: confirm the new one, "you already have an account".
    assert [m.to for m in mail.outbox] == [["fresh@example.org"], ["taken@example.org"]]
    assert "already have one" in mail.outbox[1].body
