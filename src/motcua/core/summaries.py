"""Closed-period summaries of the figures: a closed month's report read from one row per unit
instead of counted again from years of history, and exact all the same (issue 19).

A report over every module runs some thirty statements, each with the ORM's cost of building
it; a closed period's figures change only when a row they count is written (a late apology, a
correction, a deletion). So every table that a figure reads is *watched*: a database trigger
(PostgreSQL and SQLite), in the writer's own transaction, logs the row's unit and the earliest
moment the row can bear on (``FigureChange``). A summary of (unit, period) is used only when its
version is the figures' code and no logged change of its unit, or of every unit, reaches before
the period's end; otherwise the figure is counted live, as before.

The periodic job ``figure_summaries`` consumes the log (dropping the summaries it makes stale)
and then summarises the closed months, quarters and years that lack a summary. One run at a
time: a summary counted before a concurrent write is then always followed by that write's log
entry, still pending, so it is never read. A run killed at any point loses nothing: its
transactions roll back and the next run does the work.

Each app watches its own tables in its ``figures.py`` (``watch``); a test asserts that every
table the figures' SQL reads is watched. Figures that depend on the clock rather than on rows
(``live=True``) are never summarised.
"""

import fcntl
import hashlib
import logging
import marshal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Exists, Model, OuterRef, Q
from django.utils import timezone

from motcua.core.models import AdministrativeUnit, FigureChange, FigureSummary

log = logging.getLogger(__name__)

FORMAT = "1"  # how values are stored; bump when that changes
# A period is summarised this long after its end, so that no transaction still open across
# its end can commit a write its summary missed without that write being logged.
MARGIN = timedelta(hours=1)
CHUNK = 5000


# --- what is watched ------------------------------------------------------------------------
@dataclass(frozen=True)
class Watched:
    """Writes to ``model`` are logged: the unit (``unit`` column, or the parent's through the
    foreign key ``through``; neither: any unit) and the earliest of the ``since`` columns of the
    row and ``parent_since`` of its parent (none: any period). ``where``: a condition on the
    row (``{row}`` stands for it) outside which no figure counts it (others are not logged)."""

    model: type[Model]
    unit: str | None = "unit"
    since: tuple[str, ...] = ()
    through: str = ""
    parent_since: tuple[str, ...] = ()
    where: str = ""
    since_sql: str = ""  # a further SQL expression of the earliest moment (``{row}``: the row)

    @property
    def table(self) -> str:
        return self.model._meta.db_table


# table → what is logged of its writes (one table may be watched for several figures).
WATCHED: dict[str, list[Watched]] = {}


def watch(model: Any, unit: str | None = "unit", since: tuple[str, ...] = (), *,
          through: str = "", parent_since: tuple[str, ...] = (),
          where: str = "", since_sql: str = "") -> None:  # fmt: skip
    """Declare a table that figures read (called from an app's ``figures.py``)."""
    found = Watched(model, None if through else unit, since, through, parent_since, where,
                    since_sql)  # fmt: skip
    known = WATCHED.setdefault(found.table, [])
    if found not in known:  # a module imported again declares the same
        known.append(found)


def _quote(name: str) -> str:
    return f'"{name}"'  # the same in PostgreSQL and SQLite


def _column(model: type[Model], name: str) -> str:
    return _quote(model._meta.get_field(name).column)


def _earliest(columns: list[tuple[str, bool]], vendor: str) -> str:
    """The earliest non-null of the columns (a DATE column, True, is a Vietnam day read as
    UTC midnight: a day early, so that it reaches the start of that day); NULL when none is
    set or there are none."""
    if not columns:
        return "NULL"
    if vendor == "postgresql":
        moments = [f"({c} - interval '1 day')" if day else c for c, day in columns]
        return moments[0] if len(moments) == 1 else f"LEAST({', '.join(moments)})"
    moments = [f"datetime({c}, '-1 day')" if day else c for c, day in columns]
    if len(moments) == 1:
        return moments[0]
    never = "'9999-12-31'"
    found = ", ".join(f"COALESCE({m}, {never})" for m in moments)
    return f"NULLIF(min({found}), {never})"


def _dated(model: type[Model], name: str, row: str) -> tuple[str, bool]:
    field = model._meta.get_field(name)
    return f"{row}.{_quote(field.column)}", field.get_internal_type() == "DateField"


