"""The monthly registers of Nghị định 30/2020 as PDF or spreadsheet, and the month's figures."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core import params
from motcua.core.permissions import can, permission
from motcua.core.services import audit

from . import registers
from .figures import month_figures, official_email_by_officer
from .views import _unit

# URL slug → register kind and file name.
SLUGS: dict[str, registers.Kind] = {"den": "incoming", "theo-doi": "handling", "di": "outgoing"}
FILES = {
    "incoming": "so-van-ban-den",
    "handling": "so-theo-doi-giai-quyet",
    "outgoing": "so-van-ban-di",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission("document.register")
def register(request: HttpRequest, kind: str) -> HttpResponse:
    """GET ?thang=YYYY-MM&dang=pdf|xlsx&mat=1; the secret registers only for leader and clerk."""
    if kind not in SLUGS:
        raise Http404
    register_kind, user, unit = SLUGS[kind], request.user, _unit(request, "document.register")
    secret = request.GET.get("mat") == "1"
    if secret and not can(user, "document.register_secret", unit):
        raise Http404  # not 403: like any record the user may not see
    start, end = params.month_range(request.GET, "thang")
    if secret:  # the secret series lists confidential documents: each opening is recorded
        audit.record_standalone(
            actor=user,
            action="register.secret_view",
            unit=unit,
            object_type="documents.register",
            object_repr=f"{FILES[register_kind]}-mat {start:%m/%Y}",
        )
    rows_for = registers.outgoing_rows if register_kind == "outgoing" else registers.incoming_rows
    rows = rows_for(user, start, end, secret, unit=unit)  # type: ignore[arg-type]
    name = f"{FILES[register_kind]}{'-mat' if secret else ''}-{start:%Y-%m}"
    if request.GET.get("dang") == "xlsx":
        data = registers.register_xlsx(register_kind, unit, rows, f"{start:%m/%Y}", secret=secret)
        return _file(data, XLSX, f'attachment; filename="{name}.xlsx"')
    pdf = registers.register_pdf(register_kind, unit, rows, start, end, secret)
    return _file(pdf, "application/pdf", f'inline; filename="{name}.pdf"')


def _file(data: bytes, content_type: str, disposition: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"  # confidential content stays off caches
    return response


@permission("document.month")
def month(request: HttpRequest) -> HttpResponse:
    """GET ?thang=YYYY-MM: the month's registers to download, and for the unit's leaders and
    clerk the secret registers and the month's figures of electronic work (the same functions
    feed the periodic reports)."""
    user, unit = request.user, _unit(request, "document.month")
    start, end = params.month_range(request.GET, "thang")
    manages = can(user, "document.month_figures", unit)
    context = {
        "unit": unit,
        "month": f"{start:%Y-%m}",
        "registers": [
            ("den", _("Incoming register")),
            ("theo-doi", _("Handling log of incoming documents")),
            ("di", _("Outgoing register")),
        ],
        "manages": manages,
        "figures": month_figures(unit, start, end) if manages else [],
        "mail_use": official_email_by_officer(unit, start, end) if manages else [],
    }
    return render(request, "documents/month.html", context)
