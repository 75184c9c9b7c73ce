import io
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.dossiers import documents
from motcua.dossiers.models import FormKind, FormSet, FormSettings, FormText
from motcua.dossiers.services.closing import withdraw
from motcua.dossiers.services.handling import hand_over, transfer
from motcua.dossiers.services.intake import receive, refuse, request_supplement
from motcua.dossiers.services.lateness import issue_apology

from .conftest import at, new_dossier


def text_of(pdf: bytes) -> tuple[str, list]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split())), reader.pages


@pytest.fixture
def received(ward, procedure, staff):  # type: ignore[no-untyped-def]
    d = new_dossier(ward, procedure, staff["desk"])
    receive(d, actor=staff["desk"], at=at("02/03/2026 09:00"))
    return d


@pytest.fixture
def apology(received, staff):  # type: ignore[no-untyped-def]
    """The dossier is with the justice officer, who apologises a day before it is due."""
    transfer(received, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    apology = issue_apology(
        received,
        actor=staff["justice"],
        reason="Chờ xác minh",
        new_due_at=at("10/03/2026 09:00"),
        at=at("04/03/2026 08:00"),
    )
    return apology


def test_the_receipt_shows_code_applicant_times_and_a_qr_code(received):
    pdf = documents.receipt_pdf(received)
    text, pages = text_of(pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "000.00.24.H36-260302-0001" in text
    assert "Trần Văn Bình" in text and "Đăng ký nhận cha, mẹ, con" in text
    assert "09:00, ngày 02/03/2026" in text and "09:00, ngày 05/03/2026" in text
    assert "Quyển số: 2026, Số thứ tự: 1" in text and "Tờ khai" in text
    assert "/tra-cuu/000.00.24.H36-260302-0001/" in text
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)  # A5 portrait, in points
    html = documents.form_html(FormKind.RECEIPT, received.unit, documents.receipt_context(received))
    qr = documents.qr_data_uri("http://127.0.0.1:8000/tra-cuu/000.00.24.H36-260302-0001/")
    assert f'src="{qr}"' in html  # the QR code of exactly the tracking link


def test_the_supplement_request_lists_everything_to_add(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    request = request_supplement(
        d,
        actor=staff["desk"],
        items=["Giấy chứng sinh", "CCCD của mẹ"],
        reason="Thiếu giấy tờ",
        at=at("02/03/2026 09:00"),
    )
    text, _ = text_of(documents.supplement_pdf(request))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Giấy chứng sinh" in text and "CCCD của mẹ" in text and "Thiếu giấy tờ" in text


def test_the_refusal_gives_its_reasons(ward, procedure, staff):
    d = new_dossier(ward, procedure, staff["desk"])
    refusal = refuse(
        d, actor=staff["desk"], reasons="Không thuộc thẩm quyền", at=at("02/03/2026 09:00")
    )
    text, _ = text_of(documents.refusal_pdf(refusal))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Không thuộc thẩm quyền" in text


def test_the_apology_names_old_and_new_dates_and_the_chairman(apology):
    text, _ = text_of(documents.apology_pdf(apology))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "09:00, ngày 05/03/2026" in text and "09:00, ngày 10/03/2026" in text
    assert "Chờ xác minh" in text and "chutich" in text
    assert "ỦY BAN NHÂN DÂN TỈNH LÂM" in text and "BỘ PHẬN TIẾP NHẬN" not in text  # the agency


def test_the_control_sheet_has_a_row_per_hand_over_with_its_timeliness(received, staff):
    transfer(received, actor=staff["desk"], to_user=staff["justice"], at=at("02/03/2026 10:00"))
    hand_over(
        received, actor=staff["justice"], to_user=staff["chairman"], at=at("03/03/2026 10:00")
    )
    text, _ = text_of(documents.control_sheet_pdf(received))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "10:00, ngày 02/03/2026" in text and "10:00, ngày 03/03/2026" in text
    assert "Đúng hạn" in text or "đúng hạn" in text
    assert "trước hạn" in text


def test_the_ledger_is_a4_landscape_with_a_line_per_dossier(ward, received):
    text, pages = text_of(
        documents.ledger_pdf(ward, at("01/03/2026 00:00"), at("01/04/2026 00:00"))
    )
    assert "SỔ THEO DÕI HỒ SƠ" in text and received.code in text
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)


def test_the_stop_notice_records_the_request(received, staff):
    withdraw(received, actor=staff["desk"], reason="Xin rút hồ sơ", at=at("03/03/2026 09:00"))
    text, _ = text_of(documents.stop_notice_pdf(received))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Xin rút hồ sơ" in text


def test_a_unit_rewords_a_text_and_chooses_the_2025_form_set(ward, received):
    FormText.objects.create(
        unit=ward,
        form_set=FormSet.TT01_2018,
        form=FormKind.RECEIPT,
        key="desk",
        text="Trung tâm Phục vụ hành chính công phường",
    )
    text, _ = text_of(documents.receipt_pdf(received))
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG" in text.upper()
    FormSettings.objects.create(unit=ward, form_set=FormSet.TT03_2025)
    text, _ = text_of(documents.receipt_pdf(received))
    assert received.code in text  # the 2018 rewording belongs to the 2018 set only:
    assert (
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in text
        and "phường Phú Thuỷ" not in text.split("GIẤY")[0]
    )


@pytest.mark.parametrize("kind", ["receipt", "control_sheet", "stop_notice"])
def test_the_2025_form_set_names_the_public_administrative_service_centre(
    ward, received, staff, kind
):
    FormSettings.objects.create(unit=ward, form_set=FormSet.TT03_2025)
    if kind == "stop_notice":
        withdraw(received, actor=staff["desk"], reason="Xin rút", at=at("03/03/2026 09:00"))
    text, _ = text_of(getattr(documents, f"{kind}_pdf")(received))
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in text.upper()
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" not in text.upper()


def test_the_2025_set_prints_the_apology_as_a_request_to_extend(ward, apology):
    FormSettings.objects.create(unit=ward, form_set=FormSet.TT03_2025)
    text, _ = text_of(documents.apology_pdf(apology))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "09:00, ngày 10/03/2026" in text and "ỦY BAN NHÂN DÂN TỈNH LÂM" in text
