"""The exchange format as a workbook officers can edit: one sheet per kind of row.

Reading a workbook gives the same dictionary as the JSON file, each item carrying its sheet
and row so that import errors point at the cell the officer must fix.
"""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from motcua.core.importing import ImportFailed, RowError

from .exchange import FORMAT

YES, NO = "Có", "Không"
SHEETS: dict[str, list[tuple[str, str]]] = {
    "Lĩnh vực": [("code", "Mã lĩnh vực"), ("name", "Tên lĩnh vực")],
    "Thủ tục": [
        ("code", "Mã thủ tục"),
        ("name", "Tên thủ tục"),
        ("field", "Mã lĩnh vực"),
        ("level", "Cấp thực hiện (commune/province/multiple)"),
        ("processing_days", "Thời hạn (ngày làm việc)"),
        ("processing_note", "Ghi chú thời hạn"),
        ("result", "Kết quả"),
        ("electronic_result", "Kết quả điện tử (Có/Không)"),
        ("online_level", "Dịch vụ công trực tuyến (full/partial/none)"),
        ("published", "Công khai (Có/Không)"),
        ("legal_basis", "Căn cứ pháp lý"),
        ("unconfirmed", "Giá trị chưa xác minh"),
        ("source", "Nguồn"),
    ],
    "Phí, lệ phí": [
        ("procedure", "Mã thủ tục"),
        ("label", "Phí, lệ phí"),
        ("amount", "Số tiền (đồng)"),
        ("note", "Ghi chú"),
    ],
    "Giấy tờ": [
        ("procedure", "Mã thủ tục"),
        ("name", "Thành phần hồ sơ"),
        ("originals", "Bản chính"),
        ("copies", "Bản sao"),
        ("optional", "Chỉ khi có (Có/Không)"),
        ("note", "Ghi chú"),
    ],
    "Quy trình": [
        ("procedure", "Mã thủ tục"),
        ("name", "Bước"),
        ("role", "Vai trò"),
        ("position", "Vị trí"),
        ("budget_days", "Thời gian (ngày làm việc)"),
    ],
}
CHILD_SHEETS = {"Phí, lệ phí": "fees", "Giấy tờ": "papers", "Quy trình": "steps"}
BOOLEAN_KEYS = {"electronic_result", "published", "optional"}


def _cell(key: str, value: Any) -> Any:
    if key in BOOLEAN_KEYS:
        return YES if value else NO
    if key == "unconfirmed":
        return ", ".join(value or [])
    return value


def catalogue_to_xlsx(data: dict[str, Any]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    rows: dict[str, list[dict[str, Any]]] = {
        "Lĩnh vực": data["fields"],
        "Thủ tục": data["procedures"],
    }
    for sheet, key in CHILD_SHEETS.items():
        rows[sheet] = [{"procedure": p["code"], **c} for p in data["procedures"] for c in p[key]]
    for title, columns in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([label for _key, label in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for item in rows[title]:
            sheet.append([_cell(key, item.get(key)) for key, _label in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(key: str, value: Any) -> Any:
    if key in BOOLEAN_KEYS:
        return str(value or "").strip().lower() in {"có", "co", "x", "1", "true", "yes"}
    if key == "unconfirmed":
        return [v.strip() for v in str(value or "").split(",") if v.strip()]
    if key in ("processing_days", "budget_days"):
        return "" if value is None else str(value)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def catalogue_from_xlsx(content: bytes, province_code: str) -> dict[str, Any]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise ImportFailed(
            [RowError("file", _("Cannot read the Excel file: %(error)s") % {"error": error})]
        ) from error
    missing = [title for title in SHEETS if title not in book.sheetnames]
    if missing:
        raise ImportFailed(
            [RowError("file", _("Missing sheets: %(sheets)s") % {"sheets": ", ".join(missing)})]
        )
    read: dict[str, list[dict[str, Any]]] = {}
    for title, columns in SHEETS.items():
        read[title] = []
        for number, values in enumerate(book[title].iter_rows(min_row=2, values_only=True), 2):
            if not any(v not in (None, "") for v in values):
                continue
            item = {
                key: _value(key, values[i] if i < len(values) else None)
                for i, (key, _label) in enumerate(columns)
            }
            item["_where"] = f"{title}!dòng {number}"
            read[title].append(item)
    procedures = {
        str(p["code"]): {**p, "fees": [], "papers": [], "steps": []} for p in read["Thủ tục"]
    }
    errors = []
    for sheet, key in CHILD_SHEETS.items():
        for item in read[sheet]:
            owner = procedures.get(str(item.pop("procedure")))
            if owner is None:
                errors.append(
                    RowError(
                        item["_where"], _("This procedure code is not on the “Thủ tục” sheet.")
                    )
                )
            else:
                owner[key].append(item)
    if errors:
        raise ImportFailed(errors)
    return {
        "format": FORMAT,
        "province": province_code,
        "fields": read["Lĩnh vực"],
        "procedures": list(procedures.values()),
    }
