"""Two-factor secrets are encrypted at rest, with keys that can be rotated, and never shown in
admin (security review, 30 November 2026, finding 3)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from accounts.mfa import authenticators_encrypt
from tests.accounts.test_staff_access import _current_code, _sign_in
from tests.factories import StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_the_app_secret_is_stored_encrypted_and_still_signs_the_person_in(client):
    officer = StaffMembershipFactory().user
    _sign_in(client, officer)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})

    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored and stored.startswith("gAAAAA")  # a Fernet token
    seed = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES)
    assert seed.data["seed"].startswith("gAAAAA")

    later = Client()
    later.post(
        reverse("account_login"), {"login": officer.email, "password": "correct-horse-battery"}
    )
    response = later.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response["Location"] == reverse("schools:home")


def test_keys_rotate_without_anyone_setting_up_their_app_again():
    user = UserFactory()
    with override_settings(MFA_ENCRYPTION_KEYS=[OLD_KEY]):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt("JBSWY3DPEHPK3PXP")}
        )
    totp = Authenticator.objects.get(user=user)
    with override_settings(MFA_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert decrypt(totp.data["secret"]) == "JBSWY3DPEHPK3PXP"  # the old key still reads
        call_command("rotate_mfa_keys", verbosity=0)
    totp.refresh_from_db()
    with override_settings(MFA_ENCRYPTION_KEYS=[NEW_KEY]):  # the old key can now go
        assert decrypt(totp.data["secret"]) == "JBSWY3DPEHPK3PXP"
    with override_settings(MFA_ENCRYPTION_KEYS=[OLD_KEY]), pytest.raises(InvalidToken):
        decrypt(totp.data["secret"])


def test_secrets_stored_in_the_clear_before_are_encrypted_once():
    """What migration accounts.0004 does to authenticators set up before encryption."""
    user = UserFactory()
    totp = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    codes = Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "ab12" * 10}
    )
    assert authenticators_encrypt(Authenticator.objects.all()) == 2
    assert authenticators_encrypt(Authenticator.objects.all()) == 0  # already done
    totp.refresh_from_db()
    codes.refresh_from_db()
    assert "JBSWY3DPEHPK3PXP" not in str(totp.data)
    assert decrypt(totp.data["secret"]) == "JBSWY3DPEHPK3PXP"
    assert decrypt(codes.data["seed"]) == "ab12" * 10


def test_authenticators_are_not_in_admin(client, content_admin, officer):
    client.force_login(content_admin)
    assert client.get("/admin/mfa/authenticator/").status_code == 404
    totp = Authenticator.objects.get(user=officer)
    assert client.get(f"/admin/mfa/authenticator/{totp.pk}/change/").status_code == 404
    assert "Authenticators" not in client.get(reverse("admin:index")).content.decode()
