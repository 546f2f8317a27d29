"""The retention schedule may delete audit entries older than it keeps, and nothing else.

While it does, its transaction holds a row in schools_auditpurge saying how old an entry
must be; the triggers let such entries go and still refuse every other UPDATE or DELETE.
The row is removed before the transaction commits, so no other connection sees it."""

from django.db import migrations, models

KEPT = ["id", "virtual_school_id", "actor_label", "action", "object_type", "object_id", "summary", "at"]
OLD_ENOUGH = "OLD.at < (SELECT MAX(before) FROM schools_auditpurge)"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION schools_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND ROW({", ".join(f"NEW.{c}" for c in KEPT)})
           IS NOT DISTINCT FROM ROW({", ".join(f"OLD.{c}" for c in KEPT)}) THEN
        RETURN NEW;  -- the account that wrote it was deleted
    END IF;
    IF TG_OP = 'DELETE' AND COALESCE({OLD_ENOUGH}, false) THEN
        RETURN OLD;  -- past the retention schedule, deleted by it
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END
$$ LANGUAGE plpgsql;
"""

# As 0005 left it.
POSTGRES_BACKWARD = f"""
CREATE OR REPLACE FUNCTION schools_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND ROW({", ".join(f"NEW.{c}" for c in KEPT)})
           IS NOT DISTINCT FROM ROW({", ".join(f"OLD.{c}" for c in KEPT)}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END
$$ LANGUAGE plpgsql;
"""

SQLITE_UPDATE_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS schools_auditentry_no_update BEFORE UPDATE ON schools_auditentry
WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
          AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)})
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted');
END;
"""


def _sqlite_delete_trigger(allow_retention: bool) -> str:
    when = f"WHEN NOT COALESCE({OLD_ENOUGH}, 0)" if allow_retention else ""
    return f"""
CREATE TRIGGER IF NOT EXISTS schools_auditentry_no_delete BEFORE DELETE ON schools_auditentry
{when}
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted');
END;
"""


# All of the SQLite triggers as this migration leaves them (tests/conftest.py uses these too).
SQLITE_FORWARD = [SQLITE_UPDATE_TRIGGER, _sqlite_delete_trigger(allow_retention=True)]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS schools_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS schools_auditentry_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS schools_auditentry_no_delete;")
        schema_editor.execute(_sqlite_delete_trigger(allow_retention=True))


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS schools_auditentry_no_delete;")
        schema_editor.execute(_sqlite_delete_trigger(allow_retention=False))


class Migration(migrations.Migration):
    dependencies = [("schools", "0007_pupil_leaving")]

    operations = [
        migrations.CreateModel(
            name="AuditPurge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("before", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
