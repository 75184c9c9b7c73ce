"""The citizen portal on a phone-sized screen, in Debian's Chromium: find, sign up, submit
with two uploads, answer a supplement request, pay, download the result, rate; the public
look-up; and the counter-assisted submission. axe-core checks every main page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from motcua.core.models import User
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.services import handling, intake
from motcua.portal.models import PaymentStatus, Rating
from tests import sample_files

from .axe import assert_accessible
from .test_desk_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
PDF = sample_files.PDF
JPEG = sample_files.JPEG


def check(page, shot, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, name)
    assert_accessible(page, context=name)


def files(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "to-khai.pdf").write_bytes(PDF)
    (tmp_path / "anh-giay-cu.jpg").write_bytes(JPEG)
    return tmp_path / "to-khai.pdf", tmp_path / "anh-giay-cu.jpg"


@pytest.fixture
def portal(live_server, settings, smtp_server):  # type: ignore[no-untyped-def]
    call_command("load_demo", verbosity=0)
    settings.MOTCUA_PUBLIC_URL = live_server.url  # the built-in gateway calls the IPN here
    settings.MOTCUA_PAYMENT_SIMULATOR = True
    return live_server.url


def test_a_citizen_finds_signs_up_submits_supplements_pays_downloads_and_rates_on_a_phone(
    browser, portal, smtp_server, shot, tmp_path
):
    base = portal
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/dich-vu-cong/")  # "/" is the ward's website; its menu links here
    page.fill("input[name=q]", "xac nhan tinh trang hon nhan")  # no diacritics
    page.click("form[role=search] button[type=submit]")
    link = page.get_by_role("link", name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân")
    check(page, shot, "portal-1-search")
    link.click()
    check(page, shot, "portal-2-procedure")
    page.click("text=Nộp trực tuyến")

    page.wait_for_url("**/cong-dan/dang-nhap/**")
    page.click("main a[href='/cong-dan/dang-ky/']")
    page.fill("#id_full_name", "Lê Thị Hồng")
    page.fill("#id_personal_id", "068195001234")
    page.fill("#id_phone", "0905 123 456")
    page.fill("#id_email", "hong.le@example.vn")
    page.fill("#id_password", "Mat-Khau-Rat-Manh-2026")
    check(page, shot, "portal-3-sign-up")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cong-dan/xac-thuc/")
    mail = smtp_server.wait_for(1)[0]
    code = re.search(r"\b(\d{6})\b", mail["Subject"]).group(1)
    page.fill("#id_code", code)
    check(page, shot, "portal-4-verify")
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_url("**/cong-dan/ho-so/")
    assert User.objects.get(personal_id="068195001234").email_verified_at

    page.go_back()  # resume where the citizen was going
    page.goto(f"{base}/dich-vu-cong/?q=xac+nhan+tinh+trang+hon+nhan")
    page.get_by_role("link", name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân").click()
    page.click("text=Nộp trực tuyến")
    page.wait_for_url("**/cong-dan/ho-so-nhap/*/")
    assert page.input_value("input[name=applicant_name]") == "Lê Thị Hồng"
    page.fill("input[name=address]", "Khu phố 3, phường Phú Thủy")
    declaration, photo = files(tmp_path)
    inputs = page.locator("#papers input[type=file]")
    inputs.nth(0).set_input_files(str(declaration))
    page.wait_for_selector("text=to-khai.pdf")
    page.locator("#papers input[type=file]").nth(2).set_input_files(str(photo))
    page.wait_for_selector("text=anh-giay-cu.jpg")
    page.wait_for_selector("#saved:has-text(':')")  # the address was saved on its own
    page.check("input[name=declaration]")
    check(page, shot, "portal-5-draft")
    page.click("button[name=submit]")
    page.wait_for_selector("h1:has-text('Đã nộp hồ sơ'), h1:has-text('nộp')")
    check(page, shot, "portal-6-submitted")
    dossier = Dossier.objects.filter(channel=Channel.ONLINE).latest("pk")  # after the demo's
    assert dossier.papers.count() == 2 and dossier.status == Status.PENDING

    names = ("motcua", "chutich", "tuphap")
    desk, chairman, justice = (User.objects.get(username=n) for n in names)
    intake.request_supplement(dossier, actor=desk, items=["Ảnh CCCD hai mặt"], reason="Thiếu")
    page.goto(f"{base}/cong-dan/ho-so/{dossier.pk}/")
    assert "Ảnh CCCD hai mặt" in page.content()
    check(page, shot, "portal-7-supplement-request")
    page.set_input_files("#supplement-files", str(photo))
    page.click("text=Gửi bổ sung")
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == Status.PENDING and dossier.papers.count() == 3

    intake.receive(dossier, actor=desk)
    page.goto(f"{base}/cong-dan/ho-so/{dossier.pk}/")
    page.click("text=Thanh toán trực tuyến")
    page.wait_for_selector("text=15.000 đ")
    shot(page, "portal-8-gateway")  # the simulator's page (a strict CSP keeps axe out)
    page.click("button:has-text('Thanh toán')")
    page.wait_for_url("**/cong-dan/thanh-toan/ket-qua/**")
    check(page, shot, "portal-9-paid")
    dossier.refresh_from_db()
    assert dossier.fee_paid == 15_000
    assert dossier.payments.get().status == PaymentStatus.PAID

    handling.assign(dossier, actor=chairman, to_user=justice)
    handling.hand_over(dossier, actor=justice, to_user=chairman)
    handling.approve(dossier, actor=chairman, to_user=desk)
    result = SimpleUploadedFile("giay-xac-nhan.pdf", PDF, content_type="application/pdf")
    handling.attach_result(dossier, actor=desk, file=result)
    page.goto(f"{base}/cong-dan/ho-so/{dossier.pk}/")
    with page.expect_download() as download:
        page.click("text=Tải kết quả điện tử")
    assert download.value.suggested_filename.startswith("ket-qua-")
    for name, value in (
        ("time", "early"),
        ("contacts", "1"),
        ("agencies", "1"),
        ("attitude", "courteous"),
        ("publicity", "full"),
        ("satisfaction", "very_satisfied"),
    ):
        page.check(f"input[name={name}][value='{value}']")
    check(page, shot, "portal-10-result-and-rating")
    page.click("text=Gửi đánh giá")
    page.wait_for_load_state()
    assert Rating.objects.get(dossier=dossier).satisfaction == "very_satisfied"

    anonymous = browser.new_context(**PHONE).new_page()
    anonymous.goto(f"{base}/tra-cuu/")
    anonymous.fill("#id_code", dossier.code)
    anonymous.fill("#id_phone", "0905123456")
    anonymous.click("main form button[type=submit]")
    anonymous.wait_for_selector(".status-big")
    assert "Lê Thị Hồng" not in anonymous.content()
    check(anonymous, shot, "portal-11-public-look-up")


def test_a_desk_officer_submits_online_for_a_citizen_at_the_counter(
    browser, portal, shot, tmp_path
):
    base = portal
    desk = sign_in(browser, base, "motcua")
    desk.goto(f"{base}/mot-cua/nop-truc-tuyen/")
    desk.fill("#q", "trich luc ho tich")
    desk.click("main form[role=search] button")
    desk.locator("main button", has_text="Trích lục hộ tịch").first.click()
    desk.wait_for_url("**/cong-dan/ho-so-nhap/*/")
    desk.fill("input[name=applicant_name]", "Phan Văn Tài")
    desk.fill("input[name=personal_id]", "068090054321")
    desk.fill("input[name=phone]", "0987654321")
    declaration, _photo = files(tmp_path)
    desk.locator("#papers input[type=file]").first.set_input_files(str(declaration))
    desk.wait_for_selector("text=to-khai.pdf")
    desk.check("input[name=declaration]")
    check(desk, shot, "portal-12-assisted")
    desk.click("button[name=submit]")
    desk.wait_for_url("**/mot-cua/ho-so/*/")
    dossier = Dossier.objects.get(pk=int(desk.url.rstrip("/").split("/")[-1]))
    assert dossier.channel == Channel.ONLINE_ASSISTED and dossier.created_by.username == "motcua"
    assert dossier.status == Status.PENDING
