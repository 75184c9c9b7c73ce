"""The ward website's pages: live content from the other modules, search without diacritics,
the page cache, and what an editor may touch."""

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from weasyprint import HTML

from motcua.core.models import AdministrativeUnit, Role
from motcua.documents.catalogue import ensure_document_types
from motcua.documents.models import DocumentType
from motcua.documents.services import outgoing
from motcua.site.models import ArticlePage, DocumentsPage, HomePage, SearchPage, SectionPage
from motcua.site.services.sites import create_site
from tests.conftest import make_user
from tests.site.conftest import BROWSER


def _add(parent, page):  # type: ignore[no-untyped-def]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _issued(ward, people, abstract, *, public, pdf=False):  # type: ignore[no-untyped-def]
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="QD"),
        abstract=abstract,
        public=public,
        file=SimpleUploadedFile("qd.pdf", HTML(string=f"<p>{abstract}</p>").write_pdf())
        if pdf
        else None,
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return outgoing.issue(document, actor=people["clerk"])


def _people(ward):  # type: ignore[no-untyped-def]
    from motcua.core.models import Position

    ensure_document_types()
    return {
        "clerk": make_user("vanthu", ward, Role.CLERK),
        "chairman": make_user("chutich", ward, Role.LEADER, Position.CHAIRMAN),
        "officer": make_user("tuphap", ward, Role.SPECIALIST, Position.JUSTICE_CIVIL_STATUS),
    }


def test_the_home_page_is_the_ward_site_for_visitors_and_lists_the_newest_articles(client, website):
    page = client.get("/", HTTP_USER_AGENT=BROWSER)
    text = page.content.decode()
    assert page.status_code == 200 and 'lang="vi"' in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG PHÚ THUỶ" in text.upper()
    assert "Ra quân làm sạch bãi biển" in text and 'href="/tin-tuc/"' in text
    assert "Đang truy cập" in text and "Tổng số" in text  # the footer counter


