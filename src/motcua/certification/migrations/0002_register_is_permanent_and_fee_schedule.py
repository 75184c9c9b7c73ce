"""The register is permanent (DOMAIN.md §4): its lines are never edited or deleted, only
annotated. The database refuses UPDATE and DELETE (on SQLite only UPDATE, because Django's
test flush deletes rows). Also the fee schedule of Thông tư 226/2016/TT-BTC as the first row.
"""

from datetime import date

from django.db import migrations

TABLES = ["certification_registerentry", "certification_registerannotation"]
PG_UP = """
CREATE OR REPLACE FUNCTION certification_register_permanent() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the certification register is permanent: annotate, do not change';
END $$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {t}_permanent BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION certification_register_permanent();\n"
    for t in TABLES
)
PG_DOWN = "".join(f"DROP TRIGGER IF EXISTS {t}_permanent ON {t};\n" for t in TABLES) + (
    "DROP FUNCTION IF EXISTS certification_register_permanent();"
)
SQLITE_UP = [
    f"CREATE TRIGGER {t}_permanent BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'the certification register is permanent'); END;"
    for t in TABLES
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {t}_permanent;" for t in TABLES]


def triggers(up: bool):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(PG_UP if up else PG_DOWN)
        elif vendor == "sqlite":
            for statement in SQLITE_UP if up else SQLITE_DOWN:
                schema_editor.execute(statement)

    return run


def fee_schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("certification", "CopyFeeRule").objects.get_or_create(
        valid_from=date(2017, 1, 1),
        defaults={
            "first_pages": 2, "first_page_fee": 2000, "later_page_fee": 1000,
            "cap_per_copy": 200_000,
            "legal_basis": "Thông tư 226/2016/TT-BTC (phí chứng thực bản sao từ bản chính)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [
        migrations.RunPython(triggers(True), triggers(False)),
        migrations.RunPython(fee_schedule, migrations.RunPython.noop),
    ]
