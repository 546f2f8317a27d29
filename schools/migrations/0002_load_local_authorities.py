"""Load the local authorities of England (153, with children's services) and Wales (22).

The list lives in schools/data/local_authorities.csv: ONS GSS codes and DfE
LA numbers, checked against DfE's published lists. Re-running updates names
and numbers in place, keyed on the GSS code.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "local_authorities.csv"


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("schools", "LocalAuthority")
    with DATA.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            LocalAuthority.objects.update_or_create(
                gss_code=row["gss_code"],
                defaults={
                    "dfe_la_number": row["dfe_la_number"] or None,
                    "name": row["name"],
                    "nation": row["nation"],
                    "kind": row["kind"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
