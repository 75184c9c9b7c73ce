"""The registers of Nghị định 30/2020: incoming register, handling log, outgoing register —
monthly, A4 landscape PDF or spreadsheet, secret documents in their own register."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.core.calendar import VN_TZ
from motcua.core.models import AuditEvent
from motcua.documents import registers
from motcua.documents.models import DocumentType, IncomingDocument, OutgoingDocument
from motcua.documents.services import incoming, outgoing

URL = "/van-ban/so/{}/"


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)


def _received(ward, people, reference: str, when: str, **changes) -> IncomingDocument:  # type: ignore[no-untyped-def]
    data = incoming.IncomingData(
        issuer="UBND tỉnh Lâm Đồng",
        reference=reference,
        document_date=date(2026, 2, 27),
        type=DocumentType.objects.get(code="CV"),
        abstract="V/v báo cáo cải cách hành chính quý I",
        **changes,
    )
    return incoming.register(ward, data, actor=people["clerk"], at=at(when))


def _issued(ward, people, when: str, **changes) -> OutgoingDocument:  # type: ignore[no-untyped-def]
    data = outgoing.Draft(
        type=DocumentType.objects.get(code="CV"), abstract="V/v báo cáo cải cách", **changes
    )
    document = outgoing.draft(ward, data, actor=people["officer"])
    outgoing.submit(document, actor=people["officer"])
    outgoing.approve(document, actor=people["chairman"])
    return outgoing.issue(document, actor=people["clerk"], at=at(when))


@pytest.fixture
def march(ward, other_ward, people):  # type: ignore[no-untyped-def]
    """March 2026: a directed and answered letter, a secret one; April's come after."""
    letter = _received(ward, people, "123/UBND-VX", "02/03/2026 08:00")
    incoming.direct(
        letter,
        leader=people["chairman"],
        lead=people["officer"],
        deadline=at("10/03/2026 17:00"),
        at=at("02/03/2026 09:00"),
    )
    reply = _issued(
        ward,
        people,
        "05/03/2026 10:00",
        reply_to=letter,
        recipient_units=[other_ward],
        external_recipients="Sở Nội vụ tỉnh Lâm Đồng",
    )
    incoming.record_progress(
        letter,
        actor=people["officer"],
        note="Đã tham mưu trả lời",
        reply=reply,
        done=True,
        at=at("05/03/2026 11:00"),
    )
    _received(ward, people, "77/CA-PV01", "03/03/2026 08:00", confidentiality="secret")
    _issued(ward, people, "06/03/2026 10:00", confidentiality="secret")
    _received(ward, people, "456/SNV-CCHC", "01/04/2026 08:00")
    _issued(ward, people, "01/04/2026 10:00")
    return {"letter": letter, "reply": reply}


def _pdf_pages(response) -> list:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return list(PdfReader(io.BytesIO(response.content)).pages)


def _text(pages: list) -> str:
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _xlsx_rows(response) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_incoming_register_prints_the_month_as_a4_landscape(client, people, march):
    client.force_login(people["clerk"])
    pages = _pdf_pages(client.get(URL.format("den"), {"thang": "2026-03", "dang": "pdf"}))
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in pages)
    assert round(float(pages[0].mediabox.width)) == 842  # A4 long side, in points
    text = _text(pages)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "(VĂN BẢN MẬT)" not in text
    assert "123/UBND-VX" in text and "tuphap" in text and "02/03/2026" in text
    assert "456/SNV-CCHC" not in text  # April
    assert "77/CA-PV01" not in text  # secret: its own register


def test_the_secret_incoming_register_lists_only_the_secret_series(client, people, march):
    client.force_login(people["clerk"])
    response = client.get(URL.format("den"), {"thang": "2026-03", "dang": "pdf", "mat": "1"})
    text = _text(_pdf_pages(response))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN (VĂN BẢN MẬT)" in text
    assert "77/CA-PV01" in text and "123/UBND-VX" not in text
    assert response["Cache-Control"] == "private, no-store"
    opened = AuditEvent.objects.get(action="register.secret_view")  # the opening is recorded
    assert opened.actor == people["clerk"] and "03/2026" in opened.object_repr


