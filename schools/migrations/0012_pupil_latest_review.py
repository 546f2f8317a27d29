"""Each pupil keeps a pointer to their latest termly review and a copy of its attendance
(kept up to date by schools.services.records), filled here for the pupils already recorded."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_latest_reviews(apps, schema_editor):
    """One UPDATE for every pupil: a frozen copy of schools.services.records.
    refresh_latest_reviews (highest academic year, then the latest term; the term codes sort
    autumn < spring < summer), so this migration means the same whatever the code becomes."""
    KinshipPupil = apps.get_model("schools", "KinshipPupil")
    TermlyReview = apps.get_model("schools", "TermlyReview")
    latest = TermlyReview.objects.filter(pupil=OuterRef("pk")).order_by("-academic_year", "-term")
    KinshipPupil.objects.update(
        latest_review=Subquery(latest.values("pk")[:1]),
        latest_attendance=Subquery(latest.values("attendance_percent")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0011_staffmembership_edits_local_offer"),
    ]

    operations = [
        migrations.AddField(
            model_name="kinshippupil",
            name="latest_review",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="schools.termlyreview",
            ),
        ),
        migrations.AddField(
            model_name="kinshippupil",
            name="latest_attendance",
            field=models.DecimalField(
                blank=True, decimal_places=1, editable=False, max_digits=5, null=True
            ),
        ),
        migrations.AddIndex(
            model_name="kinshippupil",
            index=models.Index(
                condition=models.Q(("left_on__isnull", True)),
                fields=["virtual_school", "latest_attendance", "last_name", "id"],
                name="pupil_attendance_idx",
            ),
        ),
        # Nothing to undo going back: the columns go with the fields.
        migrations.RunPython(fill_latest_reviews, migrations.RunPython.noop, elidable=True),
    ]
