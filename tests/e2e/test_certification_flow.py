"""A two-page scan certified at the desk, signed, and checked on the public page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from weasyprint import HTML

from motcua.certification.models import Certification, CertificationStatus
from motcua.core.models import AdministrativeUnit, User
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import handling, intake
from motcua.dossiers.services.intake import Applicant, PaperIn
from motcua.procedures.models import Procedure

from .axe import assert_accessible
from .test_desk_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def two_page_scan() -> bytes:
    pages = "".join(
        f'<section style="page-break-after:always"><h1>Trang {n}</h1>'
        f"<p>Giấy khai sinh — bản chính, trang {n}</p></section>"
        for n in (1, 2)
    )
    return HTML(string=f'<html lang="vi"><body>{pages}</body></html>').write_pdf()


def test_a_two_page_scan_is_certified_at_the_desk_and_verified_in_public(
    browser, live_server, settings, shot, tmp_path
):
    call_command("load_demo", verbosity=0)
    call_command("create_demo_pki", verbosity=0)
    settings.MOTCUA_PUBLIC_URL = live_server.url
    base = live_server.url
    desk, justice, chairman = (
        User.objects.get(username=n) for n in ("motcua", "tuphap", "chutich")
    )
    ward = AdministrativeUnit.objects.get(code="22924")
    scan = SimpleUploadedFile("giay-khai-sinh.pdf", two_page_scan(), content_type="application/pdf")
    dossier = intake.start_dossier(
        actor=desk,
        unit=ward,
        procedure=Procedure.objects.get(code="2.000815"),
        channel=Channel.DESK,
        papers=[PaperIn(name="Bản chính giấy khai sinh", originals=1, scan=scan)],
        applicant=Applicant(kind=ApplicantKind.CITIZEN, name="Trần Văn Bình", phone="0912345678"),
    )
    intake.receive(dossier, actor=desk)
    handling.transfer(dossier, actor=desk, to_user=justice)

    officer = sign_in(browser, base, "tuphap")
    officer.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    officer.click(f"a[href='/mot-cua/chung-thuc/{dossier.pk}/']")
    officer.fill("input[name=title]", "Giấy khai sinh")
    officer.fill("input[name=issuer]", "UBND phường Phú Thủy")
    officer.fill("input[name=pages]", "2")
    officer.fill("input[name=copies]", "1")
    officer.click("main form button[type=submit] >> nth=0")
    officer.wait_for_selector("text=4.000")
    shot(officer, "certification-1-checked")
    assert_accessible(officer, context="certification-1-checked")
    handling.hand_over(dossier, actor=justice, to_user=chairman)

    leader = sign_in(browser, base, "chutich")
    leader.goto(f"{base}/mot-cua/chung-thuc/{dossier.pk}/")
    leader.click("form[action$='/ky/'] button")
    leader.wait_for_selector("a[href$='/ban-sao/1.pdf']")
    shot(leader, "certification-2-signed")
    certification = Certification.objects.get(dossier=dossier)
    assert certification.status == CertificationStatus.SIGNED
    with leader.expect_download() as download:
        leader.click("a[href$='/ban-sao/1.pdf']")
    copy = tmp_path / "ban-sao.pdf"
    download.value.save_as(copy)

    public = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    from motcua.certification.services.signing import verify_url

    public.goto(verify_url(certification))
    public.wait_for_selector("main p[role=status]:has-text('Hợp lệ')")
    shot(public, "certification-3-public-check")
    assert_accessible(public, context="certification-3-public-check")
    public.set_input_files("input[name=file]", str(copy))
    public.click("main form button[type=submit]")
    public.wait_for_selector("main p[role=status]:has-text('Hợp lệ')")
    public.wait_for_selector("text=trùng khớp với bản sao số 1")
    shot(public, "certification-4-uploaded-copy")
    forged = bytearray(copy.read_bytes())
    at = forged.index(b"stream", forged.index(b"/Contents")) + 20  # inside signed page content
    forged[at] ^= 0x01
    (tmp_path / "sua.pdf").write_bytes(bytes(forged))
    public.set_input_files("input[name=file]", str(tmp_path / "sua.pdf"))
    public.click("main form button[type=submit]")
    public.wait_for_selector("main p[role=alert]:has-text('Không hợp lệ')")
    assert "không trùng khớp" in public.content()
    shot(public, "certification-5-modified-copy")
