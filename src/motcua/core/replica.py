"""Reads that may come from a PostgreSQL streaming replica (``MOTCUA_REPLICA_DATABASE_URL``).

Only what is declared read-mostly goes there: the figures engine (reports, dashboards,
exports, the API's reports, the website's reform figures — every figure is computed by
``core.figures.compute``) and the drill-down lists behind them. Everything else, and every
write, uses the primary (``ReplicaRouter``).

Three cases read the primary even inside ``replica_reads()``:
- a transaction is open on the primary (what it reads must be what it writes against);
- the request follows a write by the same browser (``PrimaryAfterWrite``: a cookie set on
  each successful POST/PUT/PATCH/DELETE, for MOTCUA_PRIMARY_AFTER_WRITE_SECONDS), so an
  officer who just received a dossier sees it counted;
- the replica is unreachable or further behind than MOTCUA_REPLICA_MAX_LAG_SECONDS.

A replica that is behind but within the limit is used, and what it answered is dated: the
``Reading`` of ``replica_reads()`` holds the time of the last transaction it had replayed,
which the figures show ("Số liệu tính đến …").
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from threading import Lock
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

REPLICA = "replica"
PIN_COOKIE = "motcua_primary"
log = logging.getLogger(__name__)


@dataclass
class Reading:
    """One ``replica_reads()`` block: ``as_of`` is the oldest replica state its reads were
    served from while the replica was behind (None: every read was current)."""

    as_of: datetime | None = None


_reading: ContextVar[Reading | None] = ContextVar("motcua_replica_reading", default=None)
_pinned: ContextVar[bool] = ContextVar("motcua_primary_pinned", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass(frozen=True)
class State:
    usable: bool
    as_of: datetime | None  # None: caught up with the primary (the data is current)
    checked: float


_state: State | None = None
_state_lock = Lock()


def state() -> State:
    """The replica's lag, checked at most every MOTCUA_REPLICA_CHECK_SECONDS per process."""
    global _state
    with _state_lock:
        held = _state
        if (
            held is not None
            and time.monotonic() - held.checked < settings.MOTCUA_REPLICA_CHECK_SECONDS
        ):
            return held
    fresh = _measure()
    with _state_lock:
        _state = fresh
    return fresh


def forget_state() -> None:
    global _state
    with _state_lock:
        _state = None


def _measure() -> State:
    """Caught up when it has replayed the primary's current WAL position; otherwise as of its
    last replayed commit."""
    now = time.monotonic()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            primary_lsn = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                " pg_last_xact_replay_timestamp()",
                [primary_lsn],
            )
            recovering, caught_up, replayed_at = cursor.fetchone()
    except DatabaseError as error:
        log.warning("replica unusable, reading the primary: %s", error)
        connections[REPLICA].close()
        return State(False, None, now)
    if not recovering:  # a promoted replica is a second primary: never read it as a copy
        log.warning("the replica is not in recovery; reading the primary")
        return State(False, None, now)
    if caught_up:
        return State(True, None, now)
    if replayed_at is None:
        return State(False, None, now)
    lag = (timezone.now() - replayed_at).total_seconds()
    return State(lag <= settings.MOTCUA_REPLICA_MAX_LAG_SECONDS, replayed_at, now)


def use_replica() -> bool:
    """Whether a read now may go to the replica (see the module's docstring)."""
    reading = _reading.get()
    if reading is None or _pinned.get() or not configured():
        return False
    if connections["default"].in_atomic_block:
        return False
    found = state()
    if found.usable and found.as_of is not None:
        reading.as_of = found.as_of if reading.as_of is None else min(reading.as_of, found.as_of)
    return found.usable


@contextmanager
def replica_reads() -> Iterator[Reading]:
    """Reads inside may be served by the replica; the Reading says as of when."""
    outer = _reading.get()
    reading = Reading()
    token = _reading.set(reading)
    try:
        yield reading
    finally:
        _reading.reset(token)
        if outer is not None and reading.as_of is not None:  # an inner block dates the outer
            outer.as_of = reading.as_of if outer.as_of is None else min(outer.as_of, reading.as_of)


def current_as_of() -> datetime | None:
    """The as-of time of the innermost ``replica_reads()`` block running now."""
    reading = _reading.get()
    return reading.as_of if reading is not None else None


def as_of_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``data_as_of``, read when the template asks for it (after the view
    computed its figures), so a page shows when its figures came from a replica behind."""
    return {"data_as_of": current_as_of}


def reads_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A read-only view (a drill-down list) whose queries may all go to the replica."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside ``replica_reads()`` to the replica when it may serve them; writes and
    migrations always to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if use_replica() else None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data, whichever copy an object was read from

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class PrimaryAfterWrite:
    """Middleware: a browser that just wrote reads the primary for a while (its own write is
    on the primary at once, on the replica only once replayed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        until = _number(request.COOKIES.get(PIN_COOKIE, ""))
        pinned = _pinned.set(until is not None and until > time.time())
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(pinned)
        wrote = request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400
        if wrote and configured():
            seconds = settings.MOTCUA_PRIMARY_AFTER_WRITE_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time() + seconds)),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _number(text: str) -> float | None:
    try:
        return float(text[:20])
    except ValueError:
        return None
