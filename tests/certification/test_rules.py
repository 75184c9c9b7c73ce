"""Fees (Thông tư 226/2016), the SCT/BS register's numbering, its permanence, refusals."""

from datetime import date, datetime

import pytest
from django.db import DatabaseError, transaction
from pypdf import PdfReader

from motcua.certification.fees import copy_fee, per_copy, rule_on
from motcua.certification.models import CopyFeeRule, RefusalReason, RegisterEntry
from motcua.certification.services import certify, register
from motcua.certification.services.register import settings_for
from motcua.core.calendar import VN_TZ
from motcua.dossiers import documents
from motcua.dossiers.models import Status


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(1, 2_000), (2, 4_000), (3, 5_000), (10, 12_000), (198, 200_000), (250, 200_000)],
)
def test_the_fee_is_2000_a_page_then_1000_from_page_3_capped_at_200000_per_copy(db, pages, fee):
    assert per_copy(pages, rule_on(date(2026, 11, 25))) == fee


def test_several_copies_of_one_original_pay_per_copy_counted_on_the_original(db):
    assert copy_fee(pages=5, copies=3, on=date(2026, 11, 25)) == 3 * 7_000


def test_the_fee_schedule_is_data_and_the_rule_in_force_applies(db):
    CopyFeeRule.objects.create(
        valid_from=date(2027, 1, 1),
        first_pages=2,
        first_page_fee=3_000,
        later_page_fee=1_500,
        cap_per_copy=250_000,
    )
    assert copy_fee(3, 1, date(2026, 12, 31)) == 5_000
    assert copy_fee(3, 1, date(2027, 1, 1)) == 7_500


def _entered(certification, when: str, signer):  # type: ignore[no-untyped-def]
    at = datetime.strptime(when, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)
    with transaction.atomic():
        return register.enter(certification, at, signer, "CHỦ TỊCH")


def test_register_numbers_restart_on_1_january_vietnam_time(request_for_copy, staff):
    chairman = staff["chairman"]
    first = _entered(request_for_copy(), "30/12/2026 09:00", chairman)
    second = _entered(request_for_copy(), "31/12/2026 23:59", chairman)
    new_year = _entered(request_for_copy(), "01/01/2027 00:01", chairman)  # 17:01 UTC on the 31st
    assert [(e.year, e.number) for e in (first, second, new_year)] == [
        (2026, 1),
        (2026, 2),
        (2027, 1),
    ]
    assert new_year.volume_label == "01/2027-SCT/BS"


def test_numbering_continues_across_volumes(request_for_copy, staff, ward):
    unit_settings = settings_for(ward)
    unit_settings.entries_per_volume = 2
    unit_settings.save()
    entries = [
        _entered(request_for_copy(), "02/03/2026 09:00", staff["chairman"]) for _ in range(3)
    ]
    assert [(e.number, e.volume) for e in entries] == [(1, 1), (2, 1), (3, 2)]


def test_a_register_line_cannot_be_changed_only_annotated(request_for_copy, staff):
    entry = _entered(request_for_copy(), "02/03/2026 09:00", staff["chairman"])
    with pytest.raises(DatabaseError), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).update(document="Sửa lén")
    register.annotate(entry, actor=staff["desk"], text="Ghi nhầm tên người yêu cầu: Trần Văn Bình")
    assert entry.annotations.get().text.startswith("Ghi nhầm")


@pytest.mark.parametrize("reason", RefusalReason.values)
def test_each_legal_refusal_reason_becomes_the_refusal_form(request_for_copy, staff, reason):
    certification = request_for_copy()
    certify.refuse(certification, actor=staff["desk"], reason=reason, detail="Đã giải thích.")
    dossier = certification.dossier
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED and certification.refusal_reason == reason
    label = str(RefusalReason(reason).label)
    assert label in dossier.refusal.reasons
    text = PdfReader(__import__("io").BytesIO(documents.refusal_pdf(dossier.refusal))).pages[0]
    assert label.split(",")[0] in " ".join(text.extract_text().split())


def test_only_the_chairman_or_a_vice_chairman_certifies(request_for_copy, staff):
    from motcua.core.errors import TransitionRefused

    with pytest.raises(TransitionRefused):
        certify.certify(request_for_copy(), actor=staff["justice"])


def test_the_register_prints_monthly_as_a4_pdf_and_exports_to_xlsx(client, request_for_copy, staff):
    from openpyxl import load_workbook

    entry = _entered(request_for_copy(), "02/03/2026 09:00", staff["chairman"])
    register.annotate(entry, actor=staff["desk"], text="Sửa tên giấy tờ")
    _entered(request_for_copy(), "02/04/2026 09:00", staff["chairman"])  # another month
    client.force_login(staff["desk"])
    pdf = client.get("/mot-cua/chung-thuc/so/", {"thang": "2026-03", "dang": "pdf"}).content
    page = PdfReader(__import__("io").BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = " ".join(page.extract_text().split())
    assert "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH" in text and "Sửa tên giấy tờ" in text
    xlsx = client.get("/mot-cua/chung-thuc/so/", {"thang": "2026-03", "dang": "xlsx"}).content
    rows = list(load_workbook(__import__("io").BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[2][0] == 1 and rows[2][-1] == "Sửa tên giấy tờ"