def test_without_a_website_the_front_door_is_the_public_services(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("portal-home")


def test_published_documents_are_listed_and_searched_without_diacritics(client, website, ward):
    people = _people(ward)
    _issued(ward, people, "Về việc kiện toàn Tổ công tác cải cách hành chính", public=True)
    _issued(ward, people, "Về việc khen thưởng tập thể", public=False)
    _add(website.root_page, DocumentsPage(title="Văn bản", slug="van-ban"))
    listed = client.get("/van-ban/").content.decode()
    assert "kiện toàn Tổ công tác" in listed and "khen thưởng" not in listed
    found = client.get("/van-ban/", {"q": "kien toan to cong tac"}).content.decode()
    assert "01/QĐ-UBND" in found
    assert (
        "Không có văn bản phù hợp" in client.get("/van-ban/", {"q": "khen thuong"}).content.decode()
    )


def test_a_published_documents_file_is_public_and_an_unpublished_one_is_not(
    client, website, ward, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    people = _people(ward)
    call_command("create_demo_pki", "--unit", ward.code, verbosity=0)
    shown = _issued(ward, people, "Về việc ban hành quy chế", public=True, pdf=True)
    hidden = _issued(ward, people, "Về việc nội bộ", public=False, pdf=True)
    response = client.get(reverse("site-document-file", args=[shown.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == shown.signed_file.read()
    assert client.get(reverse("site-document-file", args=[hidden.pk])).status_code == 404
    outgoing.set_public(shown, actor=people["clerk"], public=False)
    assert client.get(reverse("site-document-file", args=[shown.pk])).status_code == 404


def test_site_search_finds_articles_and_documents_without_diacritics(client, website, ward):
    people = _people(ward)
    _issued(ward, people, "Về việc ra quân làm sạch môi trường biển", public=True)
    _add(website.root_page, SearchPage(title="Tìm kiếm", slug="tim-kiem"))
    text = client.get("/tim-kiem/", {"q": "LAM SACH bai bien"}).content.decode()
    assert "Ra quân làm sạch bãi biển" in text
    assert "1 kết quả" in text  # the document says "biển", not "bãi biển": only the article
    both = client.get("/tim-kiem/", {"q": "lam sach"}).content.decode()
    assert "2 kết quả" in both and "01/QĐ-UBND" in both


def test_the_procedures_page_lists_the_units_published_procedures_from_the_catalogue(
    client, website, ward
):
    from motcua.site.models import ProceduresPage
    from tests.dossiers.conftest import make_procedure

    make_procedure(ward.province)
    _add(website.root_page, ProceduresPage(title="Thủ tục hành chính", slug="thu-tuc"))
    text = client.get("/thu-tuc/").content.decode()
    assert "Đăng ký nhận cha, mẹ, con" in text and f"?don-vi={ward.code}" in text
    found = client.get("/thu-tuc/", {"q": "dang ky nhan CHA"}).content.decode()
    assert "Đăng ký nhận cha, mẹ, con" in found
    assert "Không có thủ tục phù hợp" in client.get("/thu-tuc/", {"q": "xay dung"}).content.decode()


def test_a_cached_page_is_served_again_until_the_site_publishes_something(
    client, website, settings
):
    settings.MOTCUA_PAGE_CACHE_SECONDS = 60
    section = SectionPage.objects.get(slug="tin-tuc")
    assert "Bản tin mới" not in client.get("/tin-tuc/").content.decode()
    ArticlePage.objects.filter(slug="lam-sach-bai-bien").update(title="Bản tin mới")  # no publish
    assert "Bản tin mới" not in client.get("/tin-tuc/").content.decode()  # the cached copy
    _add(section, ArticlePage(title="Thông báo lịch tiêm chủng", slug="tiem-chung",
                              summary="Lịch tiêm.", body="<p>Lịch tiêm.</p>"))  # fmt: skip
    assert "Thông báo lịch tiêm chủng" in client.get("/tin-tuc/").content.decode()


def test_pages_with_a_form_or_for_signed_in_staff_are_never_cached(client, website, ward):
    from motcua.site.models import FeedbackPage

    _add(website.root_page, FeedbackPage(title="Phản ánh", slug="phan-anh"))
    first = client.get("/phan-anh/")
    assert "csrfmiddlewaretoken" in first.content.decode() and "csrftoken" in first.cookies
    client.cookies.clear()
    assert "csrftoken" in client.get("/phan-anh/").cookies  # rendered again, a token of its own
    from motcua.site import pagecache

    request = RequestFactory().get("/")
    request.user = make_user("vanphong", ward, Role.WEBSITE_EDITOR)
    assert not pagecache.cacheable(request)
    request.user = AnonymousUser()
    assert pagecache.cacheable(request)


def test_two_units_each_have_their_own_site_by_host_name(client, website, other_ward, settings):
    settings.ALLOWED_HOSTS = ["phuthuy.test", "phanthiet.test", "localhost"]
    create_site(other_ward, hostname="phanthiet.test")
    assert "Phú Thuỷ" in client.get("/", HTTP_HOST="phuthuy.test").content.decode()
    assert "Phan Thiết" in client.get("/", HTTP_HOST="phanthiet.test").content.decode()
    assert "Phú Thuỷ" in client.get("/", HTTP_HOST="localhost").content.decode()  # the default


def test_an_editor_edits_only_the_site_of_the_unit_where_they_hold_the_role(
    client, website, ward, other_ward
):
    create_site(other_ward, hostname="phanthiet.test")
    editor = make_user("vanphong", ward, Role.WEBSITE_EDITOR)
    ours = HomePage.objects.get(unit=ward)
    theirs = HomePage.objects.get(unit=other_ward)
    assert ours.permissions_for_user(editor).can_edit()
    assert ours.permissions_for_user(editor).can_publish()
    assert not theirs.permissions_for_user(editor).can_edit()
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[ours.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code in (
        302,
        403,
    )
    # The role withdrawn: the site's editor group goes with it.
    held = editor.role_assignments.get()
    held.is_active = False
    held.save()
    again = type(editor).objects.get(pk=editor.pk)  # no permissions cached on the object
    assert not again.groups.exists()
    assert not HomePage.objects.get(pk=ours.pk).permissions_for_user(again).can_edit()


def test_an_officer_without_the_editor_role_has_no_page_editor(client, website, ward):
    client.force_login(make_user("tuphap", ward, Role.SPECIALIST))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)


def test_the_demo_ward_has_a_site_with_a_dozen_articles_menus_and_the_directive(db):
    call_command("load_demo", verbosity=0)
    ward = AdministrativeUnit.objects.get(code="22924")
    home = HomePage.objects.get(unit=ward)
    articles = ArticlePage.objects.live().descendant_of(home)
    assert articles.count() == 12
    assert articles.filter(title__icontains="Chủ tịch", search_text__contains="4 xin").exists()
    menu = [p.title for p in home.get_children().live().in_menu()]
    assert {"Giới thiệu", "Tin tức - Sự kiện", "Cải cách hành chính", "Văn bản"} <= set(menu)
    published = DocumentsPage.objects.child_of(home).get()
    assert published.live


def test_the_reform_figures_page_shows_the_reports_figures_of_the_year(client, website, ward):
    from motcua.site.models import ReformFiguresPage

    _add(website.root_page, ReformFiguresPage(title="Số liệu CCHC", slug="so-lieu"))
    page = client.get("/so-lieu/")
    figures = {f.label: f.value for f in page.context["figures"]}
    assert figures["Tiếp nhận trong kỳ"] == "0"
    assert figures["Tỷ lệ trả trước hạn, đúng hạn"] == "— (0/0)"  # nothing to measure yet
    assert "Tiếp nhận trong kỳ" in page.content.decode()
