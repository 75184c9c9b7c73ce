"""The demo ward's website in Debian's Chromium, on a phone and on a desktop: the home page, an
article, the procedures list, the documents list with a search, the feedback form. Every page
is screenshotted and checked with axe-core (no serious or critical violation)."""

import pytest
from django.core.management import call_command

from motcua.site.models import Feedback

from .axe import assert_accessible
from .test_portal_flow import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# A person's browser, not the headless one's own string (which the counter treats as a bot).
PERSON = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


@pytest.fixture
def site(live_server):  # type: ignore[no-untyped-def]
    call_command("load_demo", verbosity=0)
    return live_server.url


def check(page, shot, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, name)
    assert_accessible(page, context=name)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_visitor_reads_the_news_finds_a_procedure_and_a_document_and_sends_feedback(
    browser, site, shot, screen
):
    options = PHONE if screen == "phone" else DESKTOP
    page = browser.new_context(**options, user_agent=PERSON).new_page()
    page.goto(f"{site}/")
    assert "ỦY BAN NHÂN DÂN PHƯỜNG PHÚ THUỶ" in page.inner_text("header").upper()
    assert "Đang truy cập" in page.inner_text("footer")
    check(page, shot, f"website-{screen}-1-home")

    page.get_by_role("link", name="Chủ tịch UBND phường chỉ đạo đẩy mạnh cải cách hành chính",
                     exact=False).first.click()  # fmt: skip
    page.wait_for_selector("article h1")
    assert "4 xin, 4 luôn" in page.inner_text("article")
    check(page, shot, f"website-{screen}-2-article")

    page.goto(f"{site}/thu-tuc-hanh-chinh/")
    page.fill("#q", "dang ky khai sinh")  # no diacritics
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=dang+ky+khai+sinh**")
    assert "khai sinh" in page.inner_text("table").lower()
    check(page, shot, f"website-{screen}-3-procedures")

    page.goto(f"{site}/van-ban/")
    page.fill("#q", "kien toan to cong tac")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=kien+toan**")
    rows = page.inner_text("table tbody")
    assert "02/QĐ-UBND" in rows and "Tổ công tác cải cách hành chính" in rows
    check(page, shot, f"website-{screen}-4-documents")

    page.goto(f"{site}/phan-anh-kien-nghi/")
    page.fill("#id_name", "Nguyễn Thị Hoa")
    page.fill("#id_subject", "Đèn đường Khu phố 3")
    page.fill("#id_content", "Ngắn")  # too short: refused, nothing lost
    page.click("main form button[type=submit]")
    page.wait_for_selector(".errorlist")
    assert page.input_value("#id_subject") == "Đèn đường Khu phố 3"
    check(page, shot, f"website-{screen}-5-feedback-errors")
    page.fill("#id_content", "Ba bóng đèn trên đường ven biển bị hỏng nhiều ngày.")
    page.fill("#id_phone", "0912 345 678")
    page.click("main form button[type=submit]")
    page.wait_for_url("**da-gui=**")
    assert "đã được tiếp nhận" in page.inner_text("main")
    check(page, shot, f"website-{screen}-6-feedback-sent")
    assert Feedback.objects.filter(subject="Đèn đường Khu phố 3", phone="0912345678").exists()
