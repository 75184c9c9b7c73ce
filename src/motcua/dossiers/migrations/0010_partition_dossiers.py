"""dossiers_dossier becomes a table partitioned by year, through its id (PostgreSQL only; see
dossiers/partitions.py). Existing rows are copied, with their ids, into one partition
(``dossiers_dossier_legacy``); new dossiers get ids that carry their year. The foreign keys to
and from the table and its indexes are recreated under their own names; the two unique keys
other than the id move to ``dossiers_dossier_unique``, kept by a trigger."""

from django.db import migrations

TABLE = "dossiers_dossier"
OLD = f"{TABLE}_unpartitioned"
UNIQUE = f"{TABLE}_unique"
LEGACY = f"{TABLE}_legacy"
LEGACY_END = 1000 * 10**10  # ids below it do not carry a year

FUNCTIONS = [
    # The year (Vietnam's) and a sequence number: 2026 gives 20260000000001, 20260000000002…
    f"""CREATE OR REPLACE FUNCTION motcua_dossier_id() RETURNS bigint LANGUAGE sql VOLATILE AS $$
      SELECT extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::bigint * 10000000000
             + nextval('{TABLE}_id_seq') $$""",
    # The unique keys, checked in the statement that writes the dossier.
    f"""CREATE OR REPLACE FUNCTION motcua_dossier_unique() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN DELETE FROM {UNIQUE} WHERE dossier_id = OLD.id; END IF;
      IF TG_OP <> 'DELETE' AND (NEW.code IS NOT NULL OR NEW.ledger_line IS NOT NULL) THEN
        INSERT INTO {UNIQUE} (dossier_id, code, unit_id, ledger_year, ledger_line)
        VALUES (NEW.id, NEW.code, NEW.unit_id, NEW.ledger_year, NEW.ledger_line);
      END IF;
      RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION motcua_dossier_unique_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN TRUNCATE {UNIQUE}; RETURN NULL; END $$""",
]


def _fetch(run_sql, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    with run_sql.connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _schema(schema_editor) -> tuple[list, list, list]:  # type: ignore[no-untyped-def]
    """The table's foreign keys (to it and from it) and its plain indexes, as SQL."""
    incoming = _fetch(schema_editor, f"""
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE confrelid = '{TABLE}'::regclass AND contype = 'f' AND conparentid = 0
          AND conrelid <> '{TABLE}'::regclass""")  # fmt: skip
    outgoing = _fetch(schema_editor, f"""
        SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = '{TABLE}'::regclass AND contype = 'f'""")  # fmt: skip
    indexes = _fetch(schema_editor, f"""
        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid = '{TABLE}'::regclass AND NOT i.indisunique""")  # fmt: skip
    return incoming, outgoing, indexes


def _recreate(run, incoming, outgoing, indexes) -> None:  # type: ignore[no-untyped-def]
    for (statement,) in indexes:
        run(statement)
    for name, definition in outgoing:
        run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
    for table, name, definition in incoming:
        run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _code_unique(schema_editor, table: str) -> str:  # type: ignore[no-untyped-def]
    """Django's name of the code's unique constraint (kept on the table that holds it)."""
    sql = (f"SELECT conname FROM pg_constraint WHERE conrelid = '{table}'::regclass"
           " AND contype = 'u' AND conname <> 'dossier_ledger_line_unique'")  # fmt: skip
    return _fetch(schema_editor, sql)[0][0]


def _drop_incoming(run, incoming) -> None:  # type: ignore[no-untyped-def]
    for table, name, _definition in incoming:
        run(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def partition(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from motcua.dossiers.partitions import DOSSIERS, ID_YEAR, ensure_partitions, ensure_years

    run = schema_editor.execute
    incoming, outgoing, indexes = _schema(schema_editor)
    code_unique = _code_unique(schema_editor, TABLE)
    (count,) = _fetch(schema_editor, f"SELECT count(*) FROM {TABLE} WHERE id < {LEGACY_END}")[0]
    years = [y for (y,) in _fetch(schema_editor, f"SELECT DISTINCT id / {ID_YEAR} FROM {TABLE}"
                                                 f" WHERE id >= {LEGACY_END}")]  # fmt: skip
    _drop_incoming(run, incoming)
    run(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    run(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
        f" PRIMARY KEY (id)) PARTITION BY RANGE (id)")  # fmt: skip
    if count:  # the dossiers made before: their ids stay
        run(f"CREATE TABLE {LEGACY} PARTITION OF {TABLE} FOR VALUES FROM (MINVALUE) TO"
            f" ({LEGACY_END})")  # fmt: skip
    ensure_years(DOSSIERS, years)  # ids that already carry a year (made by this migration)
    run(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
    run(f"DROP TABLE {OLD}")  # with its identity sequence, indexes and constraints
    run(f"ALTER INDEX {TABLE}_pkey1 RENAME TO {TABLE}_pkey")
    run(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
    for function in FUNCTIONS:
        run(function)
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT motcua_dossier_id()")
    _recreate(run, incoming, outgoing, indexes)
    run(f"""CREATE TABLE {UNIQUE} (
        dossier_id bigint PRIMARY KEY, code varchar(60), unit_id bigint, ledger_year smallint,
        ledger_line integer,
        CONSTRAINT {code_unique} UNIQUE (code),
        CONSTRAINT dossier_ledger_line_unique UNIQUE (unit_id, ledger_year, ledger_line))""")
    run(f"INSERT INTO {UNIQUE} SELECT id, code, unit_id, ledger_year, ledger_line FROM {TABLE}"
        " WHERE code IS NOT NULL OR ledger_line IS NOT NULL")  # fmt: skip
    run(f"CREATE TRIGGER motcua_unique AFTER INSERT OR DELETE OR UPDATE OF id, code, unit_id,"
        f" ledger_year, ledger_line ON {TABLE} FOR EACH ROW EXECUTE FUNCTION"
        " motcua_dossier_unique()")  # fmt: skip
    run(f"CREATE TRIGGER motcua_unique_truncate AFTER TRUNCATE ON {TABLE} FOR EACH STATEMENT"
        " EXECUTE FUNCTION motcua_dossier_unique_truncate()")  # fmt: skip
    ensure_partitions()  # this year and the next


def unpartition(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    incoming, outgoing, indexes = _schema(schema_editor)
    code_unique = _code_unique(schema_editor, UNIQUE)
    _drop_incoming(run, incoming)
    run(f"DROP TABLE {UNIQUE}")
    run(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    run(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING CONSTRAINTS)")
    run(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
    run(f"DROP TABLE {OLD} CASCADE")
    run("DROP FUNCTION motcua_dossier_id(), motcua_dossier_unique(),"
        " motcua_dossier_unique_truncate()")  # fmt: skip
    run(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)")
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    run(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'),"
        f" coalesce((SELECT max(id) FROM {TABLE}), 0) + 1, false)")  # fmt: skip
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {code_unique} UNIQUE (code)")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT dossier_ledger_line_unique UNIQUE (unit_id,"
        " ledger_year, ledger_line)")  # fmt: skip
    _recreate(run, incoming, outgoing, indexes)


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("dossiers", "0009_desk_work_indexes")]
    operations = [migrations.RunPython(partition, unpartition)]
