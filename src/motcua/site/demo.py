"""The demo ward's website: sections with a dozen articles, the introduction, contact, feedback
with published answers, procedures, documents, the week's schedule and the reform figures.
Loaded once (a ward that has a website is left as it is), through the same services as real
work; the texts are in ``data/demo_site.json``."""

import json
from datetime import datetime, time, timedelta
from importlib import resources
from typing import Any

from django.utils import timezone
from wagtail.models import Page, Site

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, User

from .models import (
    ArticlePage,
    ContactPage,
    DocumentsPage,
    FeedbackPage,
    HomePage,
    Leader,
    LeadersPage,
    ProceduresPage,
    ReformFiguresPage,
    SchedulePage,
    SearchPage,
    SectionPage,
)
from .services import feedback as feedback_service
from .services.sites import create_site

DEMO_HOST = "localhost"  # the default site: every host name without a site of its own


def load(ward: AdministrativeUnit) -> bool:
    """The demo website of ``ward``; False when it already has one."""
    if HomePage.objects.filter(unit=ward).exists():
        return False
    data = json.loads(
        resources.files("motcua.site").joinpath("data/demo_site.json").read_text("utf-8")
    )
    _drop_wagtail_welcome_page()
    site = create_site(ward, hostname=DEMO_HOST, is_default=True)
    home = site.root_page.specific
    home.tagline, home.intro = data["tagline"], data["intro"]
    _publish(home)
    _leaders(home, data)
    for section in data["sections"]:
        _section(home, section)
    _add(home, ProceduresPage(title="Thủ tục hành chính", slug="thu-tuc-hanh-chinh",
                              intro="Thủ tục hành chính công khai tại phường; bấm vào tên thủ "
                              "tục để xem hồ sơ, phí, thời hạn và nộp trực tuyến."))  # fmt: skip
    _add(home, DocumentsPage(title="Văn bản", slug="van-ban",
                             intro="Văn bản quy phạm pháp luật và văn bản hành chính do Ủy ban "
                             "nhân dân phường ban hành."))  # fmt: skip
    _schedule(home)
    _add(home, ReformFiguresPage(title="Số liệu cải cách hành chính", slug="so-lieu-cchc",
                                 intro="Kết quả giải quyết thủ tục hành chính và xử lý văn bản "
                                 "điện tử của phường từ đầu năm."), in_menu=False)  # fmt: skip
    _add(home, FeedbackPage(title="Phản ánh, kiến nghị", slug="phan-anh-kien-nghi",
                            intro="<p>Người dân, tổ chức gửi phản ánh, kiến nghị, câu hỏi tại "
                            "đây. Phường trả lời trong thời hạn quy định.</p>"))  # fmt: skip
    _add(home, ContactPage(title="Liên hệ", slug="lien-he", body=data["contact_body"]))
    _add(home, SearchPage(title="Tìm kiếm", slug="tim-kiem"), in_menu=False)
    _feedback(ward, data["feedback"])
    return True


def _drop_wagtail_welcome_page() -> None:
    """Wagtail's first migration leaves a 'Welcome' page and a site for it: not ours."""
    for site in Site.objects.filter(root_page__content_type__model="page"):
        page = site.root_page
        site.delete()
        if page.depth == 2 and not page.get_children().exists():
            page.delete()


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _add(parent: Page, page: Page, *, in_menu: bool = True) -> Page:
    page.show_in_menus = in_menu
    parent.add_child(instance=page)
    _publish(page)
    return page


def _day(days_ago: int) -> Any:
    return timezone.localdate() - timedelta(days=days_ago)


MENU_TOPICS = {"news", "reform", "announcements"}  # the other sections are on the home page


def _section(home: HomePage, data: dict[str, Any]) -> None:
    section = _add(
        home,
        SectionPage(
            title=data["title"], slug=data["slug"], topic=data["topic"], intro=data["intro"]
        ),
        in_menu=data["topic"] in MENU_TOPICS,
    )
    for article in sorted(data["articles"], key=lambda a: -a["days_ago"]):
        page = ArticlePage(
            title=article["title"],
            slug=article["slug"],
            date=_day(article["days_ago"]),
            summary=article["summary"],
            body=article["body"],
            author=article.get("author", ""),
        )
        _add(section, page, in_menu=False)


def _leaders(home: HomePage, data: dict[str, Any]) -> None:
    page = LeadersPage(title="Giới thiệu", slug="gioi-thieu", intro=data["leaders_intro"])
    page.leaders = [
        Leader(
            name=item["name"],
            title=item["title"],
            duties=item.get("duties", ""),
            phone=item.get("phone", ""),
            email=item.get("email", ""),
        )
        for item in data["leaders"]
    ]
    _add(home, page)


def _schedule(home: HomePage) -> None:
    """The weekly schedule page: it shows the week the office publishes (motcua.planning's
    demo publishes this week's)."""
    page = SchedulePage(title="Lịch công tác tuần", slug="lich-cong-tac",
                        intro="Lịch công tác của Thường trực Ủy ban nhân dân phường.")  # fmt: skip
    _add(home, page)


def _feedback(ward: AdministrativeUnit, items: list[dict[str, Any]]) -> None:
    """Answered and published questions, and one still to answer (for the staff's queue)."""
    answerer = User.objects.filter(username="vanphong").first()
    publisher = User.objects.filter(username="chutich").first()
    for item in items:
        received = datetime.combine(_day(item["days_ago"]), time(9, 0), tzinfo=VN_TZ)
        data = feedback_service.FeedbackData(
            name=item["name"],
            subject=item["subject"],
            content=item["content"],
            phone=item.get("phone", "0912000111"),
        )
        sent = feedback_service.submit(ward, data, at=received)
        if answerer and publisher and item.get("answer"):
            answered = received + timedelta(days=min(item["days_ago"] - 1, 5))
            feedback_service.answer(sent, actor=answerer, text=item["answer"], at=answered)
            feedback_service.set_published(sent, actor=publisher, published=True)
    feedback_service.submit(
        ward,
        feedback_service.FeedbackData(
            name="Lê Văn Tâm",
            subject="Đề nghị sửa đèn chiếu sáng đường ven biển",
            content="Đoạn đường ven biển thuộc Khu phố 5 có ba bóng đèn bị hỏng nhiều ngày, "
            "buổi tối người đi bộ tập thể dục rất khó thấy đường. Đề nghị phường kiểm tra.",
            phone="0903 111 222",
        ),
    )
