"""The dossiers' event history, partitioned by year on PostgreSQL (declarative partitioning).

``dossiers_dossierevent`` grows by several rows per dossier and is read by dossier (its
page, its control sheet) and by period (reports): one partition per Vietnam calendar year
keeps each year's rows and indexes together, lets old years be moved or archived as a whole,
and keeps the current year's indexes small. The primary key is (id, at) — PostgreSQL wants the
partition key in every unique index; ids still come from one sequence, so they stay unique.

The dossier table itself is not partitioned: the steps, events, papers, certified copies and
portal messages reference it by id, and PostgreSQL cannot reference a partitioned table's id
alone (docs/scale.md). SQLite (the laptop) keeps one plain table.

Partitions exist for every year with events, the current year and the next one; the periodic
job ``history_partitions`` (``tasks.ensure_partitions``) creates next year's ahead of time. A
DEFAULT partition catches anything outside them; a year created later takes its rows out of
the default first, in the same transaction.
"""

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from motcua.core.calendar import VN_TZ

TABLE = "dossiers_dossierevent"
DEFAULT = f"{TABLE}_default"


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=VN_TZ), datetime(year + 1, 1, 1, tzinfo=VN_TZ)


def existing_years() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    return {int(name.rsplit("_y", 1)[1]) for name in names if name.startswith(f"{TABLE}_y")}


@transaction.atomic
def ensure_partitions(now: datetime | None = None) -> list[int]:
    """Create the partitions of this year and the next (and of any year the default holds
    rows of); returns the years created. A no-op where the table is not partitioned."""
    if not partitioned():
        return []
    this_year = (now or timezone.now()).astimezone(VN_TZ).year
    with connection.cursor() as cursor:
        local_year = "extract(year FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int"
        cursor.execute(f"SELECT DISTINCT {local_year} FROM {DEFAULT}")
        stray = {int(year) for (year,) in cursor.fetchall()}
    wanted = ({this_year, this_year + 1} | stray) - existing_years()
    for year in sorted(wanted):
        _create_year(year)
    return sorted(wanted)


def _create_year(year: int) -> None:
    """The year's partition, with the rows the default partition held for it moved in."""
    start, end = year_bounds(year)
    name = f"{TABLE}_y{year}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s RETURNING *)"
            f" INSERT INTO {name} SELECT * FROM moved",
            [start, end],
        )
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
