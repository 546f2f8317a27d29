"""SQLite's full-text index of the library (FTS5), for the embedded default.

An external-content FTS5 table over the resources' English and Welsh text, with the
porter tokenizer (stemming) and accents folded, kept in step by triggers. SQLite drops a
table's triggers when a migration rebuilds the table, so ensure() runs after every
migrate (resources.apps) and puts back whatever is missing, rebuilding the index then.
PostgreSQL uses its own index (migrations 0004 and 0007); nothing here runs there.
"""

# The SQL here is built from this module's constants only; what a person types is always
# passed as a parameter.
# ruff: noqa: S608, S611

COLUMNS = ["title", "summary", "body", "title_cy", "summary_cy", "body_cy"]
TABLE = "resources_resource_fts"
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
_cols = ", ".join(COLUMNS)

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({_cols}, "
    "content='resources_resource', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
TRIGGERS = {
    f"{TABLE}_insert": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON resources_resource BEGIN "
        f"INSERT INTO {TABLE}(rowid, {_cols}) VALUES (new.id, {_new}); END"
    ),
    f"{TABLE}_delete": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON resources_resource BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old}); END"
    ),
    f"{TABLE}_update": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE ON resources_resource BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old}); "
        f"INSERT INTO {TABLE}(rowid, {_cols}) VALUES (new.id, {_new}); END"
    ),
}


def ensure(connection) -> bool:
    """Create the index and its triggers if any is missing; returns True if it did."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR name LIKE %s",
            [TABLE, f"{TABLE}_%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        wanted = {TABLE, *TRIGGERS}
        if wanted <= present:
            return False
        cursor.execute(CREATE_TABLE)
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")
    return True