def _log(watched: Watched, row: str, vendor: str) -> str:
    """The INSERT that logs ``row`` (NEW or OLD) of a watched table."""
    model = watched.model
    since = [_dated(model, c, row) for c in watched.since]
    source, conditions = "", [watched.where.format(row=row)] if watched.where else []
    if watched.through:
        field = model._meta.get_field(watched.through)
        parent = field.related_model
        pk = _quote(parent._meta.pk.column)
        source = f" FROM {_quote(parent._meta.db_table)} p"
        conditions.append(f"p.{pk} = {row}.{_quote(field.column)}")
        since += [_dated(parent, c, "p") for c in watched.parent_since]
        unit = f"p.{_column(parent, 'unit')}"
    else:
        unit = f"{row}.{_column(model, watched.unit)}" if watched.unit else "NULL"
    if watched.since_sql:
        since.append((watched.since_sql.format(row=row), True))  # a date
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return (
        "INSERT INTO core_figurechange (unit_id, since) "
        f"SELECT {unit}, {_earliest(since, vendor)}{source}{where}"
    )


def install_triggers(using: str = "default", **_: Any) -> None:
    """(Re)create the triggers of every watched table (after ``migrate``: post_migrate)."""
    target = connections[using]
    with target.cursor() as cursor:
        for statement in _drop_statements(cursor, target.vendor) + _create_statements(
            target.vendor
        ):
            cursor.execute(statement)


def _drop_statements(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'motcua_watch' AND NOT t.tgisinternal"
        )
        tables = [name for (name,) in cursor.fetchall()]
        return [f'DROP TRIGGER IF EXISTS motcua_watch ON "{t}"' for t in tables]
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                   "AND name LIKE 'motcua_watch_%'")  # fmt: skip
    return [f'DROP TRIGGER IF EXISTS "{name}"' for (name,) in cursor.fetchall()]


def _create_statements(vendor: str) -> list[str]:
    statements = []
    for table, watches in sorted(WATCHED.items()):
        quoted = _quote(table)
        old = "; ".join(_log(w, "OLD", vendor) for w in watches)
        new = "; ".join(_log(w, "NEW", vendor) for w in watches)
        if vendor == "postgresql":
            function = f"motcua_watch_{table}"
            statements.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n  IF TG_OP <> 'INSERT' THEN {old}; END IF;\n"
                f"  IF TG_OP <> 'DELETE' THEN {new}; END IF;\n  RETURN NULL;\nEND $$"
            )
            statements.append(
                f"CREATE TRIGGER motcua_watch AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        else:
            for suffix, event, body in (("i", "INSERT", [new]), ("u", "UPDATE", [old, new]),
                                        ("d", "DELETE", [old])):  # fmt: skip
                name = _quote(f"motcua_watch_{table}_{suffix}")
                steps = " ".join(f"{s};" for s in body)
                statements.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {quoted} BEGIN {steps} END"
                )
    return statements


# --- versions and values --------------------------------------------------------------------
_VERSION: dict[tuple[int, int], str] = {}


def version() -> str:
    """Changes with any figure's definition or code and with what is watched (made once per
    process: the registries are filled when the apps are ready)."""
    from motcua.core.figures import REGISTRY

    size = (len(REGISTRY), sum(len(w) for w in WATCHED.values()))
    if size not in _VERSION:
        _VERSION.clear()
        _VERSION[size] = _digest()
    return _VERSION[size]


def _digest() -> str:
    from motcua.core.figures import REGISTRY

    digest = hashlib.sha256(FORMAT.encode())
    for key in sorted(REGISTRY):
        figure = REGISTRY[key]
        digest.update(f"{key}|{figure.kind}|{figure.formula}|{figure.total}".encode())
        for function in (figure.numerator, figure.denominator, figure.per_unit):
            code = getattr(function, "__code__", None)
            if code is not None:
                digest.update(marshal.dumps(code))
    for table in sorted(WATCHED):
        digest.update(repr(WATCHED[table]).encode())
    return digest.hexdigest()[:32]


def encode(value: Any) -> Any:
    """A value as stored; None where it is not (not measured: its reason is a translated
    text, so it is counted live in the reader's language)."""
    from motcua.core.figures import Share

    if isinstance(value, Share):
        return [value.numerator, value.denominator]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def decode(stored: Any) -> Any:
    from motcua.core.figures import Share

    if isinstance(stored, list):
        return Share(int(stored[0]), int(stored[1]))
    return stored


# --- reading --------------------------------------------------------------------------------
def closed(end: datetime, now: datetime | None = None) -> bool:
    return end <= (now or timezone.now()) - MARGIN


