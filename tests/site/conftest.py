import pytest
from wagtail.models import Site

from motcua.site.models import ArticlePage, SectionPage
from motcua.site.services.sites import create_site

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


@pytest.fixture
def website(ward) -> Site:  # type: ignore[no-untyped-def]
    """The ward's site, the default one (any host name), with a news section and an article."""
    Site.objects.all().delete()
    site = create_site(ward, hostname="phuthuy.test", is_default=True)
    section = SectionPage(title="Tin tức", slug="tin-tuc", topic="news", show_in_menus=True)
    site.root_page.add_child(instance=section)
    section.save_revision().publish()
    article = ArticlePage(
        title="Ra quân làm sạch bãi biển",
        slug="lam-sach-bai-bien",
        summary="Đoàn viên, thanh niên các khu phố cùng làm sạch bãi biển.",
        body="<p>Sáng chủ nhật, hơn 200 đoàn viên thanh niên tham gia.</p>",
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    return site
