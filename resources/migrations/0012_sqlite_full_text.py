"""Full-text search on the embedded default (SQLite): an FTS5 index of the library with
the porter tokenizer and bm25 ranking, kept in step by triggers (resources/fts.py).
Nothing happens on PostgreSQL, which has its own index (0004, 0007)."""

from django.db import migrations

from resources import fts


def forward(apps, schema_editor):
    fts.ensure(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for trigger in fts.TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts.TABLE}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0011_starter_synonyms")]

    operations = [migrations.RunPython(forward, backward)]
