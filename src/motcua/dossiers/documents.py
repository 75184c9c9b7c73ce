"""The legal forms (Mẫu 01–06, stop notice) as PDF, from HTML templates with WeasyPrint.

Templates live in templates/dossiers/forms/<form set>/<form>.html; a set that does not
define a form falls back to the 2018 set. A unit may reword named texts (FormText).
"""

import base64
import io
from datetime import datetime
from typing import Any

import qrcode
from django.conf import settings
from django.http import Http404
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from motcua.core.models import AdministrativeUnit
from motcua.core.officedocs import font_dir

from .models import (
    Apology,
    Dossier,
    FormKind,
    FormSet,
    FormSettings,
    FormText,
    Refusal,
    SupplementRequest,
)


def form_set_of(unit: AdministrativeUnit) -> str:
    chosen = FormSettings.objects.filter(unit=unit).values_list("form_set", flat=True).first()
    return chosen or FormSet.TT01_2018


def tracking_url(dossier: Dossier) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("dossier-track", args=[dossier.code])


def qr_data_uri(content: str) -> str:
    """A PNG QR code (WeasyPrint draws a bitmap far faster than hundreds of SVG paths)."""
    image = qrcode.make(content, box_size=4, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_form(kind: str, unit: AdministrativeUnit, context: dict[str, Any]) -> bytes:
    return HTML(string=form_html(kind, unit, context)).write_pdf()


def form_html(kind: str, unit: AdministrativeUnit, context: dict[str, Any]) -> str:
    form_set = form_set_of(unit)
    texts = dict(
        FormText.objects.filter(unit=unit, form_set=form_set, form=kind).values_list("key", "text")
    )
    template = select_template(
        [f"dossiers/forms/{form_set}/{kind}.html", f"dossiers/forms/tt01_2018/{kind}.html"]
    )
    return template.render(
        {
            **context,
            "unit": unit,
            "province": unit.province,
            "texts": texts,
            "form_set": form_set,
            "font_dir": font_dir(),
            "printed_at": timezone.now(),
        }
    )


def receipt_context(dossier: Dossier) -> dict[str, Any]:
    first = dossier.steps.filter(order=1).select_related("assignee").first()
    url = tracking_url(dossier)
    receiver = first.assignee.get_full_name() if first and first.assignee else ""
    return {"dossier": dossier, "papers": dossier.papers.all(), "receiver": receiver,
            "qr": qr_data_uri(url), "tracking_url": url}  # fmt: skip


def receipt_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01, with a QR code of the tracking link."""
    return render_form(FormKind.RECEIPT, dossier.unit, receipt_context(dossier))


def supplement_pdf(request: SupplementRequest) -> bytes:
    context = {"dossier": request.dossier, "request": request}
    return render_form(FormKind.SUPPLEMENT, request.dossier.unit, context)


def refusal_pdf(refusal: Refusal) -> bytes:
    return render_form(
        FormKind.REFUSAL, refusal.dossier.unit, {"dossier": refusal.dossier, "refusal": refusal}
    )


def apology_pdf(apology: Apology) -> bytes:
    return render_form(
        FormKind.APOLOGY, apology.dossier.unit, {"dossier": apology.dossier, "apology": apology}
    )


def control_sheet_pdf(dossier: Dossier) -> bytes:
    events = dossier.events.select_related("actor", "to_user", "step").exclude(kind="received")
    return render_form(
        FormKind.CONTROL_SHEET,
        dossier.unit,
        {"dossier": dossier, "steps": dossier.steps.all(), "events": events},
    )


def stop_notice_pdf(dossier: Dossier) -> bytes:
    return render_form(FormKind.STOP_NOTICE, dossier.unit, {"dossier": dossier})


def ledger_pdf(unit: AdministrativeUnit, start: datetime, end: datetime) -> bytes:
    """Mẫu 06 (A4): one line per dossier received in [start, end)."""
    from .selectors import ledger_lines

    rows = ledger_lines(unit, start, end)
    return render_form(FormKind.LEDGER, unit, {"rows": rows, "start": start, "end": end})


def available_forms(dossier: Dossier, *, for_applicant: bool = False) -> list[tuple[str, str]]:
    """The forms this dossier has reached (the control sheet is the desk's, not the citizen's)."""
    found = []
    if dossier.code:
        found.append((FormKind.RECEIPT, FormKind.RECEIPT.label))
        if not for_applicant:
            found.append((FormKind.CONTROL_SHEET, FormKind.CONTROL_SHEET.label))
    if dossier.supplements.exists():
        found.append((FormKind.SUPPLEMENT, FormKind.SUPPLEMENT.label))
    if hasattr(dossier, "refusal"):
        found.append((FormKind.REFUSAL, FormKind.REFUSAL.label))
    if dossier.apologies.exists():
        found.append((FormKind.APOLOGY, FormKind.APOLOGY.label))
    if dossier.withdrawn_at:
        found.append((FormKind.STOP_NOTICE, FormKind.STOP_NOTICE.label))
    return found


def _last(items: Any) -> Any:
    item = items.order_by("-pk").first()
    if item is None:
        raise Http404
    return item


def form_pdf(dossier: Dossier, kind: str) -> bytes:
    render_pdf = {
        FormKind.RECEIPT: lambda: receipt_pdf(dossier),
        FormKind.CONTROL_SHEET: lambda: control_sheet_pdf(dossier),
        FormKind.SUPPLEMENT: lambda: supplement_pdf(_last(dossier.supplements)),
        FormKind.REFUSAL: lambda: refusal_pdf(dossier.refusal),
        FormKind.APOLOGY: lambda: apology_pdf(_last(dossier.apologies)),
        FormKind.STOP_NOTICE: lambda: stop_notice_pdf(dossier),
    }
    return render_pdf[kind]()
