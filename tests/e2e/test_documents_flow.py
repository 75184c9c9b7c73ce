"""An incoming document registered, directed, answered by an outgoing one that is signed and
issued — in a real browser."""

import pytest
from django.core.management import call_command
from weasyprint import HTML

from motcua.certification.selectors import trust_roots
from motcua.certification.verification import verify_pdf
from motcua.documents.models import IncomingDocument, OutgoingDocument

from .axe import assert_accessible
from .test_desk_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_registers_leader_directs_officer_replies_leader_signs_clerk_issues(
    browser, live_server, shot, tmp_path
):
    call_command("load_demo", verbosity=0)  # the demo ward, with documents of its own
    base = live_server.url

    clerk = sign_in(browser, base, "vanthu")
    clerk.goto(f"{base}/van-ban/den/moi/")
    clerk.fill("#id_issuer", "UBND tỉnh Lâm Đồng")
    clerk.fill("#id_reference", "123/UBND-VX")
    clerk.fill("#id_document_date", "2026-11-20")
    clerk.select_option("#id_type", label="Công văn")
    clerk.fill("#id_abstract", "V/v đẩy mạnh cải cách hành chính năm 2026")
    assert_accessible(clerk, context="documents-1-register")
    clerk.click("main form button[type=submit]")
    clerk.wait_for_url("**/van-ban/den/*/")
    shot(clerk, "documents-1-registered")
    document = IncomingDocument.objects.get(reference="123/UBND-VX")

    leader = sign_in(browser, base, "chutich")
    leader.goto(f"{base}/van-ban/den/{document.pk}/")
    leader.select_option("#id_lead", label="Hoàng Thị Em")
    leader.fill("#id_note", "Giao công chức Tư pháp tham mưu trả lời")
    leader.click("form[action$='/chi-dao/'] button[type=submit]")
    leader.wait_for_selector("text=Giao công chức Tư pháp tham mưu trả lời")
    shot(leader, "documents-2-directed")

    officer = sign_in(browser, base, "tuphap")
    officer.goto(f"{base}/van-ban/den/?ds=cua-toi")
    officer.click(f"a[href='/van-ban/den/{document.pk}/']")
    officer.click(f"a[href='/van-ban/di/moi/?tra-loi={document.pk}']")
    reply = tmp_path / "tra-loi.pdf"
    reply.write_bytes(HTML(string='<html lang="vi"><body><p>Kính gửi UBND tỉnh Lâm Đồng,'
                                  " báo cáo kết quả cải cách hành chính.</p></body></html>"
                           ).write_pdf())  # fmt: skip
    officer.select_option("#id_type", label="Công văn")
    officer.fill("#id_abstract", "V/v báo cáo kết quả cải cách hành chính")
    officer.fill("#id_drafting_office", "TP")
    officer.set_input_files("#id_file", str(reply))
    assert_accessible(officer, context="documents-3-draft")
    officer.click("main form button[type=submit]")
    officer.wait_for_url("**/van-ban/di/*/")
    officer.click("form[action$='/trinh/'] button")
    officer.wait_for_selector("form[action$='/duyet-ky/']", state="attached")
    outgoing = OutgoingDocument.objects.get(reply_to=document)

    leader.goto(f"{base}/van-ban/di/{outgoing.pk}/")
    leader.click("form[action$='/duyet-ky/'] button")
    leader.wait_for_selector("form[action$='/ban-hanh/']", state="attached")
    clerk.goto(f"{base}/van-ban/di/{outgoing.pk}/")
    # The next number of the ward's outgoing series (the demo ward has issued some already).
    number = OutgoingDocument.objects.filter(unit=outgoing.unit, status="issued").count() + 1
    clerk.click("form[action$='/ban-hanh/'] button")
    clerk.wait_for_selector(f"h1:has-text('{number:02d}/UBND-TP')")
    shot(clerk, "documents-4-issued")
    assert_accessible(clerk, context="documents-4-issued")
    outgoing.refresh_from_db()
    assert outgoing.reply_to == document and outgoing.status == "issued"
    report = verify_pdf(outgoing.signed_file.read(), trust_roots(outgoing.unit))
    assert report.ok and len(report.signatures) == 2
