"""PostgreSQL: GIN indexes for full-text search over the folded text (SQLite scans it)."""

from django.db import migrations

TABLES = ["documents_incomingdocument", "documents_outgoingdocument"]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} "
            "USING GIN (to_tsvector('simple', search_text))"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_work_files")]
    operations = [migrations.RunPython(create, drop)]
