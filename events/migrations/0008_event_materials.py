# Recordings and materials shared after an event (issue 17): a web address or a library resource.

import core.i18n
import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_event_messages"),
        ("resources", "0013_audience_describes"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventMaterial",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("recording", "Recording"),
                            ("slides", "Slides"),
                            ("handout", "Handout"),
                            ("link", "Other link"),
                        ],
                        default="recording",
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "title_cy",
                    models.CharField(blank=True, max_length=200, verbose_name="title in Welsh"),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        help_text="Where the recording, slides or page are. Or choose a resource instead.",
                        max_length=500,
                        verbose_name="web address",
                    ),
                ),
                (
                    "shared_with",
                    models.CharField(
                        choices=[("booked", "People who booked"), ("everyone", "Everyone")],
                        default="booked",
                        help_text="People who booked: only people with a confirmed place. Everyone: anyone, signed in or not.",
                        max_length=10,
                        verbose_name="shown to",
                    ),
                ),
                (
                    "ready",
                    models.BooleanField(
                        default=False,
                        help_text="Only materials that are ready are shown, once the event has ended.",
                        verbose_name="checked and ready to share",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(), editable=False
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="materials",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        blank=True,
                        help_text="Or a resource from the library. It is shown to people who can read it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="resources.resource",
                        verbose_name="resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "recording or material",
                "verbose_name_plural": "recordings and materials",
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("url", ""), ("resource__isnull", False)),
                            models.Q(
                                models.Q(("url", ""), _negated=True), ("resource__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="event_material_link_or_resource",
                    )
                ],
            },
            bases=(core.i18n.Bilingual, models.Model),
        ),
    ]
