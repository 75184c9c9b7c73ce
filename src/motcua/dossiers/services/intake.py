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
from motcua.core.services import audit, outbox
from motcua.core.services.numbering import Book, next_numbers
from motcua.core.uploads import check_upload, sha256_of, stored_name
from motcua.procedures.models import Procedure, RequiredPaper
from motcua.procedures.selectors import parts_of

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
from ..workflow import guard
from .common import TRACKED, changed, hold, log, notify, now_or, transition
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
    fees = parts_of(procedure).fees
    return fees[0].amount if fees else 0


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
    dossier = _new_dossier(actor, unit, procedure, channel, applicant, papers, sets, fee_due)
    dossier.save()
    _add_papers(dossier, papers)
    audit.record(
        actor=actor,
        action="dossier.start",
        unit=unit,
        obj=dossier,
        after=audit.snapshot(dossier, TRACKED),
    )
    return dossier


def receive_new(
    *,
    actor: User,
    unit: AdministrativeUnit,
    procedure: Procedure,
    channel: str,
    applicant: Applicant,
    papers: list[PaperIn],
    sets: int = 1,
    fee_due: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Start and receive at once (the counter's walk-in, the API's create with ``receive``):
    the rules, audit events (``dossier.start``, ``dossier.receive``), numbers and messages of
    ``start_dossier`` followed by ``receive``, with the dossier written in its received state
    and every number issued in one statement."""
    at = now_or(at)
    with transaction.atomic():
        d = _new_dossier(actor, unit, procedure, channel, applicant, papers, sets, fee_due)
        rule = guard("receive", d, actor)
        started = audit.snapshot(d, TRACKED)
        steps = _plan_receipt(d, actor, at)
        numbers = _issue_numbers(d, at, audit_events=2)
        assert rule.target  # receiving changes the status
        d.status = rule.target
        d.save()
        _add_papers(d, papers)
        for step in steps:
            step.dossier = d
        DossierStep.objects.bulk_create(steps)  # ids come back (PostgreSQL, SQLite ≥ 3.35)
        d.current_step = steps[0]
        d.save(update_fields=["current_step"])
        event = log(d, EventKind.RECEIVED, actor, at, step=d.current_step)
        received = audit.snapshot(d, TRACKED)
        audit.write(unit, numbers[audit.book(unit).key], [
            audit.Entry(actor, "dossier.start", d, after=started),
            audit.Entry(actor, "dossier.receive", d, before=started, after=received),
        ])  # fmt: skip
        with outbox.batch():  # the applicant's messages and the portals' in one INSERT
            notify(d, "received")
            changed(d, "receive", actor)
    hold(d, steps=steps, events=[event])  # what a caller shows next, without reading it back
    if d.is_electronic:  # e-dossiers go to the handler at once
        from .handling import transfer

        transfer(d, actor=actor, at=at)
    return d


def _new_dossier(
    actor: User,
    unit: AdministrativeUnit,
    procedure: Procedure,
    channel: str,
    applicant: Applicant,
    papers: list[PaperIn],
    sets: int,
    fee_due: int | None,
) -> Dossier:
    """The checked, unsaved dossier (the scans are checked before anything is written)."""
    if not has_role(actor, unit, Role.DESK_OFFICER):
        raise ValidationError(_("Only a desk officer of this unit can take in dossiers."))
    check_published(procedure, unit)
    for paper in papers:
        if paper.scan is not None:
            check_upload(paper.scan)
    dossier = Dossier(
        unit=unit,
        procedure=procedure,
        channel=channel,
        created_by=actor,
        sets=sets,
        status=Status.DRAFT if channel == Channel.DESK else Status.PENDING,
        fee_due=default_fee(procedure) if fee_due is None else fee_due,
        **applicant.dossier_fields(),
    )
    # The unit, procedure and actor are rows we hold: no need to query that they exist.
    dossier.full_clean(exclude=["code", "unit", "procedure", "created_by"])
    return dossier


def _add_papers(dossier: Dossier, papers: list[PaperIn]) -> None:
    rows = []
    for paper in papers:
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
        rows.append(row)
    DossierPaper.objects.bulk_create(rows)


def dossier_code(unit: AdministrativeUnit, at: datetime, number: int) -> str:
    """<unit identifier code>-YYMMDD-NNNN: the day's 4-digit sequence (TT 01/2018 Điều 19)."""
    return f"{unit.identifier_code}-{at.astimezone(VN_TZ):%y%m%d}-{number:04d}"


def _issue_numbers(d: Dossier, at: datetime, *, audit_events: int = 0) -> dict[str, int]:
    """The day's dossier number and the year's ledger line (and, when asked, the audit seqs,
    last: every path locks the audit counter after its own books), set on ``d``."""
    if not d.unit.identifier_code:
        raise ValidationError(
            _(
                "%(unit)s has no identifier code for document exchange; an administrator must "
                "enter it before dossiers can be received."
            )
            % {"unit": d.unit.name}
        )
    local = at.astimezone(VN_TZ)
    books = [Book(d.unit, DOSSIER_BOOK, local.date().isoformat()), Book(d.unit, LEDGER_BOOK,
             str(local.year))]  # fmt: skip
    if audit_events:
        books.append(audit.book(d.unit, audit_events))
    numbers = next_numbers(books)
    d.code = dossier_code(d.unit, at, numbers[books[0].key])
    d.ledger_year, d.ledger_line = local.year, numbers[books[1].key]
    return numbers


def _plan_receipt(d: Dossier, actor: User, at: datetime) -> list[DossierStep]:
    """Receipt time, clock start, due date and the unsaved steps, the first one started."""
    d.received_at = at
    d.clock_start = calendar_of(d).clock_start(at, d.unit.receipt_cutoff)
    d.due_at = dossier_due(d, d.clock_start)
    steps = _instantiate_steps(d)
    if not d.is_electronic:
        steps[0].due_at = transfer_due(d)
    steps[0].assignee, steps[0].started_at = actor, at
    d.assignee = actor
    return steps


def receive(dossier: Dossier, *, actor: User, at: datetime | None = None) -> Dossier:
    """Issue the code, the ledger line and the due date (Mẫu 01); plan the steps."""
    at = now_or(at)
    with transition(dossier, actor, "receive") as (d, _rule):
        steps = _plan_receipt(d, actor, at)
        DossierStep.objects.bulk_create(steps)  # ids come back (PostgreSQL, SQLite ≥ 3.35)
        d.current_step = steps[0]
        SupplementRequest.objects.filter(dossier=d, fulfilled_at__isnull=True).update(
            fulfilled_at=at
        )
        log(d, EventKind.RECEIVED, actor, at, step=d.current_step)
        # The unit's numbers last: their counter rows stay locked until commit, so other
        # receipts at the same desk wait only for what little is left to do.
        _issue_numbers(d, at)
        notify(d, "received")
    if dossier.is_electronic:  # e-dossiers go to the handler at once
        from .handling import transfer

        transfer(dossier, actor=actor, at=at)
    return dossier


def _instantiate_steps(dossier: Dossier) -> list[DossierStep]:
    template = parts_of(dossier.procedure).steps
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
