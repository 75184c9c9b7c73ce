"""Reads: the register of a month, and the public verification of a copy."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from motcua.core.models import AdministrativeUnit
from motcua.core.varpaths import under_var_dir

from .models import COPY_REGISTER, Certification, CertificationStatus, RegisterEntry
from .services.register import settings_for
from .verification import VerificationReport, verify_pdf


def register_entries(
    unit: AdministrativeUnit, start: datetime, end: datetime
) -> QuerySet[RegisterEntry]:
    return (
        RegisterEntry.objects.filter(
            unit=unit, book=COPY_REGISTER, entered_at__gte=start, entered_at__lt=end
        )
        .prefetch_related("annotations")
        .order_by("year", "number")
    )


def find_for_verification(number: str, code: str) -> Certification | None:
    """By "number/year" and the short code printed with the QR code; nothing on a mismatch."""
    match = re.fullmatch(r"\s*(\d{1,7})\s*/\s*(\d{4})\s*", number or "")
    code = (code or "").strip().upper()
    if not match or not re.fullmatch(r"[0-9A-F]{8}", code):
        return None
    return (
        Certification.objects.filter(
            register_entry__number=int(match[1]),
            register_entry__year=int(match[2]),
            verify_code=code,
            status=CertificationStatus.SIGNED,
        )
        .select_related("register_entry", "dossier__unit")
        .first()
    )


def trust_roots(unit: AdministrativeUnit) -> list[Any]:
    """The CA certificates a copy of this unit must chain to (PEM file in its settings)."""
    from cryptography import x509

    name = settings_for(unit).trust_roots
    path = under_var_dir(name) if name else None
    if path is None or not path.exists():
        return []
    return x509.load_pem_x509_certificates(path.read_bytes())


@dataclass
class CopyCheck:
    report: VerificationReport
    matches_copy: int | None  # the copy number whose stored file is byte-identical


def check_copy(certification: Certification, pdf: bytes) -> CopyCheck:
    report = verify_pdf(pdf, trust_roots(certification.dossier.unit))
    digest = hashlib.sha256(pdf).hexdigest()
    match = certification.signed_copies.filter(sha256=digest).values_list("index", flat=True)
    return CopyCheck(report, match.first())


def stored_copy_check(certification: Certification) -> CopyCheck | None:
    first = certification.signed_copies.order_by("index").first()
    if first is None:
        return None
    with first.pdf.open("rb") as handle:
        return check_copy(certification, handle.read())
