"""Counting the visitors of the ward websites: visitors, not requests.

A page view is counted once per visitor and period (the current minute, day, week and month,
in Vietnam time). The visitor is ``HMAC(salt of the period, address + browser string)``: the
salt is random, lives only as long as its period and is deleted with that period's marks when
the period is closed (``rollover``), so no mark can be traced back afterwards and no address is
ever stored. The minute marks use the day's salt, so that "online now" counts a visitor once
over several minutes.

The request path only touches the cache: ``cache.add`` of one key per period drops visitors
already seen (atomically across processes when the cache is Redis), and the new marks are put
in a numbered buffer in the cache. ``flush`` moves the buffer to the database in one batch; a
thread of each web process calls it every MOTCUA_VISITS_FLUSH_SECONDS, and the periodic
rollover job calls it too. The database's unique constraint is the last guard against a mark
counted twice (a restarted cache forgets what it had seen; the table does not).
"""

import atexit
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import OrderedDict
from datetime import datetime, timedelta
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Count, F
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.network import client_ip

from ..models import Period, VisitorMark, VisitSalt, VisitTotal

log = logging.getLogger(__name__)

SEQUENCE, FLUSHED, LOCK = "visits:sequence", "visits:flushed", "visits:flush-lock"
ITEM = "visits:item:{}"
IN_FLIGHT = 50  # numbers this close to the sequence may still be being written
MINUTE_MARKS_KEPT = timedelta(minutes=10)


def period_starts(now: datetime) -> dict[str, datetime]:
    """The start of the current minute, day, week (Monday) and month, in Vietnam time."""
    local = now.astimezone(VN_TZ)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        Period.MINUTE: local.replace(second=0, microsecond=0),
        Period.DAY: day,
        Period.WEEK: day - timedelta(days=day.weekday()),
        Period.MONTH: day.replace(day=1),
    }


def _period_end(period: str, start: datetime) -> datetime:
    if period == Period.MINUTE:
        return start + timedelta(minutes=1)
    if period == Period.DAY:
        return start + timedelta(days=1)
    if period == Period.WEEK:
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)


# --- who counts ----------------------------------------------------------------------------
_crawlers = CrawlerDetect()


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Crawlers, monitors, scripts and headless browsers, by their browser string; no string
    at all is a script too."""
    return not user_agent.strip() or bool(_crawlers.isCrawler(user_agent))


def client_address(request) -> str:  # type: ignore[no-untyped-def]
    """The address the rate limits use (MOTCUA_TRUSTED_PROXIES behind a proxy)."""
    return client_ip(request)


# --- salts ---------------------------------------------------------------------------------
_salts: dict[tuple[str, datetime], str] = {}
_salts_lock = threading.Lock()


def _salt(period: str, start: datetime) -> bytes:
    key = (period, start)
    with _salts_lock:
        found = _salts.get(key)
    if found is None:
        found = _stored_salt(period, start)
        with _salts_lock:
            if len(_salts) > 64:  # old periods' salts leave memory too
                _salts.clear()
            _salts[key] = found
    return found.encode()


def _stored_salt(period: str, start: datetime) -> str:
    """The period's salt, shared by every process through the database."""
    row = VisitSalt.objects.filter(period=period, start=start).first()
    if row is not None:
        return row.salt
    try:
        with transaction.atomic():
            return VisitSalt.objects.create(
                period=period, start=start, salt=secrets.token_hex(32)
            ).salt
    except IntegrityError:  # another process created it first
        return VisitSalt.objects.get(period=period, start=start).salt


def digest(period: str, start: datetime, address: str, user_agent: str) -> str:
    key = f"{address}\n{user_agent}".encode()
    return hmac.new(_salt(period, start), key, hashlib.sha256).hexdigest()[:32]


def _digests(starts: dict[str, datetime], address: str, user_agent: str) -> dict[str, str]:
    """One hash per period; the minute's is the day's (same salt), so "online now" sees one
    visitor across minutes."""
    found = {
        period: digest(period, starts[period], address, user_agent)
        for period in (Period.DAY, Period.WEEK, Period.MONTH)
    }
    return {Period.MINUTE: found[Period.DAY], **found}


# --- recording -----------------------------------------------------------------------------
class _Recent:
    """The keys this process has already put in the cache: repeat views skip the cache."""

    def __init__(self, size: int = 50_000) -> None:
        self.size, self.keys = size, OrderedDict[str, None]()
        self.lock = threading.Lock()

    def seen(self, key: str) -> bool:
        with self.lock:
            if key in self.keys:
                self.keys.move_to_end(key)
                return True
            self.keys[key] = None
            if len(self.keys) > self.size:
                self.keys.popitem(last=False)
            return False

    def clear(self) -> None:
        with self.lock:
            self.keys.clear()


