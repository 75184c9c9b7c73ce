"""The periodic report as DOCX (python-docx, to be edited by the office) and PDF (WeasyPrint),
in the layout of an administrative report under Nghị định 30/2020 (Phụ lục I): national title
and unit, number and date, title, sections with tables, recipients and the signature block;
Times New Roman, A4, margins 20/15/30 mm."""

import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from weasyprint import HTML

from motcua.core.officedocs import MOTTO, NATION, cell_line, centred, font_dir, grid, page_setup

from .content import ReportContent


def report_docx(content: ReportContent) -> bytes:
    document = Document()
    page_setup(document)
    _header(document, content)
    centred(document, "BÁO CÁO", bold=True, size=14, before=12)
    centred(document, content.title, bold=True, size=14)
    _paragraph(
        document,
        f"{content.unit.committee_name} báo cáo kết quả giải quyết thủ tục hành chính và thực "
        f"hiện cải cách hành chính {content.period.label} như sau:",
    )
    for section in content.sections:
        _paragraph(document, f"{section.number}. {section.title.upper()}", bold=True)
        grid(
            document,
            ["STT", "Chỉ tiêu", "Kết quả"],
            [[str(n), line.figure.label, line.text] for n, line in enumerate(section.lines, 1)],
        )
    number = len(content.sections)
    if content.by_field:
        _paragraph(document, f"{_roman(number)}. KẾT QUẢ THEO LĨNH VỰC", bold=True)
        grid(
            document,
            ["Lĩnh vực", "Tiếp nhận", "Trực tuyến", "Đã trả", "Trước hạn, đúng hạn", "Quá hạn"],
            [[r.name, *(str(v) for v in (r.received, r.online, r.returned, r.in_time, r.late))]
             for r in content.by_field],
        )  # fmt: skip
        number += 1
    if content.index is not None:
        _paragraph(document, f"{_roman(number)}. CHỈ SỐ PHỤC VỤ (QUYẾT ĐỊNH 766/QĐ-TTg)",
                   bold=True)  # fmt: skip
        grid(
            document,
            ["Nhóm chỉ số", "Điểm", "Trên số điểm đo được", "Điểm tối đa"],
            [[g.name, _points(g.points), _points(g.measured_max), _points(g.max_points)]
             for g in content.index.groups],
        )  # fmt: skip
    _closing(document, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _roman(n: int) -> str:
    from .content import ROMAN

    return ROMAN[n]


def _points(value: object) -> str:
    return f"{value:.2f}".replace(".", ",")


def _header(document, content: ReportContent) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    cell_line(left, "ỦY BAN NHÂN DÂN", bold=False)
    cell_line(left, content.unit.name.upper(), bold=True)
    cell_line(left, "Số:      /BC-UBND")
    cell_line(right, NATION, bold=True, size=12)
    cell_line(right, MOTTO, bold=True)
    day = content.made_on
    place_and_day = f"{content.unit.name}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    cell_line(right, place_and_day, italic=True)


def _paragraph(document, text: str, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.add_run(text).bold = bold


def _closing(document, content: ReportContent) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    paragraph = left.paragraphs[0]
    run = paragraph.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in ("- Ủy ban nhân dân tỉnh;", "- Thường trực Đảng ủy, HĐND phường;", "- Lưu: VT."):
        left.add_paragraph().add_run(line).font.size = Pt(11)
    cell_line(right, "TM. ỦY BAN NHÂN DÂN", bold=True)
    for line in content.signer_title.split("\n"):
        cell_line(right, line, bold=True)
    for _blank in range(3):
        right.add_paragraph()
    cell_line(right, content.signer_name, bold=True)


def report_pdf(content: ReportContent) -> bytes:
    html = render_to_string("reports/report_pdf.html", {"content": content, "font_dir": font_dir()})
    return HTML(string=html).write_pdf()
