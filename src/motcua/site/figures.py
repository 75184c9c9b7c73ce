"""Figures of the websites handed to the reports: feedback answered on time, visitors."""

from datetime import datetime

from django.db.models import F, Sum

from motcua.core.models import AdministrativeUnit
from motcua.documents.figures import Share

from .models import Feedback, Period, VisitorMark, VisitTotal
from .services.sites import site_of


def feedback_answered_on_time(unit: AdministrativeUnit, start: datetime, end: datetime) -> Share:
    """Feedback whose answer was due in [start, end) and was answered by its due time
    ÷ all feedback whose answer was due in [start, end) (answered or not)."""
    due = Feedback.objects.filter(unit=unit, due_at__gte=start, due_at__lt=end)
    on_time = due.filter(answered_at__isnull=False, answered_at__lte=F("due_at"))
    return Share(on_time.count(), due.count())


def visitors(unit: AdministrativeUnit, start: datetime, end: datetime) -> int | None:
    """Visitors of the unit's website on the days in [start, end), each once a day (None when
    the unit has no website: not measured, not zero)."""
    site = site_of(unit)
    if site is None:
        return None
    closed = VisitTotal.objects.filter(
        site=site, period=Period.DAY, start__gte=start, start__lt=end
    ).aggregate(n=Sum("visitors"))["n"]
    still_open = VisitorMark.objects.filter(
        site=site, period=Period.DAY, start__gte=start, start__lt=end
    ).count()
    return (closed or 0) + still_open
