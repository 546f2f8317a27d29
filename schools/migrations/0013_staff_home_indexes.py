"""Indexes in the order the staff home reads: follow-ups not done, soonest first, and open
advice requests, longest waiting first. Each replaces an index that is a prefix of it."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0012_pupil_latest_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="advicerequest",
            name="advice_inbox_idx",
        ),
        migrations.RemoveIndex(
            model_name="liaisonrecord",
            name="liaison_follow_up_idx",
        ),
        migrations.AddIndex(
            model_name="advicerequest",
            index=models.Index(
                fields=["virtual_school", "status", "created_at", "id"],
                name="advice_inbox_waiting_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="liaisonrecord",
            index=models.Index(
                condition=models.Q(("follow_up_done", False), ("follow_up_on__isnull", False)),
                fields=["virtual_school", "follow_up_on", "id"],
                name="liaison_follow_up_open_idx",
            ),
        ),
    ]
