"""Two-factor secrets are encrypted at rest.

allauth stores each authenticator app's secret (and the seed of the recovery codes) in the
database and passes it through this adapter on the way in and out. We encrypt with Fernet
(AES-128-CBC with an HMAC), under keys from the environment:

    MFA_ENCRYPTION_KEYS=<newest key>,<older key>,...

The first key encrypts; every key decrypts, so a new key can be added in front and the old
ones retired once `manage.py rotate_mfa_keys` has re-encrypted everything with the newest.
Without the variable the key is derived from SECRET_KEY (a first run). Make a key with
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
"""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

# Fernet tokens are URL-safe base64 of a version byte 0x80: they start "gAAAAA". TOTP secrets
# (base32, capitals) and recovery seeds (hex) never do.
FERNET_PREFIX = "gAAAAA"


def fernet() -> MultiFernet:
    keys = settings.MFA_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"mfa-secrets:{settings.SECRET_KEY}".encode()).digest()
        ).decode()
    ]
    return MultiFernet([Fernet(key) for key in keys])


def is_encrypted(text: str) -> bool:
    return text.startswith(FERNET_PREFIX)


class PortalMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return fernet().decrypt(encrypted_text.encode()).decode()


def _secret_fields(data: dict) -> list[str]:
    return [key for key in ("secret", "seed") if isinstance(data.get(key), str)]


def authenticators_encrypt(authenticators) -> int:
    """Encrypt secrets still stored in the clear (from before encryption). Returns how many."""
    adapter = PortalMFAAdapter()
    changed = 0
    for authenticator in authenticators:
        data = dict(authenticator.data)
        plain = [key for key in _secret_fields(data) if not is_encrypted(data[key])]
        codes = data.get("migrated_codes") or []
        plain_codes = not all(is_encrypted(code) for code in codes)
        if not plain and not plain_codes:
            continue
        for key in plain:
            data[key] = adapter.encrypt(data[key])
        if plain_codes:
            data["migrated_codes"] = [
                code if is_encrypted(code) else adapter.encrypt(code) for code in codes
            ]
        authenticator.data = data
        authenticator.save(update_fields=["data"])
        changed += 1
    return changed


def authenticators_rotate(authenticators) -> int:
    """Re-encrypt every secret with the newest key. Returns how many authenticators."""
    keys = fernet()
    count = 0
    for authenticator in authenticators:
        data = dict(authenticator.data)
        for key in _secret_fields(data):
            data[key] = keys.rotate(data[key].encode()).decode()
        if data.get("migrated_codes"):
            data["migrated_codes"] = [
                keys.rotate(code.encode()).decode() for code in data["migrated_codes"]
            ]
        authenticator.data = data
        authenticator.save(update_fields=["data"])
        count += 1
    return count
