"""The SCT/BS register as printed monthly (A4) and as a spreadsheet."""

import io
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from weasyprint import HTML

from motcua.core.models import AdministrativeUnit
from motcua.core.officedocs import font_dir

from .models import RegisterEntry

COLUMNS = [
    ("Số chứng thực", 10),
    ("Ngày chứng thực", 14),
    ("Họ tên người yêu cầu chứng thực", 28),
    ("Tên bản chính giấy tờ, văn bản", 40),
    ("Số trang", 8),
    ("Số bản sao", 8),
    ("Họ tên, chức danh người ký chứng thực", 30),
    ("Phí chứng thực (đồng)", 14),
    ("Quyển số", 16),
    ("Ghi chú", 40),
]


def register_pdf(
    unit: AdministrativeUnit, entries: list[RegisterEntry], start: datetime, end: datetime
) -> bytes:
    html = render_to_string(
        "certification/register_pdf.html",
        {
            "unit": unit,
            "province": unit.province,
            "entries": entries,
            "start": start,
            "end": end,
            "font_dir": font_dir(),
            "printed_at": timezone.now(),
            "texts": {},
        },
    )
    return HTML(string=html).write_pdf()


def register_xlsx(unit: AdministrativeUnit, entries: list[RegisterEntry], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "SCT-BS"
    sheet.append([f"SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH — {unit.committee_name} — {title}"])
    sheet.append([name for name, _width in COLUMNS])
    for cell in sheet[2]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    for e in entries:
        notes = "; ".join(a.text for a in e.annotations.all())
        sheet.append(
            [
                e.number,
                e.entry_date,
                e.requester,
                e.document,
                e.pages,
                e.copies,
                f"{e.signer_name}, {e.signer_title}",
                e.fee,
                e.volume_label,
                notes,
            ]
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
