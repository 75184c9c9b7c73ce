"""Guide, receive (code + Mẫu 01), ask for a supplement (Mẫu 02) or refuse (Mẫu 03)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.calendar import VN_TZ
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import has_role
from motcua.core.services import audit
from motcua.core.services.numbering import next_number
from motcua.core.uploads import check_upload, sha256_of, stored_name
from motcua.procedures.models import Procedure, RequiredPaper

from ..deadlines import calendar_of, dossier_due, plan_step_dues, transfer_due
from ..models import (
    Channel,
    Dossier,
    DossierPaper,
    DossierStep,
    EventKind,
    Refusal,
    RequestStage,
    Status,
    SupplementRequest,
)
from .common import TRACKED, log, notify, now_or, transition
from .supplements import clean_items, record_supplement_request

DOSSIER_BOOK, LEDGER_BOOK = "dossier", "ledger"


@dataclass
class Applicant:
    kind: str
    name: str
    personal_id: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    user: User | None = None

    def dossier_fields(self) -> dict[str, object]:
        """The applicant's part of a new Dossier."""
        return {
            "applicant_kind": self.kind,
            "applicant_name": self.name,
            "applicant_personal_id": self.personal_id,
            "applicant_address": self.address,
            "applicant_phone": self.phone,
            "applicant_email": self.email,
            "applicant_user": self.user,
        }


def check_published(procedure: Procedure, unit: AdministrativeUnit) -> None:
    if procedure.province_id != unit.province.pk or not procedure.published:
        raise ValidationError(_("This procedure is not published for this unit."))


def default_fee(procedure: Procedure) -> int:
    """The first fee of the procedure's list (the desk may choose another)."""
    first_fee = procedure.fees.first()
    return first_fee.amount if first_fee else 0


@dataclass
class PaperIn:
    name: str
    originals: int = 0
    copies: int = 0
    scan: UploadedFile | None = None
    required_paper: RequiredPaper | None = None
    checked: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def start_dossier(
    *,
    actor: User,
    unit: AdministrativeUnit,
    procedure: Procedure,
    channel: str,
    applicant: Applicant,
    papers: list[PaperIn],
    sets: int = 1,
    fee_due: int | None = None,
) -> Dossier:
    """A dossier being guided at the counter (desk), or one that arrived by post or online."""
    if not has_role(actor, unit, Role.DESK_OFFICER):
        raise ValidationError(_("Only a desk officer of this unit can take in dossiers."))
    check_published(procedure, unit)
    for paper in papers:
        if paper.scan is not None:
            check_upload(paper.scan)  # before anything is written
    if fee_due is None:
        fee_due = default_fee(procedure)
    dossier = Dossier(
        unit=unit,
        procedure=procedure,
        channel=channel,
        created_by=actor,
        sets=sets,
        status=Status.DRAFT if channel == Channel.DESK else Status.PENDING,
        fee_due=fee_due,
        **applicant.dossier_fields(),
    )
    # The unit, procedure and actor are rows we hold: no need to query that they exist.
    dossier.full_clean(exclude=["code", "unit", "procedure", "created_by"])
    dossier.save()
    for paper in papers:
        _add_paper(dossier, paper)
    audit.record(
        actor=actor,
        action="dossier.start",
        unit=unit,
        obj=dossier,
        after=audit.snapshot(dossier, TRACKED),
    )
    return dossier


def _add_paper(dossier: Dossier, paper: PaperIn) -> None:
    row = DossierPaper(
        dossier=dossier,
        name=paper.name,
        originals=paper.originals,
        copies=paper.copies,
        required_paper=paper.required_paper,
    )
    if paper.scan is not None:
        row.scan_sha256 = sha256_of(paper.scan)
        row.scan.save(stored_name(paper.scan), paper.scan, save=False)
    row.save()


