"""Figures of the websites, registered for the reports (motcua.core.figures): feedback
answered on time, visitors; and the reform section's articles, which count as propaganda in
motcua.planning's figure without being recorded there."""

from datetime import date, datetime

from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from motcua.core.figures import NotMeasured, Share, Value, addend, per_unit
from motcua.core.models import AdministrativeUnit

from .models import ArticlePage, Feedback, HomePage, Period, Topic, VisitorMark, VisitTotal
from .services.sites import site_of

SATISFACTION, DOCUMENTS = "satisfaction", "documents"  # the reports' sections


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


@per_unit("feedback_on_time", _("Feedback answered on time"), SATISFACTION)
def feedback_on_time(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Feedback from the website whose answer was due in the period and was answered by its
    due time ÷ all feedback whose answer was due in the period (motcua.site.figures)."""
    return feedback_answered_on_time(unit, start, end)


@per_unit("website_visitors", _("Website visitors"), DOCUMENTS)
def website_visitors(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Visitors of the unit's website, each counted once a day, on the days of the period;
    not measured when the unit has no website."""
    found = visitors(unit, start, end)
    return NotMeasured(str(_("the unit has no website"))) if found is None else found


@addend("propaganda")
def reform_articles(unit: AdministrativeUnit, first: date, last: date) -> list[ArticlePage]:
    """Articles of the unit's website's reform section dated in [first, last]: propaganda
    that counts without being recorded by hand."""
    home = HomePage.objects.filter(unit=unit).first()
    if home is None:
        return []
    articles = (
        ArticlePage.objects.live().descendant_of(home).filter(date__gte=first, date__lte=last)
    )
    return [a for a in articles.select_related() if a.get_parent().specific.topic == Topic.REFORM]
