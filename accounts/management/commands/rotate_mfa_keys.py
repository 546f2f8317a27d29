from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand

from accounts.mfa import authenticators_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every two-factor secret with the first key in MFA_ENCRYPTION_KEYS. "
        "Run after putting a new key first; then the older keys can be removed."
    )

    def handle(self, *args, **options):
        count = authenticators_rotate(Authenticator.objects.all())
        self.stdout.write(
            f"Re-encrypted the secrets of {count} authenticators with the newest key."
        )
