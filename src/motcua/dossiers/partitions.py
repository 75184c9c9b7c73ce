"""The dossiers and their event history, partitioned by year on PostgreSQL (declarative
partitioning). SQLite (the laptop) keeps plain tables.

One partition per Vietnam calendar year keeps each year's rows and indexes together, lets old
years be moved or archived as a whole, and keeps the current year's indexes small.

- ``dossiers_dossierevent`` is partitioned by its time ``at``; its primary key is (id, at),
  since PostgreSQL wants the partition key in every unique index; ids come from one sequence.
- ``dossiers_dossier`` is partitioned by its id, and the id carries the year: a new dossier's
  id is ``year × 10¹⁰ + a sequence number`` (``motcua_dossier_id()``, the year the row was
  inserted, in Vietnam). So the primary key stays the id alone and the steps, events, papers,
  certified copies and portal messages keep their foreign keys to it (PostgreSQL cannot
  reference a partitioned table by a column other than its key). The two other unique keys
  (the dossier code; unit, ledger year and ledger line) cannot be unique indexes of the
  partitioned table: a trigger keeps them in ``dossiers_dossier_unique``, a narrow plain table
  with those unique constraints, in the same statement (migration ``dossiers/0010``).
  Dossiers that existed before that migration keep their ids (the audit log and the links
  citizens hold name them) in one partition, ``dossiers_dossier_legacy``.

Partitions exist for every year with rows, the current year and the next one; the periodic
job ``history_partitions`` (``tasks.ensure_history_partitions``, daily) creates next year's a
year ahead of time. The event history has a DEFAULT partition for anything outside them (a
year created later takes its rows out of the default first, in the same transaction). The
dossier table has none: a dossier's id is always of the current year, whose partition the job
made a year before, and moving a dossier out of a default would have to delete rows that the
steps and events reference (PostgreSQL then refuses to attach the new partition).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from motcua.core.calendar import VN_TZ

ID_YEAR = 10**10  # a year's id range: 10 billion dossiers
LOCAL_YEAR = "extract(year FROM {} AT TIME ZONE 'Asia/Ho_Chi_Minh')::int"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=VN_TZ), datetime(year + 1, 1, 1, tzinfo=VN_TZ)


def id_bounds(year: int) -> tuple[int, int]:
    return year * ID_YEAR, (year + 1) * ID_YEAR


@dataclass(frozen=True)
class History:
    table: str
    key: str  # the partition column
    bounds: Callable[[int], tuple[Any, Any]]
    year_of: str  # SQL: the year a row of the default partition belongs to
    has_default: bool = True

    @property
    def default(self) -> str:
        return f"{self.table}_default"


EVENTS = History("dossiers_dossierevent", "at", year_bounds, LOCAL_YEAR.format("at"))
DOSSIERS = History("dossiers_dossier", "id", id_bounds, f"id / {ID_YEAR}", has_default=False)
HISTORIES = (DOSSIERS, EVENTS)
TABLE, DEFAULT = EVENTS.table, EVENTS.default  # the first one partitioned (migration 0007)


def partitioned(table: str = TABLE) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def existing_years(table: str = TABLE) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [table],
        )
        names = [name for (name,) in cursor.fetchall()]
    return {int(name.rsplit("_y", 1)[1]) for name in names if name.startswith(f"{table}_y")}


@transaction.atomic
def ensure_partitions(now: datetime | None = None) -> list[int]:
    """Create the partitions of this year and the next (and of any year a default partition
    holds rows of), for each partitioned table; returns the years created. A no-op where the
    tables are not partitioned."""
    this_year = (now or timezone.now()).astimezone(VN_TZ).year
    created: set[int] = set()
    for history in HISTORIES:
        if not partitioned(history.table):
            continue
        stray: set[int] = set()
        if history.has_default:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT DISTINCT {history.year_of} FROM {history.default}")
                stray = {int(year) for (year,) in cursor.fetchall()}
        created |= ensure_years(history, {this_year, this_year + 1} | stray)
    return sorted(created)


def ensure_years(history: History, years: Iterable[int]) -> set[int]:
    """The partitions of ``years`` that did not exist yet, created; returns their years."""
    wanted = set(years) - existing_years(history.table)
    for year in sorted(wanted):
        _create_year(history, year)
    return wanted


def _create_year(history: History, year: int) -> None:
    """The year's partition, with the rows the default partition held for it moved in through
    the partitioned table, so that its triggers (the summaries' log) see them."""
    start, end = history.bounds(year)
    table, key, name = history.table, history.key, f"{history.table}_y{year}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        if history.has_default:
            cursor.execute(
                f"CREATE TEMPORARY TABLE motcua_moving ON COMMIT DROP AS WITH moved AS"
                f" (DELETE FROM {history.default} WHERE {key} >= %s AND {key} < %s"
                f" RETURNING *) SELECT * FROM moved",
                [start, end],
            )
        cursor.execute(
            f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
        if history.has_default:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM motcua_moving")
            cursor.execute("DROP TABLE motcua_moving")