def valid(units: tuple[int, ...], start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """unit id → its stored values, for the units whose summary of [start, end) may be read."""
    if not units or not closed(end):
        return {}
    stale = FigureChange.objects.filter(
        Q(unit_id=OuterRef("unit_id")) | Q(unit_id__isnull=True),
        Q(since__isnull=True) | Q(since__lt=OuterRef("end")),
    )
    rows = (
        FigureSummary.objects.filter(unit_id__in=units, start=start, end=end, version=version())
        .exclude(Exists(stale))
        .values_list("unit_id", "values")
    )
    return dict(rows)


# --- the periodic job -----------------------------------------------------------------------
@contextmanager
def one_at_a_time() -> Iterator[bool]:
    """Whether this process holds the summaries' lock (PostgreSQL: an advisory lock, freed
    when a killed worker's connection closes; SQLite: a file lock in the var directory)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext('motcua_figure_summaries'))")
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(hashtext('motcua_figure_summaries'))")
        return
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.VAR_DIR / "figure-summaries.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def consume() -> int:
    """Drop the summaries the logged changes make stale, and the changes; returns how many
    changes were read. Each chunk in one transaction, so a killed run leaves them logged."""
    read = 0
    while True:
        with transaction.atomic():
            changes = list(
                FigureChange.objects.order_by("id").values_list("id", "unit_id", "since")[:CHUNK]
            )
            if not changes:
                return read
            _drop_stale(changes)
            FigureChange.objects.filter(id__in=[c[0] for c in changes]).delete()
            read += len(changes)


def _drop_stale(changes: list[tuple[int, int | None, datetime | None]]) -> None:
    earliest: dict[int | None, datetime | None] = {}
    for _id, unit, since in changes:
        if unit in earliest and (earliest[unit] is None or since is None):
            earliest[unit] = None
        elif unit in earliest:
            earliest[unit] = min(earliest[unit], since)  # type: ignore[type-var]
        else:
            earliest[unit] = since
    stale = Q(pk__in=[])
    for unit, since in earliest.items():
        reaches = Q() if since is None else Q(end__gt=since)
        stale |= reaches if unit is None else Q(reaches, unit_id=unit)
    FigureSummary.objects.filter(stale).delete()


def periods(now: datetime) -> list[Any]:
    """The periods summarised: the closed months of the last two years, their quarters and
    years, newest first."""
    from motcua.core import periods as kinds
    from motcua.core.calendar import VN_TZ

    today = (now - MARGIN).astimezone(VN_TZ).date()
    found, day = [], today.replace(day=1)
    for _ in range(24):
        day = (day - timedelta(days=1)).replace(day=1)
        found.append(kinds.month(day))
        if day.month in (1, 4, 7, 10):
            found.append(kinds.quarter(day))
        if day.month == 1:
            found.append(kinds.year(day.year))
    return [p for p in found if closed(p.end, now)]


def summarise(now: datetime | None = None, *, budget: float = 240.0,
              units: list[int] | None = None, chosen: list[Any] | None = None) -> int:  # fmt: skip
    """Summarise the closed periods (or the ``chosen`` ones) that lack a current summary, for
    every commune (or ``units``), newest first, until ``budget`` seconds are spent; returns
    the rows written."""
    from motcua.core.figures import compute, summarised_keys
    from motcua.core.models.units import COMMUNE_KINDS

    now = now or timezone.now()
    if units is None:
        units = list(
            AdministrativeUnit.objects.filter(kind__in=COMMUNE_KINDS).values_list("pk", flat=True)
        )
    current, keys, started, written = version(), summarised_keys(), time.monotonic(), 0
    for period in periods(now) if chosen is None else [p for p in chosen if closed(p.end, now)]:
        if time.monotonic() - started > budget:
            break
        done = set(
            FigureSummary.objects.filter(
                unit_id__in=units, start=period.start, end=period.end, version=current
            ).values_list("unit_id", flat=True)
        )
        missing = [u for u in units if u not in done]
        if not missing:
            continue
        table = compute(missing, period.start, period.end, keys, summaries=False)
        rows = [_summary(unit, period, current, {k: table.value(k, unit) for k in keys}, now)
                for unit in missing]  # fmt: skip
        with transaction.atomic():
            FigureSummary.objects.filter(
                unit_id__in=missing, start=period.start, end=period.end
            ).delete()
            FigureSummary.objects.bulk_create(rows)
        written += len(rows)
    return written


def _summary(unit: int, period: Any, current: str, values: dict[str, Any],
             now: datetime) -> FigureSummary:  # fmt: skip
    encoded = {key: encode(value) for key, value in values.items()}
    return FigureSummary(unit_id=unit, start=period.start, end=period.end, version=current,
                         values=encoded, computed_at=now)  # fmt: skip


def refresh(now: datetime | None = None, **options: Any) -> tuple[int, int] | None:
    """Consume the log, then summarise what lacks a summary; None when another run holds the
    lock. Returns (changes read, summaries written)."""
    with one_at_a_time() as mine:
        if not mine:
            return None
        read = consume()
        return read, summarise(now, **options)


# A unit's own row (its province, its kind) bears on its figures of every period.
watch(AdministrativeUnit, unit="id")
