"""Page types of a ward website (DOMAIN.md §7). One HomePage per administrative unit is the root
of that unit's Wagtail Site; live content (procedures, documents, figures) is read from the
other modules when the page is served, never copied into the page. The pages read it through
..selectors, imported inside the methods because the selectors import these models."""

from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from motcua.core import params
from motcua.core.importing import fold
from motcua.core.models import AdministrativeUnit

PER_PAGE = 10
RICH_TEXT = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image", "hr"]


class HomePage(Page):
    """The unit's home page: news, announcements, reform, services, the visitor counter."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="home_page",
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), features=RICH_TEXT, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro")]
    settings_panels = [FieldPanel("unit", read_only=True), *Page.settings_panels]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "site.SectionPage",
        "site.LeadersPage",
        "site.ContactPage",
        "site.FeedbackPage",
        "site.ProceduresPage",
        "site.DocumentsPage",
        "site.SchedulePage",
        "site.ReformFiguresPage",
        "site.SearchPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import home_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(self)
        children = self.get_children().live().public()
        context["quick_links"] = [
            children.type(kind).first()
            for kind in (
                ProceduresPage,
                DocumentsPage,
                SchedulePage,
                ReformFiguresPage,
                FeedbackPage,
            )
        ]
        return context


class Topic(models.TextChoices):
    """The sections a People's Committee site is expected to have (Nghị định 42/2022 Điều 4)."""

    NEWS = "news", _("news and events")
    REFORM = "reform", _("administrative reform")
    ANNOUNCEMENTS = "announcements", _("announcements")
    DIRECTION = "direction", _("direction and administration")
    LEGAL = "legal", _("legal dissemination")
    PLANNING = "planning", _("plans and planning")
    CONSULTATION = "consultation", _("consultation on drafts")
    INTRODUCTION = "introduction", _("introduction")


class SectionPage(Page):
    """A section (chuyên mục): its articles, newest first, ten to a page."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("topic"), FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types = ["site.ArticlePage"]

    class Meta:
        verbose_name = _("section")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["articles"] = Paginator(articles, PER_PAGE).get_page(request.GET.get("trang"))
        return context


class ArticlePage(Page):
    """An article: news, reform propaganda, an announcement."""

    date = models.DateField(_("date"), default=date.today)
    summary = models.TextField(_("summary"), max_length=400)
    body = RichTextField(_("text"), features=RICH_TEXT)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.CharField(_("author"), max_length=150, blank=True)
    # Title, summary and text folded (no diacritics, lower case) for the site's search.
    search_text = models.TextField(editable=False, default="")

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("author"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["site.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def save(self, *args: Any, **kwargs: Any) -> None:
        from django.utils.html import strip_tags

        self.search_text = fold(f"{self.title} {self.summary} {strip_tags(self.body)}")
        super().save(*args, **kwargs)


class LeadersPage(Page):
    """Introduction: organisation, leaders with their duties and contacts."""

    intro = RichTextField(_("organisation"), features=RICH_TEXT, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), InlinePanel("leaders")]
    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("leaders and organisation")


class Leader(Orderable):
    page = ParentalKey(LeadersPage, on_delete=models.CASCADE, related_name="leaders")
    name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("title"), max_length=150)
    duties = models.TextField(_("duties"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("duties"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("photo"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")


class ContactPage(Page):
    """Address, telephone, e-mail and office hours come from the unit itself."""

    body = RichTextField(_("text"), features=RICH_TEXT, blank=True)
    map_url = models.URLField(_("map link"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("map_url")]
    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact")


class FeedbackPage(Page):
    """Feedback and questions (phản ánh, kiến nghị): the form, and the published answers."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("feedback and questions")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        # Lazy: the view (a form with its own rate limit) imports these models.
        from ..views import feedback_page

        return feedback_page(request, self)


class _UnitPage(Page):
    """A page that lives directly under the home page, one of its kind, reading its content
    from the unit's records when served."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        abstract = True

    @property
    def unit(self) -> AdministrativeUnit:
        return self.get_parent().specific.unit


class ProceduresPage(_UnitPage):
    """The unit's published procedures, live from the catalogue, linking to the portal."""

    class Meta:
        verbose_name = _("public procedures")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import procedures_context

        context = super().get_context(request, *args, **kwargs)
        context.update(procedures_context(self.unit, request.GET))
        return context


class DocumentsPage(_UnitPage):
    """Legal and administrative documents the unit issued and chose to publish."""

    class Meta:
        verbose_name = _("legal documents")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import documents_context

        context = super().get_context(request, *args, **kwargs)
        context.update(documents_context(self.unit, request.GET))
        return context


class SchedulePage(_UnitPage):
    """The leaders' weekly work schedule (lịch công tác tuần), entered by the office until the
    planning module publishes it."""

    content_panels = [
        *_UnitPage.content_panels,
        MultiFieldPanel([InlinePanel("items")], heading=_("Schedule")),
    ]

    class Meta:
        verbose_name = _("weekly work schedule")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import schedule_days

        context = super().get_context(request, *args, **kwargs)
        monday = params.week(request.GET, "tuan")  # a 400 page for ?tuan=9999-12-31
        context.update(
            monday=monday,
            sunday=monday + timedelta(days=6),
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            days=schedule_days(self, monday),
        )
        return context


class ScheduleItem(Orderable):
    page = ParentalKey(SchedulePage, on_delete=models.CASCADE, related_name="items")
    day = models.DateField(_("day"))
    start = models.TimeField(_("time"), null=True, blank=True)
    content = models.TextField(_("content"))
    host = models.CharField(_("chaired by"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")


class ReformFiguresPage(_UnitPage):
    """Administrative-reform figures of the unit, computed when the page is served."""

    class Meta:
        verbose_name = _("reform figures")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import reform_figures

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = reform_figures(self.unit)
        return context


class SearchPage(Page):
    """Search across the site's articles and published documents, diacritics optional."""

    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("search")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import search

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        context.update(query=query, results=search(self.get_parent().specific, query))
        return context
