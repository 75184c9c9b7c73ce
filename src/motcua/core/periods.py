"""Report periods: a month, a quarter, a year or any range of days, in Vietnam time, as the
half-open interval [start, end) that every figure uses."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.core.calendar import VN_TZ

MONTH = re.compile(r"(\d{4})-(\d{2})")
QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
YEAR = re.compile(r"(\d{4})")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    first: date  # first day, included
    last: date  # last day, included
    kind: str  # "month", "quarter", "year" or "range"
    code: str  # what the URL carries: "2026-03", "2026-Q1", "2026", "2026-03-01..2026-03-15"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time(), tzinfo=VN_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time(), tzinfo=VN_TZ)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("month %(m)02d/%(y)d") % {"m": self.first.month, "y": self.first.year}
        if self.kind == "quarter":
            quarter = (self.first.month - 1) // 3 + 1
            return _("quarter %(q)s/%(y)d") % {"q": ("I", "II", "III", "IV")[quarter - 1],
                                                "y": self.first.year}  # fmt: skip
        if self.kind == "year":
            return _("year %(y)d") % {"y": self.first.year}
        return _("from %(a)s to %(b)s") % {
            "a": self.first.strftime("%d/%m/%Y"),
            "b": self.last.strftime("%d/%m/%Y"),
        }

    def previous(self) -> "Period":
        """The period of the same kind just before (a range: as many days just before)."""
        if self.kind == "month":
            return month(self.first - timedelta(days=1))
        if self.kind == "quarter":
            return quarter(self.first - timedelta(days=1))
        if self.kind == "year":
            return year(self.first.year - 1)
        days = (self.last - self.first).days + 1
        return days_between(self.first - timedelta(days=days), self.first - timedelta(days=1))


def month(day: date) -> Period:
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(first, last, "month", f"{first:%Y-%m}")


def quarter(day: date) -> Period:
    number = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * number - 2, 1)
    last = (date(day.year, 3 * number, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(first, last, "quarter", f"{day.year}-Q{number}")


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), "year", str(number))


def days_between(first: date, last: date) -> Period:
    return Period(first, last, "range", f"{first:%Y-%m-%d}..{last:%Y-%m-%d}")


def parse(code: str, *, today: date | None = None) -> Period:
    """ "2026-03", "2026-Q1", "2026", "2026-03-01..2026-03-15"; empty: the current month.
    Anything else is refused with a message saying what is expected."""
    code = (code or "").strip()
    if not code:
        return month(today or datetime.now(VN_TZ).date())
    try:
        if ".." in code:
            a, b = code.split("..", 1)
            first, last = date.fromisoformat(a.strip()), date.fromisoformat(b.strip())
            if last < first:
                raise ValidationError(_("The period ends before it starts."))
            found = days_between(first, last)
        elif m := MONTH.fullmatch(code):
            found = month(date(int(m[1]), int(m[2]), 1))
        elif m := QUARTER.fullmatch(code):
            found = quarter(date(int(m[1]), 3 * int(m[2]), 1))
        elif m := YEAR.fullmatch(code):
            found = year(int(m[1]))
        else:
            raise ValueError(code)
    except (ValueError, OverflowError) as error:  # OverflowError: 9999-12 has no next month
        raise ValidationError(
            _(
                "“%(code)s” is not a period. Write a month (2026-03), a quarter (2026-Q1), "
                "a year (2026) or two days (2026-03-01..2026-03-15)."
            )
            % {"code": code}
        ) from error
    if found.first.year < FIRST_YEAR or found.last.year > LAST_YEAR:
        raise ValidationError(_("Choose a period between 2000 and 2100."))
    return found
