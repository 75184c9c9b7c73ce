"""Check the signatures of a certified copy (the public verification page, the register).

A copy is valid when every signature is intact, cryptographically valid, issued under one of
the unit's trust roots, and nothing but the later signatures was added after it: the last
signature must cover the whole file. Messages are in Vietnamese, for the public.

Revocation is not checked by default: the demo CA (pki.create_demo_pki) publishes no CRL or
OCSP responder, so there is nothing to check against. Production, with certificates of a
licensed CA, should pass check_revocation=True (this fetches CRL/OCSP over the network).
"""

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ._sync import outside_event_loop

logger = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# What a later revision may do to an earlier signature: fill a (signature) form field.
ALLOWED_LATER = ModificationLevel.FORM_FILLING

UNREADABLE = "Không đọc được tệp: tệp không phải PDF hoặc đã bị hỏng."
UNSIGNED = "Tài liệu không có chữ ký số."
UNCHECKABLE = "Không kiểm tra được chữ ký số trong tệp."
CHANGED = "Tài liệu đã bị thay đổi sau khi ký."
INVALID = "Chữ ký không hợp lệ."
UNTRUSTED = "Chứng thư số không do cơ quan tin cậy cấp."
REVOKED = "Chứng thư số đã bị thu hồi."
EXPIRED = "Chứng thư số đã hết hạn hoặc chưa có hiệu lực."

TrustRoot: TypeAlias = x509.Certificate | asn1_x509.Certificate


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer_name: str  # CN of the signing certificate
    organisation: str  # O of the signing certificate
    signed_at: datetime | None  # from a trusted timestamp if any, else as the signer claims
    timestamped: bool  # signed_at comes from a valid RFC 3161 timestamp of a trusted TSA
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the signature verifies with the certificate's key
    trusted: bool  # the certificate chains to a trust root (and is in date, not revoked)
    covers_document: bool  # nothing but later signatures was added after it
    modification_level: str | None  # pyHanko's ModificationLevel name, e.g. "FORM_FILLING"
    docmdp_ok: bool | None
    problems: list[str] = field(default_factory=list)
    summary_vi: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_document


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureCheck]
    problems: list[str]  # document-level sentences, without repetition

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)


@outside_event_loop
def verify_pdf(
    pdf: bytes, trust_roots: Iterable[TrustRoot], *, check_revocation: bool = False
) -> VerificationReport:
    """Never raises on bad input: an unreadable file gives a report with ok=False."""
    roots = [_as_asn1(root) for root in trust_roots]
    try:
        embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    except Exception:  # anything a hostile upload can make the parser raise
        logger.info("unreadable PDF submitted for verification", exc_info=True)
        return VerificationReport(signatures=[], problems=[UNREADABLE])
    if not embedded:
        return VerificationReport(signatures=[], problems=[UNSIGNED])
    try:
        checks = _checks(embedded, roots, check_revocation)
    except Exception:  # a structure pyHanko did not foresee: refuse rather than crash the page
        logger.warning("signatures could not be checked", exc_info=True)
        return VerificationReport(signatures=[], problems=[UNCHECKABLE])
    problems = list(dict.fromkeys(p for check in checks for p in check.problems))
    return VerificationReport(signatures=checks, problems=problems)


def _checks(
    embedded: list[EmbeddedPdfSignature], roots: list[asn1_x509.Certificate], revocation: bool
) -> list[SignatureCheck]:
    statuses = [_validate(sig, roots, revocation) for sig in embedded]
    return [
        _check(sig, status, embedded[i + 1 :], statuses[-1])
        for i, (sig, status) in enumerate(zip(embedded, statuses, strict=True))
    ]


def _as_asn1(root: TrustRoot) -> asn1_x509.Certificate:
    if isinstance(root, asn1_x509.Certificate):
        return root
    return asn1_x509.Certificate.load(root.public_bytes(Encoding.DER))


