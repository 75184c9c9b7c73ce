"""What the footer counter and the staff chart show (reads only)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from motcua.core.calendar import VN_TZ

from ..models import Period, VisitorMark, VisitTotal
from .counting import period_starts

ONLINE_WINDOW = timedelta(minutes=5)
COUNTER_CACHE_SECONDS = 30


@dataclass(frozen=True)
class Counter:
    online: int  # distinct visitors seen in a minute that overlaps the last five minutes
    today: int
    week: int
    month: int
    total: int  # every visitor counted once per day, since the site began


def counter(site_id: int, now: datetime | None = None) -> Counter:
    """The footer's figures, recomputed at most every 30 seconds per site."""
    if now is not None:
        return _counter(site_id, now)
    key = f"visits:counter:{site_id}"
    found = cache.get(key)
    if found is None:
        found = _counter(site_id, timezone.now())
        cache.set(key, found, COUNTER_CACHE_SECONDS)
    return found


def _counter(site_id: int, now: datetime) -> Counter:
    starts = period_starts(now)
    marks = VisitorMark.objects.filter(site_id=site_id)

    def current(period: str) -> int:
        return marks.filter(period=period, start=starts[period]).count()

    # A minute overlaps [now - 5 min, now] when it starts after now - 6 min.
    online = (
        marks.filter(period=Period.MINUTE, start__gt=now - ONLINE_WINDOW - timedelta(minutes=1))
        .values("digest")
        .distinct()
        .count()
    )
    closed_days = VisitTotal.objects.filter(site_id=site_id, period=Period.DAY)
    total = (closed_days.aggregate(n=Sum("visitors"))["n"] or 0) + marks.filter(
        period=Period.DAY
    ).count()  # days not closed yet included
    return Counter(
        online=online,
        today=current(Period.DAY),
        week=current(Period.WEEK),
        month=current(Period.MONTH),
        total=total,
    )


def visitors_per_day(
    site_id: int, days: int = 30, today: date | None = None
) -> list[tuple[date, int]]:
    """Visitors of each of the last ``days`` days (today included), oldest first."""
    today = today or timezone.localdate()
    first = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tzinfo=VN_TZ)
    counts: dict[date, int] = {}
    closed = VisitTotal.objects.filter(site_id=site_id, period=Period.DAY, start__gte=first)
    for start, visitors in closed.values_list("start", "visitors"):
        day = start.astimezone(VN_TZ).date()
        counts[day] = counts.get(day, 0) + visitors
    open_days = (
        VisitorMark.objects.filter(site_id=site_id, period=Period.DAY, start__gte=first)
        .values("start")
        .annotate(n=Count("id"))
    )
    for row in open_days:
        day = row["start"].astimezone(VN_TZ).date()
        counts[day] = counts.get(day, 0) + row["n"]
    return [
        (today - timedelta(days=n), counts.get(today - timedelta(days=n), 0))
        for n in range(days - 1, -1, -1)
    ]
