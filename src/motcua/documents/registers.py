"""The registers of Nghị định 30/2020 (DOMAIN.md §5), printed monthly (A4 landscape) and as
spreadsheets: incoming register, handling log and outgoing register. Secret documents keep
their own series, so each register has a separate secret edition."""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from weasyprint import HTML

from motcua.core.models import AdministrativeUnit, User
from motcua.core.officedocs import font_dir

from . import selectors
from .models import (
    Confidentiality,
    Direction,
    HandlingEntry,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    Urgency,
)

Kind = Literal["incoming", "handling", "outgoing"]
KINDS: tuple[Kind, ...] = ("incoming", "handling", "outgoing")
TITLES: dict[str, str] = {
    "incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "handling": "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
    "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
}
SECRET_SUFFIX = "(VĂN BẢN MẬT)"
KEEPER = "Văn thư"  # the office that keeps the original of every outgoing document
# The marks printed on the documents themselves (Nghị định 30/2020), not translated.
MARKS: dict[str, str] = {
    Urgency.URGENT: "KHẨN",
    Urgency.VERY_URGENT: "THƯỢNG KHẨN",
    Urgency.IMMEDIATE: "HỎA TỐC",
    Confidentiality.SECRET: "MẬT",
    Confidentiality.TOP_SECRET: "TỐI MẬT",
    Confidentiality.ABSOLUTE: "TUYỆT MẬT",
}


@dataclass(frozen=True)
class IncomingRow:
    """One incoming document, with what both the register and the handling log print."""

    received_at: datetime
    number: int
    issuer: str
    reference: str
    document_date: date
    type_abstract: str
    receiver: str  # the lead handler of the latest direction
    passed_on_at: datetime | None
    deadline: datetime | None
    progress: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    note: str = ""
    handling_note: str = ""


@dataclass(frozen=True)
class OutgoingRow:
    reference: str
    issued_at: datetime
    type_abstract: str
    signer: str
    recipients: str
    keeper: str = KEEPER
    copies: int = 1
    note: str = ""


def _marks(document: IncomingDocument | OutgoingDocument) -> str:
    return ", ".join(MARKS[v] for v in (document.urgency, document.confidentiality) if v in MARKS)


def _type_abstract(document: IncomingDocument | OutgoingDocument) -> str:
    return f"{document.type.name}: {document.abstract}"


