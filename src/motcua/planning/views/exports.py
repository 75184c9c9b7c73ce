"""The weekly schedule as PDF (WeasyPrint) and DOCX (python-docx), in the usual layout: the
unit and national title, the week, one row per engagement; what changed after publication and
what was called off are marked."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from docx import Document
from weasyprint import HTML

from motcua.core.calendar import VN_TZ
from motcua.core.officedocs import MOTTO, NATION, cell_line, centred, font_dir, grid, page_setup

from ..selectors import Week

DAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def title(week: Week) -> str:
    return f"LỊCH CÔNG TÁC TUẦN (từ ngày {week.monday:%d/%m/%Y} đến ngày {week.sunday:%d/%m/%Y})"


def rows(week: Week) -> list[list[str]]:
    found = []
    for day, entries in week.days:
        for n, entry in enumerate(entries):
            item = entry.item
            marks = []
            if item.cancelled:
                marks.append("hoãn")
            elif entry.changed:
                marks.append("điều chỉnh")
            content = item.content + (f" ({', '.join(marks)})" if marks else "")
            when = item.starts_at.astimezone(VN_TZ).strftime("%H:%M")
            label = f"{DAYS[day.weekday()]} {day:%d/%m}" if n == 0 else ""
            found.append([label, when, content, item.host, item.participants, item.place])
    return found


HEADING = ["Thứ, ngày", "Thời gian", "Nội dung", "Chủ trì", "Thành phần", "Địa điểm"]


def week_docx(week: Week) -> bytes:
    document = Document()
    page_setup(document)
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    cell_line(left, "ỦY BAN NHÂN DÂN")
    cell_line(left, week.unit.name.upper(), bold=True)
    cell_line(right, NATION, bold=True, size=12)
    cell_line(right, MOTTO, bold=True)
    centred(document, title(week), bold=True, size=14, before=12)
    grid(document, HEADING, rows(week) or [["", "", "Không có lịch.", "", "", ""]])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def week_pdf(week: Week) -> bytes:
    html = render_to_string(
        "planning/week_pdf.html",
        {
            "week": week,
            "title": title(week),
            "rows": rows(week),
            "heading": HEADING,
            "font_dir": font_dir(),
        },
    )
    return HTML(string=html).write_pdf()


def week_file(week: Week, kind: str) -> HttpResponse:
    name = f"lich-cong-tac-{week.monday:%Y-%m-%d}"
    if kind == "docx":
        response = HttpResponse(week_docx(week), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    else:
        response = HttpResponse(week_pdf(week), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
