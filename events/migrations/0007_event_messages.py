# Content admins e-mail an event's people (issue 17): the message, stored once.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_joining_online"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EventMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("confirmed", "People with a confirmed place"),
                            ("waiting", "People on the waiting list"),
                            ("attended", "People who attended"),
                        ],
                        max_length=12,
                        verbose_name="sent to",
                    ),
                ),
                ("subject", models.CharField(max_length=150, verbose_name="subject")),
                ("body", models.TextField(max_length=5000, verbose_name="message")),
                ("token", models.UUIDField(editable=False, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="sent at"
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sent by",
                    ),
                ),
            ],
            options={
                "verbose_name": "message to attendees",
                "verbose_name_plural": "messages to attendees",
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
