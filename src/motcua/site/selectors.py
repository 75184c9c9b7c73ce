"""Reads of the ward websites: the live content taken from the other modules, search."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit
from motcua.documents.models import DocumentType, OutgoingDocument
from motcua.documents.selectors import matching, public_documents
from motcua.procedures.models import Field, OnlineLevel
from motcua.procedures.selectors import catalogue

from .models import ArticlePage, HomePage, SectionPage, Topic

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
    """The reports' figures of the year so far (motcua.reports); a share with nothing to
    measure, or a figure without a source yet, says so rather than 0%."""
    from motcua.reports.figures.registry import compute
    from motcua.reports.formatting import written

    now = now or timezone.now()
    start = datetime(now.astimezone(VN_TZ).year, 1, 1, tzinfo=VN_TZ)
    table = compute([unit.pk], start, now, PUBLIC_FIGURES)
    return [Figure(str(f.label), written(table.value(f.key, unit.pk))) for f in table.figures]