recent = _Recent()


def record(site_id: int, address: str, user_agent: str, now: datetime | None = None) -> int:
    """Count one page view; returns how many periods it was new in (0 to 4)."""
    now = now or timezone.now()
    starts = period_starts(now)
    marks = _digests(starts, address, user_agent)
    new = []
    for period, start in starts.items():
        mark = marks[period]
        key = f"visits:seen:{site_id}:{period}:{start.isoformat()}:{mark}"
        if recent.seen(key):
            continue
        timeout = max(int((_period_end(period, start) - now).total_seconds()) + 60, 60)
        if cache.add(key, 1, timeout=timeout):
            new.append((site_id, period, start.isoformat(), mark))
    if new:
        cache.add(SEQUENCE, 0, timeout=None)
        number = cache.incr(SEQUENCE)
        cache.set(ITEM.format(number), new, timeout=7 * 24 * 3600)
        _start_flusher()
    return len(new)


# --- flushing ------------------------------------------------------------------------------
def flush(limit: int = 5000) -> int:
    """Write the buffered marks to the database; returns how many were written or already
    there. One flusher at a time (a cache lock); safe to call from anywhere."""
    if not cache.add(LOCK, 1, timeout=120):
        return 0
    try:
        return _flush(limit)
    finally:
        cache.delete(LOCK)


def _flush(limit: int) -> int:
    last, done = cache.get(SEQUENCE, 0), cache.get(FLUSHED, 0)
    if last < done:  # the cache was emptied and numbering started again
        done = 0
    upto = min(last, done + limit)
    numbers = range(done + 1, upto + 1)
    items = cache.get_many([ITEM.format(n) for n in numbers])
    consumed = done
    marks = []
    for number in numbers:
        item = items.get(ITEM.format(number))
        if item is None and number > last - IN_FLIGHT:
            break  # numbered but not yet written: next time
        consumed = number
        marks += item or []  # an item the cache dropped is lost, not retried forever
    rows = [
        VisitorMark(site_id=site, period=period, start=datetime.fromisoformat(start), digest=mark)
        for site, period, start, mark in marks
    ]
    VisitorMark.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    cache.set(FLUSHED, consumed, timeout=None)
    cache.delete_many([ITEM.format(n) for n in range(done + 1, consumed + 1)])
    return len(rows)


_flusher: threading.Thread | None = None
_flusher_lock = threading.Lock()


def _start_flusher() -> None:
    """One daemon thread per process writes the buffer every few seconds (never the request)."""
    global _flusher
    interval = float(settings.MOTCUA_VISITS_FLUSH_SECONDS)
    if interval <= 0 or (_flusher is not None and _flusher.is_alive()):
        return
    with _flusher_lock:
        if _flusher is None or not _flusher.is_alive():
            _flusher = threading.Thread(
                target=_flush_forever, args=(interval,), name="visit-flusher", daemon=True
            )
            _flusher.start()


def _flush_forever(interval: float) -> None:
    while True:
        time.sleep(interval)
        _flush_safely()


def _flush_safely() -> None:
    try:
        flush()
    except Exception:  # a database restart must not stop counting
        log.exception("Could not write the buffered website visits")
    finally:
        close_old_connections()


atexit.register(lambda: _flusher is not None and _flush_safely())


# --- closing periods -----------------------------------------------------------------------
def rollover(now: datetime | None = None) -> int:
    """Close every finished day, week and month: count its marks into VisitTotal, delete the
    marks and the period's salt. Old minute marks go too. Returns the periods closed."""
    flush()
    starts = period_starts(now or timezone.now())
    closed = 0
    with transaction.atomic():
        for period in (Period.DAY, Period.WEEK, Period.MONTH):
            old = VisitorMark.objects.filter(period=period, start__lt=starts[period])
            for row in old.values("site_id", "start").annotate(visitors=Count("id")):
                total, _created = VisitTotal.objects.get_or_create(
                    site_id=row["site_id"], period=period, start=row["start"]
                )
                VisitTotal.objects.filter(pk=total.pk).update(
                    visitors=F("visitors") + row["visitors"]
                )
                closed += 1
            old.delete()
            # A salt only makes new marks, and a closed period gets none.
            VisitSalt.objects.filter(period=period, start__lt=starts[period]).delete()
        VisitorMark.objects.filter(
            period=Period.MINUTE, start__lt=starts[Period.MINUTE] - MINUTE_MARKS_KEPT
        ).delete()
    with _salts_lock:
        _salts.clear()
    return closed
