"""On PostgreSQL the audit log refuses UPDATE and DELETE, whoever asks."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION schools_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS schools_auditentry_append_only ON schools_auditentry;
CREATE TRIGGER schools_auditentry_append_only BEFORE UPDATE OR DELETE ON schools_auditentry
    FOR EACH ROW EXECUTE FUNCTION schools_auditentry_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS schools_auditentry_append_only ON schools_auditentry;
DROP FUNCTION IF EXISTS schools_auditentry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_advicerequest_advicemessage_auditentry_kinshippupil_and_more")]

    operations = [migrations.RunPython(forward, backward)]
