"""Working-day calendar: the only place deadlines are computed.

Working time is measured on one axis: microseconds inside office sessions, counted from the
first session of the first working day of EPOCH_YEAR. Every working day holds the same
working time (the unit's sessions), so adding whole days keeps the time of day, adding half a
day moves half a day's working time, and adding a then b equals adding a + b exactly
(integer arithmetic). A result that falls exactly between two sessions is given as the end of
the earlier one ("by 17:00 Monday", not "07:30 Tuesday").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EPOCH_YEAR = 2000
LAST_YEAR = 2199
_US = 1_000_000

Number = int | Decimal | Fraction


def _us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


def _time(us: int) -> time:
    seconds, micro = divmod(us, _US)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


class CalendarError(ValueError):
    pass


class WorkingCalendar:
    """Pure working-day arithmetic for one unit: no database access after construction.

    ``days_off`` and ``working_days`` are the administrator's overrides, already resolved
    (unit over national); they take precedence over the holiday package.
    """

    def __init__(
        self,
        sessions: Iterable[tuple[time, time]],
        *,
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        country: str = "VN",
    ) -> None:
        self.sessions = tuple((_us(a), _us(b)) for a, b in sessions)
        if (
            not self.sessions
            or any(a >= b for a, b in self.sessions)
            or any(
                self.sessions[i][1] > self.sessions[i + 1][0] for i in range(len(self.sessions) - 1)
            )
        ):
            raise CalendarError("sessions must be non-empty, ordered and not overlapping")
        self.day_us = sum(b - a for a, b in self.sessions)
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)
        self._country = country
        self._ordinals: list[int] = []  # working days, ascending, as date ordinals
        self._index: dict[int, int] = {}
        self._loaded_until = EPOCH_YEAR - 1

    # --- which days are working days -------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        if day in self._days_off:
            return False
        if day in self._working_days:
            return True
        public = self._public_holidays(day.year)
        if day in public.weekend_workdays:  # compensatory working Saturday announced yearly
            return True
        return day.weekday() < 5 and day not in public

    def _public_holidays(self, year: int) -> holidays_lib.HolidayBase:
        return _public_holidays(self._country, year)

    def _load_until(self, year: int) -> None:
        if year > LAST_YEAR:
            raise CalendarError(f"the calendar covers {EPOCH_YEAR}–{LAST_YEAR}")
        while self._loaded_until < year:
            y = self._loaded_until + 1
            day = date(y, 1, 1)
            while day.year == y:
                if self.is_working_day(day):
                    self._index[day.toordinal()] = len(self._ordinals)
                    self._ordinals.append(day.toordinal())
                day += timedelta(days=1)
            self._loaded_until = y

    def _day_index_at_or_after(self, day: date) -> int:
        """Index of the first working day on or after ``day``."""
        if day.year < EPOCH_YEAR:
            raise CalendarError(f"the calendar covers {EPOCH_YEAR}–{LAST_YEAR}")
        self._load_until(day.year + 1)
        i = bisect.bisect_left(self._ordinals, day.toordinal())
        while i >= len(self._ordinals):  # a year with no working day left: load the next
            self._load_until(self._loaded_until + 1)
        return i

    def _day(self, index: int) -> date:
        while index >= len(self._ordinals):
            self._load_until(self._loaded_until + 1)
        return date.fromordinal(self._ordinals[index])

    # --- the working-time axis -------------------------------------------------------------
    def position(self, moment: datetime) -> int:
        """Working microseconds from the epoch to ``moment`` (non-working time adds nothing)."""
        local = _local(moment)
        day = local.date()
        self._load_until(day.year + 1)
        index = self._index.get(day.toordinal())
        if index is None:
            return self._day_index_at_or_after(day) * self.day_us
        t = _us(local.time())
        elapsed = 0
        for start, end in self.sessions:
            if t < start:
                break
            if t < end:
                elapsed += t - start
                break
            elapsed += end - start
        return index * self.day_us + elapsed

    def moment(self, position: int) -> datetime:
        """The moment at a working-time position; on a session boundary, the earlier end."""
        if position < 0:
            raise CalendarError("before the start of the calendar")
        index, offset = divmod(position, self.day_us)
        if offset == 0 and index > 0:
            index, offset = index - 1, self.day_us
        day = self._day(index)
        for start, end in self.sessions:
            length = end - start
            if offset <= length:
                return datetime.combine(day, _time(start + offset), VN_TZ)
            offset -= length
        raise AssertionError("unreachable: offset within a working day")

    # --- public operations -----------------------------------------------------------------
    def add_working_days(self, moment: datetime, days: Number) -> datetime:
        """``moment`` plus ``days`` working days (half-days allowed; negative goes back)."""
        delta = Fraction(days) * self.day_us
        if delta.denominator != 1:
            raise CalendarError("working days must be a whole number of microseconds")
        return self.moment(self.position(moment) + int(delta))

    def working_days_between(self, start: datetime, end: datetime) -> Fraction:
        """Working days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        return Fraction(self.position(end) - self.position(start), self.day_us)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        return timedelta(microseconds=self.position(end) - self.position(start))

    def is_working_time(self, moment: datetime) -> bool:
        local = _local(moment)
        if not self.is_working_day(local.date()):
            return False
        t = _us(local.time())
        return any(start <= t < end for start, end in self.sessions)

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` itself in working time, otherwise the start of the next session."""
        if self.is_working_time(moment):
            return moment.astimezone(VN_TZ)
        local = _local(moment)
        day, t = local.date(), _us(local.time())
        if self.is_working_day(day):
            for start, _end in self.sessions:
                if t < start:
                    return datetime.combine(day, _time(start), VN_TZ)
            day += timedelta(days=1)
        next_day = self._day(self._day_index_at_or_after(day))
        return datetime.combine(next_day, _time(self.sessions[0][0]), VN_TZ)

    def end_of_working_day(self, moment: datetime) -> datetime:
        """End of the last session of the working day that ``moment`` counts in."""
        start = self.next_working_moment(moment)
        return datetime.combine(start.date(), _time(self.sessions[-1][1]), VN_TZ)

    def clock_start(self, received_at: datetime, cutoff: time | None) -> datetime:
        """When processing time starts: after the cut-off, from the next working day."""
        local = _local(received_at)
        if cutoff is not None and self.is_working_day(local.date()) and local.time() >= cutoff:
            return self.next_working_moment(
                datetime.combine(local.date() + timedelta(days=1), time(0), VN_TZ)
            )
        return self.next_working_moment(received_at)

    def due_at(self, received_at: datetime, days: Number, cutoff: time | None) -> datetime:
        """Result due time for a processing time in working days ("0" = the same working day)."""
        start = self.clock_start(received_at, cutoff)
        if Fraction(days) == 0:
            return self.end_of_working_day(start)
        return self.add_working_days(start, days)


@lru_cache(maxsize=1024)
def _public_holidays(country: str, year: int) -> holidays_lib.HolidayBase:
    """Shared by every unit's calendar: the lunar computations are the slow part."""
    return holidays_lib.country_holidays(country, years=year)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise CalendarError("naive datetime: pass an aware datetime")
    return moment.astimezone(VN_TZ)


def month_bounds(text: str, today: date | None = None) -> tuple[datetime, datetime]:
    """[first day, first day of the next month) in Vietnam time for "YYYY-MM"; the current
    month when the text is empty or malformed (monthly registers and reports)."""
    try:
        month = datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        month = today or datetime.now(VN_TZ).date()
    if not 1900 <= month.year <= 9000:  # year 9999's next month does not exist: no overflow
        month = today or datetime.now(VN_TZ).date()
    start = datetime(month.year, month.month, 1, tzinfo=VN_TZ)
    end = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=VN_TZ)
    return start, end
