"""The status message of one dossier event, in the shape of Cổng DVCQG's HoSo object
(``DongBoHoSoMC``) and its progress row (``CapNhatTienDoHoSoMC``), INTEROP.md §2.2.

Field names are those of the public integration codebases. ``MaThongDiep`` (the message id the
portal de-duplicates on) and ``DanhSachLePhi[].DaThanhToan`` are OUR ASSUMPTIONS: the official
specification is not available to us. Dates are ``yyyyMMddHHmmss`` in Vietnam time (UTC+7).
Only what the portal needs of the applicant is sent: name, personal ID and contact.
"""

import hashlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage

from motcua.certification.models import Certification
from motcua.certification.services.signing import verify_url
from motcua.core.models import User
from motcua.dossiers.models import Dossier, Outcome, ReturnMethod, Status

from .codes import APPLICANT_CODES, CHANNEL_CODES, NATIONAL_STATUSES
from .models import InboundDossier

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

Payload = dict[str, Any]

# The actions of the desk's intake: before them no apology, result or certified copy can
# exist, so their messages skip those look-ups (a receipt stays cheap).
AT_INTAKE = frozenset({"submit", "receive", "refuse", "request_supplement"})


def portal_date(at: datetime | None) -> str:
    return at.astimezone(VIETNAM).strftime(DATE_FORMAT) if at else ""


def build(
    dossier: Dossier, *, message_id: str, action: str, code: int, actor: User | None, at: datetime
) -> Payload:
    """Everything one message carries: the dossier as it is now, and this event's progress."""
    return {
        "MaThongDiep": message_id,
        "MaDonVi": dossier.unit.identifier_code,
        "HoSo": _dossier(dossier, code, handled=action not in AT_INTAKE),
        "TienDo": _progress(dossier, action, code, actor, at),
    }


def refresh_reference(payload: Payload, dossier: Dossier) -> Payload:
    """The catalogue data of a message sent again after a rejection (the officer fixed the
    procedure's code or the unit's identifier); the event itself is left as it was."""
    hoso = payload["HoSo"]
    hoso.update(_catalogue(dossier))
    payload["MaDonVi"] = dossier.unit.identifier_code
    return payload


def _catalogue(dossier: Dossier) -> Payload:
    procedure = dossier.procedure
    return {
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "DonViXuLy": dossier.unit.name,
    }


def _dossier(dossier: Dossier, code: int, *, handled: bool = True) -> Payload:
    personal_id = dossier.applicant_personal_id
    return {
        "MaHoSo": dossier.code,
        # A dossier filed on the portal keeps the portal's code beside ours (OUR ASSUMPTION).
        "MaHoSoQG": _national_code(dossier),
        **_catalogue(dossier),
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 1),
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": APPLICANT_CODES.get(dossier.applicant_kind, 4),
        "SoGiayToChuHoSo": personal_id,
        "DinhDanhCHS": (
            [{"LoaiDinhDanh": 1 if len(personal_id) == 12 else 2, "SoDinhDanh": personal_id}]
            if personal_id
            else []
        ),
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "TrichYeuHoSo": dossier.procedure.name[:1000],
        "NgayNopHoSo": portal_date(dossier.created_at if dossier.is_electronic else None),
        "NgayTiepNhan": portal_date(dossier.received_at),
        "NgayHenTra": portal_date(dossier.due_at),
        "NgayKetThucXuLy": portal_date(dossier.approved_at),
        "NgayTra": portal_date(dossier.returned_at),
        "NgayTuChoi": portal_date(_refused_at(dossier)),
        "TrangThaiHoSo": code,
        "HinhThuc": 1 if dossier.return_method == ReturnMethod.POST else 0,
        "DanhSachLePhi": (
            [
                {
                    "TenPhiLePhi": "Phí, lệ phí",
                    "Gia": dossier.fee_due,
                    "DaThanhToan": dossier.fee_paid,
                }
            ]
            if dossier.fee_due
            else []
        ),
        "DanhSachHoSoBoSung": _extensions(dossier) if handled else [],
        "DanhSachGiayToKetQua": _results(dossier) if handled else [],
    }


def _national_code(dossier: Dossier) -> str:
    if not dossier.is_electronic:  # only dossiers filed online came from the portal
        return ""
    found = InboundDossier.objects.filter(dossier=dossier).values_list("national_code", flat=True)
    return found.first() or ""


def _refused_at(dossier: Dossier) -> datetime | None:
    if dossier.status != Status.REFUSED and dossier.outcome != Outcome.REFUSED:
        return None
    refusal = dossier.events.filter(kind="refused").order_by("-at").values_list("at", flat=True)
    return refusal.first()


def _extensions(dossier: Dossier) -> list[Payload]:
    """Apologies with their new appointment (DanhSachHoSoBoSung, INTEROP.md §2.2)."""
    return [
        {
            "HoSoBoSungId": str(apology.pk),
            "NoiDungBoSung": apology.reason[:1000],
            "NgayBoSung": portal_date(apology.issued_at),
            "NgayHenTraTruoc": portal_date(apology.original_due_at),
            "NgayHenTraMoi": portal_date(apology.new_due_at),
        }
        for apology in dossier.apologies.order_by("issued_at", "pk")
    ]


def _results(dossier: Dossier) -> list[Payload]:
    """The electronic result: where to fetch or verify it, and its SHA-256. A certified copy
    is sent as its public verification URL and the hash of each signed PDF."""
    copies = _certified_copies(dossier)
    if copies:
        return copies
    if not dossier.result_file:
        return []
    digest = hashlib.sha256()
    with default_storage.open(str(dossier.result_file.name), "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return [
        {
            "TenGiayTo": dossier.result_note[:300] or dossier.procedure.name[:300],
            "GiayToId": str(dossier.pk),
            "MaGiayToKetQua": dossier.code,
            "DuongDanTepTinKetQua": f"{settings.MOTCUA_PUBLIC_URL}/tra-cuu/{dossier.code}/",
            "MaBam": digest.hexdigest(),
        }
    ]


def _certified_copies(dossier: Dossier) -> list[Payload]:
    certification = Certification.objects.filter(dossier=dossier).first()
    if certification is None or not certification.verify_code:
        return []
    url = verify_url(certification)
    return [
        {
            "TenGiayTo": f"Bản sao điện tử: {certification.original_title}"[:300],
            "GiayToId": f"{certification.pk}-{copy.index}",
            "MaGiayToKetQua": str(certification.register_entry),
            "DuongDanTepTinKetQua": url,
            "MaBam": copy.sha256,
        }
        for copy in certification.signed_copies.order_by("index")
    ]


def _progress(
    dossier: Dossier, action: str, code: int, actor: User | None, at: datetime
) -> Payload:
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": (actor.get_full_name() if actor else dossier.applicant_name)[:50],
        "ChucDanh": "",
        "ThoiDiemXuLy": portal_date(at),
        "PhongBanXuLy": dossier.unit.name,
        "NoiDungXuLy": NATIONAL_STATUSES[code],
        "HanhDong": action,
        "TrangThai": code,
        "NgayBatDau": portal_date(dossier.clock_start),
        "NgayKetThucTheoQuyDinh": portal_date(dossier.due_at),
    }