def _validate(
    sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate], check_revocation: bool
) -> PdfSignatureStatus | None:
    # A fresh context per signature: validate_pdf_signature releases it when done.
    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=check_revocation,
        revocation_mode="hard-fail" if check_revocation else "soft-fail",
    )
    try:
        return validate_pdf_signature(sig, context)
    except Exception:  # a malformed signature dictionary or CMS object
        logger.info("signature %s could not be validated", sig.field_name, exc_info=True)
        return None


def _check(
    sig: EmbeddedPdfSignature,
    status: PdfSignatureStatus | None,
    later: list[EmbeddedPdfSignature],
    last_status: PdfSignatureStatus | None,
) -> SignatureCheck:
    name, organisation = _subject(sig)
    if status is None:
        return SignatureCheck(
            field_name=sig.field_name,
            signer_name=name,
            organisation=organisation,
            signed_at=None,
            timestamped=False,
            intact=False,
            valid=False,
            trusted=False,
            covers_document=False,
            modification_level=None,
            docmdp_ok=None,
            problems=[INVALID],
            summary_vi=_summary(name, organisation, None, [INVALID]),
        )
    covers = _covers_document(sig, status, later, last_status)
    problems = _problems(status, covers)
    level = status.modification_level
    signed_at = _signed_at(status)
    return SignatureCheck(
        field_name=sig.field_name,
        signer_name=name,
        organisation=organisation,
        signed_at=signed_at,
        timestamped=_timestamped(status),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_document=covers,
        modification_level=level.name if level is not None else None,
        docmdp_ok=status.docmdp_ok,
        problems=problems,
        summary_vi=_summary(name, organisation, signed_at, problems),
    )


def _subject(sig: EmbeddedPdfSignature) -> tuple[str, str]:
    try:
        subject = sig.signer_cert.subject.native
    except Exception:  # no usable certificate in the signature
        return "(không rõ)", ""
    return str(subject.get("common_name", "")), str(subject.get("organization_name", ""))


def _covers_document(
    sig: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    later: list[EmbeddedPdfSignature],
    last_status: PdfSignatureStatus | None,
) -> bool:
    """Whole file for the last signature; for an earlier one, only later signatures after it."""
    if not later:
        return status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if last_status is None or last_status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return False
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or status.docmdp_ok is False:
        return False
    # Every revision after this signature must be the one that added a later signature.
    total = sig.reader.xrefs.total_revisions
    if set(range(sig.signed_revision + 1, total)) != {s.signed_revision for s in later}:
        return False
    diff = status.diff_result
    return (
        isinstance(diff, DiffResult)
        and diff.modification_level <= ALLOWED_LATER
        and diff.changed_form_fields <= {s.field_name for s in later}
    )


def _problems(status: PdfSignatureStatus, covers: bool) -> list[str]:
    if not status.intact:
        return [CHANGED]
    if not status.valid:
        return [INVALID]
    problems = [] if status.trusted else [_trust_problem(status)]
    if not covers:
        problems.append(CHANGED)
    return problems


def _trust_problem(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    if status.revoked or indication in (
        AdESIndeterminate.REVOKED_NO_POE,
        AdESIndeterminate.REVOKED_CA_NO_POE,
    ):
        return REVOKED
    if indication in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.NOT_YET_VALID):
        return EXPIRED
    return UNTRUSTED


def _timestamped(status: PdfSignatureStatus) -> bool:
    stamp = status.timestamp_validity
    return stamp is not None and stamp.intact and stamp.valid and stamp.trusted


def _signed_at(status: PdfSignatureStatus) -> datetime | None:
    if _timestamped(status):
        assert status.timestamp_validity is not None
        return status.timestamp_validity.timestamp
    return status.signer_reported_dt


def _summary(name: str, organisation: str, signed_at: datetime | None, problems: list[str]) -> str:
    who = name if not organisation or organisation == name else f"{name} ({organisation})"
    when = ""
    if signed_at is not None:
        local = signed_at.astimezone(VIETNAM)
        when = f", ký lúc {local:%H:%M} ngày {local:%d/%m/%Y}"
    if not problems:
        return f"Chữ ký của {who}{when}: hợp lệ, tài liệu không bị thay đổi sau khi ký."
    details = " ".join(problems)
    return f"Chữ ký của {who}{when}: không hợp lệ. {details}"
