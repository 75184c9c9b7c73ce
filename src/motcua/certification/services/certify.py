"""Check the original, refuse it, or certify it: number, assemble, sign (as a task), return."""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import VN_TZ
from motcua.core.errors import TransitionRefused
from motcua.core.models import Position, Role, RoleAssignment, User
from motcua.core.selectors import active_assignments
from motcua.core.services import audit
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import handling, intake

from .. import assembly
from ..fees import copy_fee
from ..models import (
    Certification,
    CertificationStatus,
    CertifiedCopy,
    KeyKind,
    RefusalReason,
    SigningKey,
)
from . import register

log = logging.getLogger(__name__)
CHECKERS: set[str] = {Role.DESK_OFFICER, Role.SPECIALIST}
SIGNER_POSITIONS = {Position.CHAIRMAN, Position.VICE_CHAIRMAN}
TRACKED = ["status", "original_title", "original_pages", "copies", "fee", "refusal_reason"]


def is_copy_certification(dossier: Dossier) -> bool:
    return dossier.procedure.code in settings.MOTCUA_COPY_CERTIFICATION_PROCEDURES


def certification_for(dossier: Dossier, *, create: bool = False) -> Certification:
    """The dossier's certification. Reading it (a GET) never writes: until an officer acts on
    it (``create``, from a POST), it is an unsaved one in its first state."""
    if not is_copy_certification(dossier):
        raise ValidationError(_("This dossier is not a request for certified copies."))
    if create:
        found, _created = Certification.objects.get_or_create(dossier=dossier)
        return found
    return Certification.objects.filter(dossier=dossier).first() or Certification(dossier=dossier)


def scans_of(dossier: Dossier) -> list[tuple[bytes, str]]:
    """The scanned pages of the original, in the order they were received."""
    scans = []
    for paper in dossier.papers.exclude(scan="").order_by("id"):
        with paper.scan.open("rb") as handle:
            scans.append((handle.read(), (paper.scan.name or "scan").rsplit("/", 1)[-1]))
    return scans


@dataclass
class Original:
    title: str
    issuer: str
    pages: int
    copies: int = 1
    reference: str = ""
    issued_on: date | None = None