def _local_date(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def incoming_rows(
    user: User,
    start: datetime,
    end: datetime,
    secret: bool = False,
    *,
    unit: AdministrativeUnit | None = None,
) -> list[IncomingRow]:
    """Documents received in [start, end) that the user may see, in incoming-number order."""
    found = selectors.incoming_for(user).filter(
        received_at__gte=start, received_at__lt=end, secret_series=secret
    )
    if unit is not None:
        found = found.filter(unit=unit)
    documents = list(
        found.order_by("year", "number").prefetch_related(
            Prefetch("directions", queryset=Direction.objects.select_related("lead")),
            Prefetch("log", queryset=HandlingEntry.objects.order_by("at", "id")),
        )
    )
    replies = _reply_references(user, documents)
    return [_incoming_row(d, replies.get(d.pk, [])) for d in documents]


def _reply_references(user: User, documents: list[IncomingDocument]) -> dict[int, list[str]]:
    """References of the issued replies, only those the user may see (secret replies hide)."""
    ids = [d.pk for d in documents]
    logged = list(
        HandlingEntry.objects.filter(document__in=ids, reply__isnull=False)
        .order_by("at", "id")
        .values_list("document_id", "reply_id")
    )
    visible = {
        o.pk: o
        for o in selectors.outgoing_for(user)
        .filter(status=OutgoingStatus.ISSUED)
        .filter(Q(reply_to__in=ids) | Q(pk__in=[reply for _doc, reply in logged]))
        .order_by("issued_at", "number")
    }
    pairs = [(o.reply_to_id, o.pk) for o in visible.values() if o.reply_to_id] + logged
    found: dict[int, list[str]] = {}
    for document_id, reply_id in pairs:
        references = found.setdefault(document_id, [])
        if reply_id in visible and visible[reply_id].reference not in references:
            references.append(visible[reply_id].reference)
    return found


def _incoming_row(document: IncomingDocument, replies: list[str]) -> IncomingRow:
    directions = list(document.directions.all())  # prefetched, oldest first
    latest = directions[-1] if directions else None
    return IncomingRow(
        received_at=document.received_at,
        number=document.number,
        issuer=document.issuer,
        reference=document.reference,
        document_date=document.document_date,
        type_abstract=_type_abstract(document),
        receiver=latest.lead.get_full_name() if latest else "",
        passed_on_at=latest.directed_at if latest else None,
        deadline=document.due_at,
        progress=[f"{_local_date(e.at)}: {e.note}" for e in document.log.all()],
        replies=replies,
        note=_incoming_note(document),
        handling_note=_handling_note(document),
    )


def _incoming_note(document: IncomingDocument) -> str:
    if document.returned_at is None:
        return _marks(document)
    returned = f"Trả lại nơi gửi ngày {_local_date(document.returned_at)}: {document.return_reason}"
    return ", ".join(p for p in (_marks(document), returned) if p)


def _handling_note(document: IncomingDocument) -> str:
    if document.returned_at is not None:
        return "Trả lại nơi gửi (gửi sai nơi nhận)"
    if document.done_at is not None:
        return f"Đã giải quyết ngày {_local_date(document.done_at)}"
    if document.due_at is not None and document.due_at < timezone.now():
        return "Quá hạn"
    return ""


def outgoing_rows(
    user: User,
    start: datetime,
    end: datetime,
    secret: bool = False,
    *,
    unit: AdministrativeUnit | None = None,
) -> list[OutgoingRow]:
    """Documents issued in [start, end) that the user may see, in number order."""
    found = selectors.outgoing_for(user).filter(
        status=OutgoingStatus.ISSUED,
        issued_at__gte=start,
        issued_at__lt=end,
        secret_series=secret,
    )
    if unit is not None:
        found = found.filter(unit=unit)
    documents = found.select_related("signer").prefetch_related("recipient_units")
    return [_outgoing_row(d) for d in documents.order_by("year", "number")]


def _outgoing_row(document: OutgoingDocument) -> OutgoingRow:
    units = [u.committee_name for u in document.recipient_units.all()]
    others = [line.strip() for line in document.external_recipients.splitlines() if line.strip()]
    return OutgoingRow(
        reference=document.reference,
        issued_at=document.issued_at,  # type: ignore[arg-type]  # issued documents have it
        type_abstract=_type_abstract(document),
        signer=document.signer.get_full_name() if document.signer else "",
        recipients="; ".join(units + others),
        note=_marks(document),
    )


def heading(kind: str, secret: bool) -> str:
    return f"{TITLES[kind]} {SECRET_SUFFIX}" if secret else TITLES[kind]


def register_pdf(
    kind: Kind,
    unit: AdministrativeUnit,
    rows: Sequence[IncomingRow | OutgoingRow],
    start: datetime,
    end: datetime,
    secret: bool,
) -> bytes:
    html = render_to_string(
        f"documents/register_{kind}_pdf.html",
        {
            "unit": unit,
            "province": unit.province,
            "rows": rows,
            "title": heading(kind, secret),
            "start": start,
            "last_day": end - timedelta(days=1),  # the period is [start, end)
            "font_dir": font_dir(),
            "printed_at": timezone.now(),
            "texts": {},
        },
    )
    return HTML(string=html).write_pdf()


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _incoming_cells(row: IncomingRow) -> list[Any]:
    return [
        _day(row.received_at),
        row.number,
        row.issuer,
        row.reference,
        row.document_date,
        row.type_abstract,
        row.receiver,
        _day(row.passed_on_at),
        "",
        row.note,
    ]


def _handling_cells(row: IncomingRow) -> list[Any]:
    return [
        row.number,
        f"{row.reference} — {row.type_abstract}",
        row.receiver,
        _day(row.deadline),
        "\n".join(row.progress),
        "; ".join(row.replies),
        row.handling_note,
    ]


def _outgoing_cells(row: OutgoingRow) -> list[Any]:
    sent = _day(row.issued_at)
    return [
        row.reference,
        sent,
        row.type_abstract,
        row.signer,
        row.recipients,
        row.keeper,
        row.copies,
        sent,
        "",
        row.note,
    ]


# (header, column width) of each register, and how a row becomes its cells.
COLUMNS: dict[str, list[tuple[str, int]]] = {
    "incoming": [
        ("Ngày đến", 12),
        ("Số đến", 8),
        ("Tác giả", 28),
        ("Số, ký hiệu", 16),
        ("Ngày tháng", 12),
        ("Tên loại và trích yếu nội dung", 45),
        ("Đơn vị hoặc người nhận", 22),
        ("Ngày chuyển", 12),
        ("Ký nhận", 12),
        ("Ghi chú", 16),
    ],
    "handling": [
        ("Số đến", 8),
        ("Văn bản đến (số, ký hiệu, trích yếu)", 50),
        ("Người giải quyết", 22),
        ("Thời hạn giải quyết", 14),
        ("Tiến độ giải quyết", 45),
        ("Số, ký hiệu văn bản trả lời", 20),
        ("Ghi chú", 22),
    ],
    "outgoing": [
        ("Số, ký hiệu văn bản", 16),
        ("Ngày tháng văn bản", 12),
        ("Tên loại và trích yếu nội dung", 45),
        ("Người ký", 22),
        ("Nơi nhận văn bản", 35),
        ("Đơn vị, người nhận bản lưu", 14),
        ("Số lượng bản", 8),
        ("Ngày chuyển", 12),
        ("Ký nhận", 12),
        ("Ghi chú", 16),
    ],
}
CELLS: dict[str, Callable[[Any], list[Any]]] = {
    "incoming": _incoming_cells,
    "handling": _handling_cells,
    "outgoing": _outgoing_cells,
}
SHEETS = {"incoming": "Sổ đến", "handling": "Theo dõi giải quyết", "outgoing": "Sổ đi"}


def register_xlsx(
    kind: Kind,
    unit: AdministrativeUnit,
    rows: Sequence[IncomingRow | OutgoingRow],
    title: str,
    *,
    secret: bool = False,
) -> bytes:
    """Row 1 names the register, row 2 holds the headers, one row per document follows."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS[kind]
    sheet.append([f"{heading(kind, secret)} — {unit.committee_name} — {title}"])
    sheet.append([name for name, _width in COLUMNS[kind]])
    for cell in sheet[2]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for index, (_name, width) in enumerate(COLUMNS[kind], start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    for row in rows:
        sheet.append(CELLS[kind](row))
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
