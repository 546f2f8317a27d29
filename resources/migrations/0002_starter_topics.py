"""Starter topics, so carers can choose interests on a fresh install. Admins edit them afterwards."""

from django.db import migrations

TOPICS = [
    ("education-and-school", "Education and school", "School places, attendance, behaviour and working with teachers."),
    ("money-and-allowances", "Money and allowances", "Allowances, benefits, Pupil Premium Plus and help with costs."),
    ("legal-arrangements", "Legal arrangements", "Special guardianship, child arrangements orders and kinship fostering."),
    ("send", "Special educational needs (SEND)", "SEN support, EHC plans and getting the right help at school."),
    ("wellbeing", "Wellbeing and mental health", "The child's emotional wellbeing, trauma and attachment."),
    ("contact-with-family", "Contact with birth parents", "Managing family time and keeping everyone safe."),
    ("support-for-carers", "Support for you as a carer", "Looking after yourself, peer support and respite."),
    ("teenagers", "Teenagers and growing up", "Adolescence, independence and moving on to college or work."),
]


def load(apps, schema_editor):
    Topic = apps.get_model("resources", "Topic")
    for slug, name, description in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
