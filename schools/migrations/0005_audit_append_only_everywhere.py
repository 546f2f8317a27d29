"""The audit log refuses UPDATE and DELETE on PostgreSQL and on SQLite, with one exception:
when an account is deleted, the entries it wrote forget the account (actor_id becomes NULL,
Django's SET_NULL) and keep everything else, including actor_label, the name it had."""

from django.db import migrations

# Every column but actor_id must stay as it was.
KEPT = ["id", "virtual_school_id", "actor_label", "action", "object_type", "object_id", "summary", "at"]

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION schools_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND ROW({", ".join(f"NEW.{c}" for c in KEPT)})
           IS NOT DISTINCT FROM ROW({", ".join(f"OLD.{c}" for c in KEPT)}) THEN
        RETURN NEW;  -- the account that wrote it was deleted
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END
$$ LANGUAGE plpgsql;
"""

# Before 0005: refuse everything (as 0004 did).
POSTGRES_BACKWARD = """
CREATE OR REPLACE FUNCTION schools_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END
$$ LANGUAGE plpgsql;
"""

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER IF NOT EXISTS schools_auditentry_no_update BEFORE UPDATE ON schools_auditentry
WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
          AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)})
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted');
END;
""",
    """
CREATE TRIGGER IF NOT EXISTS schools_auditentry_no_delete BEFORE DELETE ON schools_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted');
END;
""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS schools_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS schools_auditentry_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_audit_is_append_only")]

    operations = [migrations.RunPython(forward, backward)]