def record_original(certification: Certification, *, actor: User, original: Original) -> None:
    """The officer compared the scan with the original: what it is, and how many pages."""
    dossier = certification.dossier
    _require_role(actor, dossier, CHECKERS, _("Only a desk or justice officer checks originals."))
    if dossier.status not in {Status.PENDING, Status.RECEIVED, Status.IN_PROGRESS}:
        raise TransitionRefused(_("The original can be checked only while the dossier is open."))
    errors = _problems(original)
    scans = scans_of(dossier)
    if not scans:
        errors["pages"] = [_("Attach the scan of the original to the dossier first.")]
    else:
        try:
            scanned = assembly.count_pages(scans)
        except assembly.ScanRefused as refused:  # encrypted, broken, or active content
            raise ValidationError({"pages": [str(refused)]}) from refused
        if scanned != original.pages:
            errors["pages"] = [
                _("The scan has %(scan)d page(s) but the original has %(pages)d: scan every page.")
                % {"scan": scanned, "pages": original.pages}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        if locked.status not in {CertificationStatus.REQUESTED, CertificationStatus.CHECKED}:
            raise TransitionRefused(_("This original has already been certified or refused."))
        before = audit.snapshot(locked, TRACKED)
        locked.original_title, locked.original_issuer = original.title, original.issuer
        locked.original_reference, locked.original_date = original.reference, original.issued_on
        locked.original_pages, locked.copies = original.pages, original.copies
        locked.fee = copy_fee(original.pages, original.copies, timezone.localdate())
        locked.checked_by, locked.checked_at = actor, timezone.now()
        locked.status = CertificationStatus.CHECKED
        locked.save()
        Dossier.objects.filter(pk=dossier.pk).update(fee_due=locked.fee, sets=original.copies)
        audit.record(
            actor=actor,
            action="certification.check",
            unit=dossier.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
        )
    certification.refresh_from_db()


def _problems(original: Original) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not original.title.strip():
        errors["title"] = [_("Enter the title of the original.")]
    if not original.issuer.strip():
        errors["issuer"] = [_("Enter who issued the original.")]
    if original.pages < 1:
        errors["pages"] = [_("Enter the number of pages of the original.")]
    if not 1 <= original.copies <= 50:
        errors["copies"] = [_("Between 1 and 50 copies.")]
    return errors


def refuse(certification: Certification, *, actor: User, reason: str, detail: str = "") -> None:
    """Refused with one of the legal reasons: the dossier's Mẫu 03 carries it."""
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": [_("Choose the legal reason for the refusal.")]})
    dossier = certification.dossier
    text = _("The original cannot be copied and certified: %(reason)s.") % {
        "reason": RefusalReason(reason).label
    }
    text = f"{text} {detail.strip()}".strip()
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        if locked.status not in {CertificationStatus.REQUESTED, CertificationStatus.CHECKED}:
            raise TransitionRefused(_("This original has already been certified or refused."))
        if dossier.status in intake_statuses():
            intake.refuse(dossier, actor=actor, reasons=text)
        else:
            handling.refuse_after_appraisal(dossier, actor=actor, reasons=text)
        locked.status, locked.refusal_reason = CertificationStatus.REFUSED, reason
        locked.save(update_fields=["status", "refusal_reason"])
        audit.record(
            actor=actor,
            action="certification.refuse",
            unit=dossier.unit,
            obj=locked,
            after={"reason": reason, "detail": detail},
        )
    certification.refresh_from_db()


def intake_statuses() -> set[str]:
    return {Status.DRAFT, Status.PENDING, Status.SUPPLEMENT_REQUESTED}


def certify(certification: Certification, *, actor: User, at: datetime | None = None) -> None:
    """The Chairman or a Vice-chairman certifies: a register number now, the signing as a task."""
    dossier = certification.dossier
    title = _signer_title(actor, dossier)
    signer_key(actor, dossier)  # refuse now, not in the task, when the signer has no key
    organisation_key(dossier)
    step = dossier.current_step
    if dossier.status != Status.IN_PROGRESS or step is None or step.role != Role.LEADER:
        raise TransitionRefused(_("The dossier has not been presented to a leader for signature."))
    at = at or timezone.now()
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        if locked.status != CertificationStatus.CHECKED:
            raise TransitionRefused(_("Check the original before certifying."))
        register.enter(locked, at, actor, title)
        locked.signer, locked.signer_title, locked.certified_at = actor, title, at
        locked.verify_code = secrets.token_hex(4).upper()
        locked.status, locked.signing_error = CertificationStatus.SIGNING, ""
        locked.signing_claimed_at, locked.signing_token, locked.signing_attempts = at, "", 0
        locked.save()
        audit.record(
            actor=actor,
            action="certification.certify",
            unit=dossier.unit,
            obj=locked,
            after=audit.snapshot(locked, [*TRACKED, "verify_code"]),
        )
        transaction.on_commit(lambda: enqueue_signing(locked.pk))
    certification.refresh_from_db()


def enqueue_signing(certification_id: int) -> None:
    # Lazy: the task runs services.signing, which builds on this module.
    from ..tasks import sign_certification

    sign_certification.enqueue(certification_id)


def retry_signing(certification: Certification, *, actor: User) -> None:
    """After a failed signature (e.g. a key password not set), try again with the same number."""
    _require_role(actor, certification.dossier, {str(Role.LEADER)}, _("Only a leader can do this."))
    with transaction.atomic():
        updated = Certification.objects.filter(
            pk=certification.pk, status=CertificationStatus.SIGNING_FAILED
        ).update(
            status=CertificationStatus.SIGNING,
            signing_error="",
            signing_claimed_at=timezone.now(),
            signing_token="",
            signing_attempts=0,
        )
        if updated:
            audit.record(
                actor=actor,
                action="certification.retry_signing",
                unit=certification.dossier.unit,
                obj=certification,
            )
            transaction.on_commit(lambda: enqueue_signing(certification.pk))


def _require_role(actor: User, dossier: Dossier, roles: set[str], message: str) -> None:
    held = active_assignments(actor).filter(unit_id=dossier.unit_id, role__in=roles)
    if not held.exists():
        raise TransitionRefused(message, by_role=True)


def _signer_title(actor: User, dossier: Dossier) -> str:
    held = active_assignments(actor).filter(
        unit_id=dossier.unit_id, role=Role.LEADER, position__in=SIGNER_POSITIONS
    )
    assignment: RoleAssignment | None = held.first()
    if assignment is None:
        raise TransitionRefused(
            _("Only the Chairman or a Vice-chairman certifies copies."), by_role=True
        )
    return "CHỦ TỊCH" if assignment.position == Position.CHAIRMAN else "PHÓ CHỦ TỊCH"


def signer_key(actor: User, dossier: Dossier) -> SigningKey:
    key = SigningKey.objects.filter(
        unit=dossier.unit, kind=KeyKind.SIGNER, user=actor, is_active=True
    ).first()
    if key is None:
        raise ValidationError(
            _("%(name)s has no signing key configured for this unit.")
            % {"name": actor.get_full_name()}
        )
    return key


def organisation_key(dossier: Dossier) -> SigningKey:
    key = SigningKey.objects.filter(
        unit=dossier.unit, kind=KeyKind.ORGANISATION, is_active=True
    ).first()
    if key is None:
        raise ValidationError(_("The unit's organisation signing key is not configured."))
    return key


def save_copies(
    certification: Certification, signed: list[tuple[bytes, int, str]], *, token: str = ""
) -> bool:
    """Store the signed copies, then approve the dossier with copy 1 as its result.

    Only the run holding the signing claim (``token``) saves, and only while the copy is still
    being signed: a run the crash recovery gave up on (it was too slow, not dead) saves nothing,
    so the copies are stored once. Returns whether this run saved them."""
    import hashlib

    dossier = certification.dossier
    signer = certification.signer
    assert signer is not None
    now = timezone.now()
    with transaction.atomic():
        held = Certification.objects.select_for_update().filter(
            pk=certification.pk, status=CertificationStatus.SIGNING, signing_token=token
        )
        if not held.exists():
            return False
        for index, (pdf, pages, _sha) in enumerate(signed, start=1):
            copy = CertifiedCopy(
                certification=certification,
                index=index,
                pages=pages,
                sha256=hashlib.sha256(pdf).hexdigest(),
                signed_at=now,
            )
            copy.pdf.save(_copy_name(certification, index), ContentFile(pdf), save=False)
            copy.save()
        certification.status = CertificationStatus.SIGNED
        certification.save(update_fields=["status"])
        handling.approve(dossier, actor=signer, note=str(certification.register_entry))
        first = ContentFile(signed[0][0], name=_copy_name(certification, 1))
        handling.attach_result(dossier, actor=signer, file=first)  # type: ignore[arg-type]
        audit.record(
            actor=signer,
            action="certification.signed",
            unit=dossier.unit,
            obj=certification,
            after={"copies": len(signed)},
        )
    return True


def _copy_name(certification: Certification, index: int) -> str:
    entry = certification.register_entry
    return f"ban-sao-{entry.year}-{entry.number:05d}-{index}.pdf"


def signing_failed(certification_id: int, message: str, *, token: str | None = None) -> None:
    """The copy cannot be signed: shown failed with ``message`` (a run passes its claim's
    ``token``, so that a run the recovery replaced does not fail its successor's work)."""
    held = {} if token is None else {"signing_token": token}
    with transaction.atomic():
        Certification.objects.filter(
            pk=certification_id, status=CertificationStatus.SIGNING, **held
        ).update(status=CertificationStatus.SIGNING_FAILED, signing_error=message[:2000])
    log.error("Certification %s could not be signed: %s", certification_id, message)


def statement_date(at: datetime) -> str:
    day = at.astimezone(VN_TZ)
    return f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
