"""Full-text and typo-tolerant search on PostgreSQL.

- search_vector is kept up to date by a trigger: title weighs most (A), then the
  summary (B), then the body (C), with the 'english' Snowball stemmer.
- pg_trgm indexes the title, so a misspelt word still finds close matches.

On SQLite nothing happens here and search falls back to simple matching.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION resources_resource_search_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS resources_resource_search_trigger ON resources_resource;
CREATE TRIGGER resources_resource_search_trigger
    BEFORE INSERT OR UPDATE ON resources_resource
    FOR EACH ROW EXECUTE FUNCTION resources_resource_search_update();

UPDATE resources_resource SET title = title;

CREATE INDEX IF NOT EXISTS resource_search_gin ON resources_resource USING gin (search_vector);
CREATE INDEX IF NOT EXISTS resource_title_trgm ON resources_resource USING gin (title gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS resource_title_trgm;
DROP INDEX IF EXISTS resource_search_gin;
DROP TRIGGER IF EXISTS resources_resource_search_trigger ON resources_resource;
DROP FUNCTION IF EXISTS resources_resource_search_update();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_library")]

    operations = [migrations.RunPython(forward, backward)]
