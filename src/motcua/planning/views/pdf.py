"""The remediation report of an inspection, as PDF."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from motcua.core.officedocs import font_dir

from ..models import Inspection


def inspection_report(inspection: Inspection) -> HttpResponse:
    findings = inspection.findings.select_related("criterion").prefetch_related(
        "tasks__owner", "tasks__evidence"
    )
    html = render_to_string(
        "planning/inspection_pdf.html",
        {
            "inspection": inspection,
            "findings": findings,
            "today": timezone.localdate(),
            "now": timezone.now(),
            "font_dir": font_dir(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="khac-phuc-{inspection.pk}.pdf"'
    return response