def test_the_handling_log_shows_the_assignee_progress_and_reply(client, people, march):
    client.force_login(people["clerk"])
    pages = _pdf_pages(client.get(URL.format("theo-doi"), {"thang": "2026-03"}))
    text = _text(pages)
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in text
    assert march["reply"].reference == "01/UBND-VP" and "01/UBND-VP" in text
    assert "Đã tham mưu trả lời" in text and "10/03/2026" in text
    rows = _xlsx_rows(client.get(URL.format("theo-doi"), {"thang": "2026-03", "dang": "xlsx"}))
    assert len(rows) == 3 and rows[2][0] == 1 and rows[2][2] == "tuphap"
    assert rows[2][3] == datetime(2026, 3, 10) and rows[2][5] == "01/UBND-VP"
    assert rows[2][6] == "Đã giải quyết ngày 05/03/2026"


def test_the_outgoing_register_lists_issued_documents_and_the_secret_ones_apart(
    client, ward, people, march
):
    outgoing.draft(  # a draft is not in the register
        ward,
        outgoing.Draft(type=DocumentType.objects.get(code="TB"), abstract="Thông báo lịch"),
        actor=people["officer"],
    )
    client.force_login(people["chairman"])
    text = _text(_pdf_pages(client.get(URL.format("di"), {"thang": "2026-03"})))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "01/UBND-VP" in text
    assert "Sở Nội vụ tỉnh Lâm Đồng" in text and "Văn thư" in text
    assert "Thông báo lịch" not in text and "02/UBND-VP" not in text  # April's is 02
    rows = _xlsx_rows(client.get(URL.format("di"), {"thang": "2026-03", "dang": "xlsx"}))
    assert [r[0] for r in rows[2:]] == ["01/UBND-VP"]
    assert rows[2][3] == "chutich" and rows[2][6] == 1 and rows[2][7] == datetime(2026, 3, 5)
    assert rows[2][4] == "Ủy ban nhân dân phường Phan Thiết; Sở Nội vụ tỉnh Lâm Đồng"
    secret = _xlsx_rows(
        client.get(URL.format("di"), {"thang": "2026-03", "dang": "xlsx", "mat": "1"})
    )
    assert "(VĂN BẢN MẬT)" in secret[0][0]
    assert [(r[0], r[9]) for r in secret[2:]] == [("01/UBND-VP", "MẬT")]  # own series


def test_the_incoming_register_exports_the_same_rows_to_xlsx(client, people, march):
    client.force_login(people["clerk"])
    rows = _xlsx_rows(client.get(URL.format("den"), {"thang": "2026-03", "dang": "xlsx"}))
    assert rows[0][0].startswith("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Ủy ban nhân dân phường Phú Thuỷ")
    assert rows[1][1] == "Số đến" and len(rows) == 3
    assert rows[2][:4] == (datetime(2026, 3, 2), 1, "UBND tỉnh Lâm Đồng", "123/UBND-VX")
    assert rows[2][6:8] == ("tuphap", datetime(2026, 3, 2))


def test_rows_keep_confidential_documents_from_people_not_named_on_them(people, march):
    start, end = at("01/03/2026 00:00"), at("01/04/2026 00:00")
    secret = registers.incoming_rows(people["clerk"], start, end, secret=True)
    assert [r.reference for r in secret] == ["77/CA-PV01"]
    assert registers.incoming_rows(people["officer"], start, end, secret=True) == []
    assert registers.outgoing_rows(people["officer"], start, end, secret=False)[0].signer


def test_a_specialist_gets_no_secret_register(client, people, march):
    client.force_login(people["officer"])
    assert client.get(URL.format("den"), {"mat": "1"}).status_code == 404
    assert client.get(URL.format("di"), {"mat": "1", "dang": "xlsx"}).status_code == 404
    assert client.get(URL.format("den"), {"thang": "2026-03"}).status_code == 200


def test_an_unknown_register_is_not_found(client, people):
    client.force_login(people["clerk"])
    assert client.get(URL.format("khac")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL.format("den"), {"thang": "2026-03"})
    assert response.status_code == 302 and "next=" in response["Location"]
