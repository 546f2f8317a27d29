"""Encrypt the two-factor secrets stored in the clear before accounts.mfa.PortalMFAAdapter."""

from django.db import migrations


def encrypt(apps, schema_editor):
    from accounts.mfa import authenticators_encrypt

    authenticators_encrypt(apps.get_model("mfa", "Authenticator").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_session_stamp"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, migrations.RunPython.noop)]
