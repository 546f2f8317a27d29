"""Search in Welsh on PostgreSQL.

PostgreSQL has no Welsh stemmer, so Welsh text is indexed on its own, with the 'simple'
dictionary behind unaccent ("gwarcheidwad" finds "gwarcheidwâd" and the other way round):
the portal_welsh configuration. The trigger of migration 0004 now fills search_vector_cy
from the Welsh title (A), summary (B) and body (C) beside the English search_vector.

On SQLite nothing happens here: search matches the Welsh fields directly.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'portal_welsh') THEN
        CREATE TEXT SEARCH CONFIGURATION portal_welsh (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION portal_welsh
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION resources_resource_search_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    NEW.search_vector_cy :=
        setweight(to_tsvector('portal_welsh', coalesce(NEW.title_cy, '')), 'A') ||
        setweight(to_tsvector('portal_welsh', coalesce(NEW.summary_cy, '')), 'B') ||
        setweight(to_tsvector('portal_welsh', coalesce(NEW.body_cy, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE resources_resource SET title = title;

CREATE INDEX IF NOT EXISTS resource_search_cy_gin ON resources_resource USING gin (search_vector_cy);
"""

BACKWARD = """
DROP INDEX IF EXISTS resource_search_cy_gin;

CREATE OR REPLACE FUNCTION resources_resource_search_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_welsh;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_welsh_text")]

    operations = [migrations.RunPython(forward, backward)]
