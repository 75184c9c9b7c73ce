"""Figures of the websites, registered for the reports (motcua.core.figures): feedback
answered on time, visitors; and the reform section's articles, which count as propaganda in
motcua.planning's figure without being recorded there."""

from datetime import date, datetime

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from motcua.core.figures import NotMeasured, Rows, Scope, Value, addend, per_unit, share
from motcua.core.models import AdministrativeUnit
from motcua.core.summaries import watch

from .models import (
    ArticlePage,
    Feedback,
    HomePage,
    Period,
    SectionPage,
    Topic,
    VisitorMark,
    VisitTotal,
)
from .services.sites import site_of

SATISFACTION, DOCUMENTS = "satisfaction", "documents"  # the reports' sections


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


def _feedback_due(scope: Scope) -> Rows:
    window = Q(due_at__gte=scope.start, due_at__lt=scope.end)
    return Rows(Feedback, window, window)


@share("feedback_on_time", _("Feedback answered on time"), SATISFACTION, of=_feedback_due,
       drills=False)  # fmt: skip
def feedback_on_time(scope: Scope) -> Rows:
    """Feedback from the website whose answer was due in the period and was answered by its
    due time ÷ all feedback whose answer was due in the period (motcua.site.figures)."""
    return _feedback_due(scope).where(answered_at__isnull=False, answered_at__lte=F("due_at"))


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


# --- what the summaries watch (motcua.core.summaries) ------------------------------------------
watch(Feedback, since=("due_at", "received_at"))
watch(HomePage)  # which site is the unit's
watch(Site, unit=None)
watch(VisitTotal, unit=None, since=("start",), where="{row}.\"period\" = 'day'")
watch(VisitorMark, unit=None, since=("start",), where="{row}.\"period\" = 'day'")
# The reform section's articles (by their date) and the pages' tree (a section's topic, a
# page published, moved or withdrawn).
watch(ArticlePage, unit=None, since=("date",))
watch(SectionPage, unit=None)
_ARTICLES, _SECTIONS = ArticlePage._meta.db_table, SectionPage._meta.db_table
watch(
    Page,
    unit=None,
    where=f'EXISTS (SELECT 1 FROM "{_ARTICLES}" a WHERE a."page_ptr_id" = {{row}}."id") '
    f'OR EXISTS (SELECT 1 FROM "{_SECTIONS}" s WHERE s."page_ptr_id" = {{row}}."id")',
    since_sql=f'(SELECT a."date" FROM "{_ARTICLES}" a WHERE a."page_ptr_id" = {{row}}."id")',
)
