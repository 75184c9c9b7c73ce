"""Reads of the ward websites: the live content taken from the other modules, search."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.figures import compute, written
from motcua.core.models import AdministrativeUnit
from motcua.documents.models import DocumentType, OutgoingDocument
from motcua.documents.selectors import matching, public_documents
from motcua.planning.selectors import Entry, published_week
from motcua.procedures.models import Field, OnlineLevel
from motcua.procedures.selectors import catalogue

from .models import ArticlePage, HomePage, SchedulePage, SectionPage, Topic

PER_PAGE = 20
HOME_ARTICLES = 5


@dataclass(frozen=True)
class HomeSection:
    section: SectionPage
    articles: list[ArticlePage]


def articles_of(home: HomePage) -> QuerySet[ArticlePage]:
    return ArticlePage.objects.live().public().descendant_of(home).order_by("-date", "-pk")


def home_sections(home: HomePage) -> list[HomeSection]:
    """Each section in menu order with its newest articles (news first, then the others)."""
    sections = SectionPage.objects.live().public().child_of(home)
    found = []
    for section in sections:
        newest = list(
            ArticlePage.objects.live()
            .public()
            .child_of(section)
            .order_by("-date", "-pk")[:HOME_ARTICLES]
        )
        if newest:
            found.append(HomeSection(section, newest))
    found.sort(key=lambda s: s.section.topic != Topic.NEWS)
    return found


def _page(items: Any, number: str | None) -> PaginatorPage:
    return Paginator(items, PER_PAGE).get_page(number)


def _keep(query: QueryDict) -> str:
    """The filters, for the pager's links ("q=...&loai=...&")."""
    kept = query.copy()
    kept.pop("trang", None)
    encoded = kept.urlencode()
    return f"{encoded}&" if encoded else ""


def procedures_context(unit: AdministrativeUnit, query: QueryDict) -> dict[str, Any]:
    """The published catalogue of the unit's province, filtered like the portal's."""
    text = query.get("q", "").strip()[:200]
    field = query.get("linh-vuc", "")
    level = query.get("muc-do", "")
    found = catalogue(unit, text, field, level)
    return {
        "query": text,
        "field": field,
        "level": level,
        "fields": Field.objects.filter(procedures__in=found.values("pk"))
        .distinct()
        .order_by("name"),
        "levels": OnlineLevel.choices,
        "procedures": _page(found, query.get("trang")),
        "keep": _keep(query),
    }


def documents_context(unit: AdministrativeUnit, query: QueryDict) -> dict[str, Any]:
    """The unit's published documents, by type and words (diacritics optional)."""
    text = query.get("q", "").strip()[:200]
    kind = query.get("loai", "")
    found = public_documents(unit.pk)
    if kind:
        found = found.filter(type__code=kind)
    if text:
        found = matching(found, text)
    types = DocumentType.objects.filter(pk__in=public_documents(unit.pk).values("type")).order_by(
        "order"
    )
    return {
        "query": text,
        "kind": kind,
        "types": types,
        "documents": _page(found, query.get("trang")),
        "keep": _keep(query),
    }


@dataclass(frozen=True)
class SearchResults:
    articles: list[ArticlePage]
    documents: list[OutgoingDocument]

    @property
    def count(self) -> int:
        return len(self.articles) + len(self.documents)


def search(home: HomePage, query: str, limit: int = 50) -> SearchResults | None:
    """Articles of the site and its unit's published documents matching every word."""
    if not query.strip():
        return None
    articles = matching(articles_of(home), query)[:limit]
    documents = matching(public_documents(home.unit_id), query)[:limit]
    return SearchResults(list(articles), list(documents))


@dataclass(frozen=True)
class Figure:
    label: str
    value: str  # as the reports write it: "87,5% (35/40)", "12", or "not yet measured"


# The figures the public sees on the reform page, as the reports compute them.
PUBLIC_FIGURES = [
    "received",
    "returned",
    "on_time_share",
    "online_share",
    "late_without_apology",
    "e_certified",
    "satisfaction_share",
    "feedback_on_time",
    "docs_signed",
    "docs_in_electronic",
]


def reform_figures(unit: AdministrativeUnit, now: datetime | None = None) -> list[Figure]:
    """The reports' figures of the year so far (motcua.core.figures); a share with nothing to
    measure, or a figure without a source yet, says so rather than 0%."""
    now = now or timezone.now()
    start = datetime(now.astimezone(VN_TZ).year, 1, 1, tzinfo=VN_TZ)
    table = compute([unit.pk], start, now, PUBLIC_FIGURES)
    return [Figure(str(f.label), written(table.value(f.key, unit.pk))) for f in table.figures]


@dataclass(frozen=True)
class ScheduleRow:
    start: time | None
    content: str
    host: str
    participants: str
    place: str
    changed: bool = False
    cancelled: bool = False


def schedule_days(page: SchedulePage, monday: date) -> list[tuple[date, list[ScheduleRow]]]:
    """The week's rows per day: the unit's published weekly schedule (motcua.planning) when
    that week is published, otherwise what the editors entered on the page."""

    unit = page.get_parent().specific.unit
    published = published_week(unit, monday)
    if published is not None:
        return [(day, [_planned(e) for e in entries]) for day, entries in published.days]
    days = [monday + timedelta(days=n) for n in range(7)]
    items = page.items.filter(day__gte=days[0], day__lte=days[-1]).order_by("day", "start")
    return [
        (
            day,
            [
                ScheduleRow(i.start, i.content, i.host, i.participants, i.place)
                for i in items
                if i.day == day
            ],
        )
        for day in days
    ]


def _planned(entry: Entry) -> ScheduleRow:
    item = entry.item
    return ScheduleRow(
        item.starts_at.astimezone(VN_TZ).time(),
        item.content,
        item.host,
        item.participants,
        item.place,
        changed=entry.changed,
        cancelled=item.cancelled,
    )
