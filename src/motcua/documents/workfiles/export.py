"""A work file as PDF: the cover (bìa hồ sơ) and the list of what it holds (mục lục văn bản)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from motcua.core.officedocs import font_dir

from .models import FiledItem, WorkFile


@dataclass(frozen=True)
class Row:
    day: date | None
    reference: str
    abstract: str
    author: str


def work_file_pdf(work_file: WorkFile) -> bytes:
    return HTML(string=work_file_html(work_file)).write_pdf()


def work_file_html(work_file: WorkFile) -> str:
    context = {
        "font_dir": font_dir(),
        "work_file": work_file,
        "unit": work_file.plan.unit,
        "opened_on": _local_day(work_file.opened_at),
        "closed_on": _local_day(work_file.closed_at),
        "rows": rows(work_file),
    }
    return render_to_string("documents/work_file_pdf.html", context)


def rows(work_file: WorkFile) -> list[Row]:
    """The items in date order; undated ones (none expected) last, in filing order."""
    items = work_file.items.select_related(
        "incoming", "outgoing__unit", "dossier__procedure"
    ).order_by("filed_at", "id")
    found = [_row(item) for item in items]
    return sorted(found, key=lambda row: (row.day is None, row.day or date.min))


def _row(filed: FiledItem) -> Row:
    if filed.incoming is not None:
        d = filed.incoming
        return Row(d.document_date, d.reference, d.abstract, d.issuer)
    if filed.outgoing is not None:
        o = filed.outgoing
        return Row(_local_day(o.issued_at), o.reference, o.abstract, o.unit.name)
    assert filed.dossier is not None  # the check constraint guarantees one item
    s = filed.dossier
    return Row(_local_day(s.received_at), s.code or "", s.procedure.name, s.applicant_name)


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None
