"""Reading query parameters (and the odd bare form field) safely: each parser returns the
default when the parameter is absent or empty, and otherwise either a value inside its bounds
or ``InvalidParameter`` — a 400 page (or JSON answer under /api/) that says in Vietnamese what
was wrong. No parser lets a malformed or out-of-range value reach the ORM, where it would be a
server error (an id beyond 2**63-1 or a year 9999 overflows; "abc" is not a number).

    procedure = params.record_id(request.GET, "procedure")     # int | None
    start, end = params.month_range(request.GET, "thang")       # this month when absent
    monday = params.week(request.GET, "tuan")                   # this week's Monday
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_PAGE_SIZE = 200
MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
INTEGER = re.compile(r"[+-]?[0-9]{1,19}")
DIGITS = re.compile(r"[0-9]{1,19}")

T = TypeVar("T")


class InvalidParameter(BadRequest):
    """A parameter we cannot use; ``message`` is safe to show (core.views.bad_request)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _raw(query: Mapping[str, Any], name: str) -> str:
    value = query.get(name)
    return "" if value is None else str(value).strip()


def integer(
    query: Mapping[str, Any],
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int | None:
    """A whole number in [minimum, maximum]."""
    text = _raw(query, name)
    if not text:
        return default
    if not INTEGER.fullmatch(text):
        raise InvalidParameter(_("“%(name)s” must be a whole number.") % {"name": name})
    number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidParameter(
            _("“%(name)s” must be between %(minimum)s and %(maximum)s.")
            % {"name": name, "minimum": minimum, "maximum": maximum}
        )
    return number


def record_id(query: Mapping[str, Any], name: str, default: int | None = None) -> int | None:
    """A database id: 1 to 2**63-1."""
    text = _raw(query, name)
    if not text:
        return default
    if not DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_ID:
        raise InvalidParameter(_("“%(name)s” is not a valid record number.") % {"name": name})
    return int(text)


def _check_year(name: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidParameter(
            _("“%(name)s”: the year must be between %(first)s and %(last)s.")
            % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR}
        )


def day(query: Mapping[str, Any], name: str, default: date | None = None) -> date | None:
    """A day written YYYY-MM-DD, in the years FIRST_YEAR to LAST_YEAR."""
    text = _raw(query, name)
    if not text:
        return default
    try:
        found = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        found = None
    if found is None:
        raise InvalidParameter(
            _("“%(name)s” must be a day written as year-month-day, e.g. 2026-03-31.")
            % {"name": name}
        )
    _check_year(name, found.year)
    return found


def month(query: Mapping[str, Any], name: str, default: date | None = None) -> date | None:
    """The first day of a month written YYYY-MM."""
    text = _raw(query, name)
    if not text:
        return default
    match = MONTH.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise InvalidParameter(
            _("“%(name)s” must be a month written as year-month, e.g. 2026-03.") % {"name": name}
        )
    _check_year(name, int(match[1]))
    return date(int(match[1]), int(match[2]), 1)


def month_range(query: Mapping[str, Any], name: str = "thang") -> tuple[datetime, datetime]:
    """[first day, first day of the next month) in Vietnam time; this month when absent."""
    from .calendar import month_bounds

    first = month(query, name)
    return month_bounds(f"{first:%Y-%m}" if first else "")


def week(query: Mapping[str, Any], name: str = "tuan", default: date | None = None) -> date:
    """The Monday of the week holding the day YYYY-MM-DD; this week when absent."""
    found = day(query, name) or default or timezone.localdate()
    return found - timedelta(days=found.weekday())


def choice(query: Mapping[str, Any], name: str, choices: Iterable[T], default: T) -> T:
    """One of ``choices`` (compared as text), else the default."""
    text = _raw(query, name)
    for option in choices:
        if text and text == str(option):
            return option
    if text:
        raise InvalidParameter(_("“%(name)s” has a value that is not offered.") % {"name": name})
    return default


def page_size(
    query: Mapping[str, Any], name: str = "limit", default: int = 50, maximum: int = MAX_PAGE_SIZE
) -> int:
    """How many rows a page shows: 1 to ``maximum``."""
    found = integer(query, name, default, minimum=1, maximum=maximum)
    assert found is not None
    return found


def text(query: Mapping[str, Any], name: str, default: str = "", *, max_length: int = 200) -> str:
    """A search text, at most ``max_length`` characters (control characters never get this
    far: core.middleware.HostileInputMiddleware refuses them)."""
    found = _raw(query, name)
    if len(found) > max_length:
        raise InvalidParameter(
            _("“%(name)s” is too long (at most %(max)s characters).")
            % {"name": name, "max": max_length}
        )
    return found or default


# --- for form fields --------------------------------------------------------------------------
FIRST_FORM_YEAR = 1900  # an incoming document or a paper may be old; year 1 or 9999 is not


def supported_date(value: date | datetime) -> None:
    """Validator of every DateField and DateTimeField of our forms: a year the database and
    the calendar arithmetic (a deadline plus a few days, a week after) can hold."""
    from django.core.exceptions import ValidationError

    if not FIRST_FORM_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_FORM_YEAR, "last": LAST_YEAR},
            code="date_range",
        )
