"""Dossiers citizens file on the national portal, pulled into the ward's desk queue on a
schedule (``MOTCUA_PORTAL_INBOUND``; periodic job ``portal_inbox``). We pull rather than take
a webhook: a laptop ward has no public address, and a pull survives our downtime unaided.

Each dossier flows through the normal online submission (status "submitted, awaiting the
desk"), so the desk receives it with the normal rules; the portal's code is kept beside ours.
Crash safety: the row keyed by the portal's code commits with the dossier; the portal is told
"taken" only afterwards, so a pull killed at any point either left nothing (done again next
time) or left the dossier (found by its code next time, confirmed, never made twice).
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from motcua.core.models import AdministrativeUnit, UnitKind, User
from motcua.core.services import audit
from motcua.core.uploads import detect, new_name
from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services.intake import Applicant
from motcua.dossiers.services.online import OnlinePaper, submit_online
from motcua.procedures.models import Procedure

from .adapters import Inbox, PortalError
from .models import InboundDossier
from .systems import adapter_for

log = logging.getLogger(__name__)


@dataclass
class Pulled:
    created: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unavailable: str = ""


def pull_inbox(system: str = "") -> Pulled:
    found = Pulled()
    system = system or settings.MOTCUA_PORTAL_INBOUND
    if not system:
        return found
    inbox: Inbox = adapter_for(system)  # type: ignore[assignment]
    units = AdministrativeUnit.objects.exclude(identifier_code="").exclude(kind=UnitKind.PROVINCE)
    for unit in units:
        try:
            for item in inbox.pull(unit.identifier_code):
                _take(unit, system, inbox, item, found)
        except PortalError as error:  # the next run tries again; nothing is half-done
            found.unavailable = str(error)
            log.warning("Portal inbox %s for %s: %s", system, unit.code, error)
    return found


def _take(
    unit: AdministrativeUnit, system: str, inbox: Inbox, item: dict[str, Any], found: Pulled
) -> None:
    code = str(item.get("MaHoSoQG") or "").replace("\x00", "")[:60]
    if not code:
        found.problems.append("(không có MaHoSoQG)")
        return
    known = InboundDossier.objects.filter(system=system, national_code=code).first()
    if known is None:
        papers, problem = _papers(inbox, item)
        known = _record(unit, system, code, item, papers, problem)
        if known is None:  # another pull took it meanwhile
            found.duplicates.append(code)
            return
        (found.problems if known.problem else found.created).append(code)
    else:
        found.duplicates.append(code)
    if not known.confirmed and known.dossier_id:
        inbox.confirm(unit.identifier_code, code, str(known.dossier_id))
        InboundDossier.objects.filter(pk=known.pk).update(confirmed=True)


def _papers(inbox: Inbox, item: dict[str, Any]) -> tuple[list[OnlinePaper], str]:
    """Every file the portal links to, downloaded and checked by content like an upload."""
    limit = settings.MOTCUA_UPLOAD_MAX_MB * 1024 * 1024
    papers = []
    for entry in item.get("TaiLieuNop") or []:
        name = str(entry.get("TenTepDinhKem") or "Tài liệu")[:200]
        try:
            data = inbox.fetch(str(entry.get("DuongDanTaiTepTin") or ""), limit)
        except PortalError as error:
            if error.temporary:
                raise
            return [], f"{name}: {error}"
        digest = hashlib.sha256(data).hexdigest()
        if entry.get("MaBam") and entry["MaBam"] != digest:
            return [], f"{name}: mã băm không khớp với tệp tải về"
        content_type = detect(data)
        if content_type is None:
            return [], f"{name}: không phải tệp PDF, JPEG hoặc PNG"
        papers.append(
            OnlinePaper(
                name=name, file=ContentFile(data, name=new_name(content_type)), sha256=digest
            )
        )
    return papers, ""


def _record(
    unit: AdministrativeUnit,
    system: str,
    code: str,
    item: dict[str, Any],
    papers: list[OnlinePaper],
    problem: str,
) -> InboundDossier | None:
    try:
        with transaction.atomic():
            row = InboundDossier.objects.create(
                system=system, national_code=code, unit=unit, payload=_clean(item), problem=problem
            )
            if not problem:
                try:
                    with transaction.atomic():
                        row.dossier = _submit(unit, system, item, papers)
                except ValidationError as error:
                    row.problem = "; ".join(error.messages)
                row.save(update_fields=["dossier", "problem"])
            audit.record(
                actor=None,
                action="interop.inbound",
                unit=unit,
                obj=row,
                after={"system": system, "national_code": code, "dossier": row.dossier_id},
                reason=row.problem,
            )
            return row
    except IntegrityError:
        return None


def _submit(
    unit: AdministrativeUnit, system: str, item: dict[str, Any], papers: list[OnlinePaper]
) -> Dossier:
    procedure = Procedure.objects.filter(
        province=unit.province, code=str(item.get("MaTTHC") or "")[:30]
    ).first()
    if procedure is None:
        raise ValidationError(f"Thủ tục {item.get('MaTTHC')!r} không có trong danh mục của tỉnh.")
    applicant = Applicant(
        kind=ApplicantKind.CITIZEN if item.get("LoaiDoiTuong") == 1 else ApplicantKind.ORGANISATION,
        name=_text(item, "ChuHoSo", 200),
        personal_id=_text(item, "SoGiayToChuHoSo", 12),
        address=_text(item, "DiaChi", 300),
        phone=_text(item, "SoDienThoai", 20),
        email=_text(item, "Email", 254),
    )
    if not applicant.name:
        raise ValidationError("Hồ sơ không có tên người nộp (ChuHoSo).")
    return submit_online(
        actor=portal_account(system),
        unit=unit,
        procedure=procedure,
        channel=Channel.ONLINE,
        applicant=applicant,
        papers=papers,
    )


def _text(item: dict[str, Any], name: str, limit: int) -> str:
    return str(item.get(name) or "").replace("\x00", "").strip()[:limit]


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    """What is kept of the portal's message: no NUL (PostgreSQL rejects it in JSON)."""
    return json.loads(json.dumps(item).replace("\\u0000", ""))


def portal_account(system: str) -> User:
    """The account the portal's dossiers are submitted under (it cannot sign in)."""
    user, created = User.objects.get_or_create(
        username=f"cong-{system}",
        defaults={"full_name": f"Cổng dịch vụ công ({system})", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
