"""The report's tables as XLSX (openpyxl): numbers as numbers — a share as its numerator,
denominator and percentage in three columns — so that a spreadsheet adds them up."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from motcua.core.figures import NotMeasured, Share, Table, Value

from .content import ReportContent

HEADING = Font(bold=True)
NOT_MEASURED = "chưa đo được"


def _cells(value: Value) -> list[object]:
    """[value or numerator, denominator, percentage], blanks where they do not apply."""
    if isinstance(value, NotMeasured):
        return [NOT_MEASURED, None, None]
    if isinstance(value, Share):
        ratio = value.numerator / value.denominator if value.denominator else None
        return [value.numerator, value.denominator, ratio]
    return [int(value), None, None]


def _sheet(workbook: Workbook, title: str, heading: list[str]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append(heading)
    for cell in sheet[1]:
        cell.font = HEADING
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def _percent(sheet: Worksheet, column: int) -> None:
    for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        for cell in row:
            cell.number_format = "0.0%"


def report_xlsx(content: ReportContent) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, "Chỉ tiêu", ["Mục", "Mã", "Chỉ tiêu", "Số lượng / tử số", "Mẫu số",
                                         "Tỷ lệ", "Kết quả", "Cách tính"])  # fmt: skip
    for section in content.sections:
        for line in section.lines:
            sheet.append([section.title, line.figure.key, str(line.figure.label),
                          *_cells(line.value), line.text, line.figure.formula_text])  # fmt: skip
    _percent(sheet, 6)
    _widths(sheet, [24, 22, 48, 14, 10, 10, 22, 80])
    fields = _sheet(workbook, "Theo lĩnh vực", ["Lĩnh vực", "Tiếp nhận", "Trực tuyến", "Đã trả",
                                                "Trước hạn, đúng hạn", "Quá hạn"])  # fmt: skip
    for r in content.by_field:
        fields.append([r.name, r.received, r.online, r.returned, r.in_time, r.late])
    _widths(fields, [40, 12, 12, 12, 14, 10])
    if content.index is not None:
        index = _sheet(workbook, "Chỉ số 766", ["Nhóm", "Chỉ số", "Điểm tối đa", "Tử số",
                                                "Mẫu số", "Điểm"])  # fmt: skip
        for group in content.index.groups:
            for scored in group.indicators:
                top, bottom, _ratio = _cells(scored.value)
                points = float(scored.points) if scored.points is not None else None
                measured = top if isinstance(top, int) else NOT_MEASURED
                maximum = float(scored.indicator.max_points)
                index.append([group.name, scored.indicator.name, maximum, measured, bottom, points])
        _widths(index, [24, 60, 12, 10, 10, 10])
    return _bytes(workbook)


def province_xlsx(table: Table, units: list, title: str) -> bytes:  # type: ignore[type-arg]
    """Every commune a row; every figure its value columns (numerator, denominator, share)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    heading = ["Mã", "Xã, phường"]
    for figure in table.figures:
        if figure.kind in ("share", "unit"):
            heading += [f"{figure.label} (tử số)", f"{figure.label} (mẫu số)", f"{figure.label}"]
        else:
            heading.append(str(figure.label))
    sheet = _sheet(workbook, title[:31], heading)
    for unit in units:
        row: list[object] = [unit.code, unit.name]
        for figure in table.figures:
            cells = _cells(table.value(figure.key, unit.pk))
            row += cells if figure.kind in ("share", "unit") else cells[:1]
        sheet.append(row)
    for column, name in enumerate(heading, start=1):
        if (
            not name.endswith(("(tử số)", "(mẫu số)"))
            and column > 2
            and any(f.kind in ("share", "unit") and str(f.label) == name for f in table.figures)
        ):
            _percent(sheet, column)
    _widths(sheet, [10, 28] + [14] * (len(heading) - 2))
    return _bytes(workbook)


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width


def _bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