def dossier_code(unit: AdministrativeUnit, at: datetime) -> str:
    """<unit identifier code>-YYMMDD-NNNN: the day's 4-digit sequence (TT 01/2018 Điều 19)."""
    if not unit.identifier_code:
        raise ValidationError(
            _(
                "%(unit)s has no identifier code for document exchange; an administrator must "
                "enter it before dossiers can be received."
            )
            % {"unit": unit.name}
        )
    day = at.astimezone(VN_TZ).date()
    number = next_number(unit, DOSSIER_BOOK, day.isoformat())
    return f"{unit.identifier_code}-{day:%y%m%d}-{number:04d}"


def receive(dossier: Dossier, *, actor: User, at: datetime | None = None) -> Dossier:
    """Issue the code, the ledger line and the due date (Mẫu 01); plan the steps."""
    at = now_or(at)
    with transition(dossier, actor, "receive") as (d, _rule):
        d.received_at = at
        d.clock_start = calendar_of(d).clock_start(at, d.unit.receipt_cutoff)
        d.due_at = dossier_due(d, d.clock_start)
        steps = _instantiate_steps(d)
        if not d.is_electronic:
            steps[0].due_at = transfer_due(d)
        steps[0].assignee, steps[0].started_at = actor, at
        DossierStep.objects.bulk_create(steps)  # ids come back (PostgreSQL, SQLite ≥ 3.35)
        d.current_step = steps[0]
        d.assignee = actor
        SupplementRequest.objects.filter(dossier=d, fulfilled_at__isnull=True).update(
            fulfilled_at=at
        )
        log(d, EventKind.RECEIVED, actor, at, step=d.current_step)
        # The unit's numbers last: their counter rows stay locked until commit, so other
        # receipts at the same desk wait only for what little is left to do.
        d.code = dossier_code(d.unit, at)
        d.ledger_year = at.astimezone(VN_TZ).year
        d.ledger_line = next_number(d.unit, LEDGER_BOOK, str(d.ledger_year))
        notify(d, "received")
    if dossier.is_electronic:  # e-dossiers go to the handler at once
        from .handling import transfer

        transfer(dossier, actor=actor, at=at)
    return dossier


def _instantiate_steps(dossier: Dossier) -> list[DossierStep]:
    template = list(dossier.procedure.steps.all())
    if not template:
        raise ValidationError(
            _("The procedure has no workflow steps; complete its catalogue entry.")
        )
    assert dossier.due_at is not None
    steps = [
        DossierStep(
            dossier=dossier,
            order=n,
            name=s.name,
            role=s.role,
            position=s.position,
            budget_days=s.budget_days,
            due_at=dossier.due_at,
        )
        for n, s in enumerate(template, start=1)
    ]
    assert dossier.clock_start
    plan_step_dues(dossier, steps, dossier.clock_start)
    return steps


def request_supplement(
    dossier: Dossier,
    *,
    actor: User,
    items: list[str],
    reason: str,
    contact: str = "",
    at: datetime | None = None,
) -> SupplementRequest:
    """Mẫu 02 before receipt: everything missing, in one request."""
    items = clean_items(items)
    at = now_or(at)
    with transition(dossier, actor, "request_supplement", reason=reason) as (d, _rule):
        request = record_supplement_request(
            d, actor, RequestStage.AT_RECEIPT, items, reason, contact, at
        )
    return request


def refuse(dossier: Dossier, *, actor: User, reasons: str, at: datetime | None = None) -> Refusal:
    """Mẫu 03: the dossier is not accepted, with the specific reasons."""
    if not reasons.strip():
        raise ValidationError(_("Give the specific reasons for the refusal."))
    at = now_or(at)
    with transition(dossier, actor, "refuse", reason=reasons) as (d, _rule):
        refusal = Refusal.objects.create(
            dossier=d,
            stage=RequestStage.AT_RECEIPT,
            reasons=reasons,
            refused_by=actor,
            refused_at=at,
        )
        log(d, EventKind.REFUSED, actor, at, note=reasons)
        notify(d, "refused", refusal=refusal)
    return refusal
