"""Transfer, step-by-step handling along the workflow template, approval and the result."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.core.models import Role, User
from motcua.core.selectors import active_assignments, has_role
from motcua.core.uploads import check_upload, stored_name

from ..deadlines import calendar_of, dossier_due, judge, plan_step_dues, supplement_deadline
from ..models import (
    Dossier,
    DossierStep,
    EventKind,
    Outcome,
    Refusal,
    RequestStage,
    Status,
    SupplementRequest,
)
from ..workflow import TransitionRefused
from .common import log, notify, now_or, transition
from .supplements import clean_items, record_supplement_request

WORK_KINDS = {EventKind.APPRAISED, EventKind.VERIFIED, EventKind.CONSULTED}


def _steps(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.order_by("order"))


def _check_handler(dossier: Dossier, step: DossierStep, user: User) -> None:
    """``user`` holds the role (and position) the step asks for, in the dossier's unit."""
    held = active_assignments(user).filter(unit_id=dossier.unit_id, role=step.role)
    if step.position:
        held = held.filter(position=step.position)
    if not held.exists():
        raise ValidationError(
            _("%(user)s cannot take the step “%(step)s” in %(unit)s.")
            % {"user": user.get_full_name(), "step": step.name, "unit": dossier.unit.name}
        )


def _check_actor(dossier: Dossier, actor: User) -> None:
    """The assignee acts on the current step; a leader of the unit may act for anyone."""
    assignee = dossier.assignee
    if assignee is None or assignee.pk == actor.pk or has_role(actor, dossier.unit, Role.LEADER):
        return
    raise TransitionRefused(
        _("This dossier is assigned to %(user)s.") % {"user": assignee.get_full_name()},
        by_role=True,
    )


def _advance(
    d: Dossier,
    actor: User,
    at: datetime,
    kind: str,
    *,
    to_user: User | None,
    note: str = "",
    jump_to_last: bool = False,
) -> DossierStep:
    """Finish the current step (judged against its due time) and start the next one."""
    steps = _steps(d)
    current = next(s for s in steps if s.pk == d.current_step_id)
    if current is steps[-1]:
        raise TransitionRefused(_("This is the last step: return the result to the applicant."))
    following = steps[-1] if jump_to_last else steps[steps.index(current) + 1]
    if to_user is not None:
        _check_handler(d, following, to_user)
    current.finished_at, current.finished_by = at, actor
    current.timeliness = judge(at, current.due_at)
    current.save(update_fields=["finished_at", "finished_by", "timeliness"])
    following.started_at, following.assignee = at, to_user
    following.save(update_fields=["started_at", "assignee"])
    d.current_step, d.assignee = following, to_user
    if following is steps[-1]:
        d.status = Status.RESULT_READY
        notify(d, "result_ready")
    log(
        d,
        kind,
        actor,
        at,
        step=current,
        to_user=to_user,
        to_role=following.role,
        timeliness=current.timeliness,
        note=note,
    )
    return following


def transfer(
    dossier: Dossier, *, actor: User, to_user: User | None = None, at: datetime | None = None
) -> Dossier:
    """From the desk to the first handling step (paper: same day, or early next day)."""
    at = now_or(at)
    with transition(dossier, actor, "transfer") as (d, _rule):
        _advance(d, actor, at, EventKind.TRANSFERRED, to_user=to_user)
    return dossier


def assign(dossier: Dossier, *, actor: User, to_user: User, at: datetime | None = None) -> Dossier:
    at = now_or(at)
    with transition(dossier, actor, "assign") as (d, _rule):
        step = d.current_step
        assert step is not None
        _check_handler(d, step, to_user)
        step.assignee = to_user
        step.save(update_fields=["assignee"])
        d.assignee = to_user
        log(d, EventKind.ASSIGNED, actor, at, step=step, to_user=to_user)
    return dossier


def record_work(
    dossier: Dossier,
    *,
    actor: User,
    kind: str,
    note: str,
    to_unit: str = "",
    at: datetime | None = None,
) -> Dossier:
    """Appraisal, verification or consultation of another unit, noted on the control sheet."""
    if kind not in WORK_KINDS:
        raise ValidationError(_("Unknown kind of work."))
    if kind == EventKind.CONSULTED and not to_unit.strip():
        raise ValidationError(_("Name the unit consulted."))
    at = now_or(at)
    with transition(dossier, actor, "record_work") as (d, _rule):
        _check_actor(d, actor)
        log(d, kind, actor, at, step=d.current_step, to_unit=to_unit, note=note)
    return dossier


def hand_over(
    dossier: Dossier,
    *,
    actor: User,
    to_user: User | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Dossier:
    at = now_or(at)
    with transition(dossier, actor, "hand_over") as (d, _rule):
        _check_actor(d, actor)
        if d.current_step and d.current_step.role == Role.LEADER:
            raise TransitionRefused(_("A leader's step ends with approval, not a hand-over."))
        _advance(d, actor, at, EventKind.HANDED_OVER, to_user=to_user, note=note)
    return dossier


def approve(
    dossier: Dossier,
    *,
    actor: User,
    to_user: User | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Dossier:
    at = now_or(at)
    with transition(dossier, actor, "approve") as (d, _rule):
        if not d.current_step or d.current_step.role != Role.LEADER:
            raise TransitionRefused(_("The dossier is not at a leader's step."))
        d.outcome, d.approved_by, d.approved_at = Outcome.GRANTED, actor, at
        _advance(d, actor, at, EventKind.APPROVED, to_user=to_user, note=note)
    return dossier


def request_supplement_in_appraisal(
    dossier: Dossier,
    *,
    actor: User,
    items: list[str],
    reason: str,
    contact: str = "",
    at: datetime | None = None,
) -> SupplementRequest:
    """Only within the window after receipt (3 working days); the clock stops until it comes."""
    items = clean_items(items)
    at = now_or(at)
    with transition(dossier, actor, "request_supplement_in_appraisal", reason=reason) as (d, _r):
        _check_actor(d, actor)
        if d.supplements.filter(stage=RequestStage.IN_APPRAISAL).exists():
            raise TransitionRefused(_("A supplement was already requested during appraisal."))
        if at > supplement_deadline(d):
            raise TransitionRefused(
                _("A supplement may be requested only within %(n)d working days of receipt.")
                % {"n": settings.MOTCUA_SUPPLEMENT_WINDOW_DAYS}
            )
        request = record_supplement_request(
            d, actor, RequestStage.IN_APPRAISAL, items, reason, contact, at
        )
    return request


def receive_supplement(dossier: Dossier, *, actor: User, at: datetime | None = None) -> Dossier:
    """The complete dossier is back: the processing time starts again from zero."""
    at = now_or(at)
    with transition(dossier, actor, "receive_supplement") as (d, _rule):
        d.supplements.filter(fulfilled_at__isnull=True).update(fulfilled_at=at)
        d.clock_start = calendar_of(d).clock_start(at, d.unit.receipt_cutoff)
        d.due_at = dossier_due(d, d.clock_start)
        steps = _steps(d)
        plan_step_dues(d, steps, d.clock_start)
        for step in steps:
            if step.finished_at is None:
                step.save(update_fields=["due_at"])
        log(d, EventKind.SUPPLEMENT_RECEIVED, actor, at, step=d.current_step)
    return dossier


def refuse_after_appraisal(
    dossier: Dossier, *, actor: User, reasons: str, at: datetime | None = None
) -> Refusal:
    """A reasoned refusal: it becomes the result the desk returns."""
    if not reasons.strip():
        raise ValidationError(_("Give the specific reasons for the refusal."))
    at = now_or(at)
    with transition(dossier, actor, "refuse_after_appraisal", reason=reasons) as (d, _rule):
        _check_actor(d, actor)
        refusal = Refusal.objects.create(
            dossier=d,
            stage=RequestStage.IN_APPRAISAL,
            reasons=reasons,
            refused_by=actor,
            refused_at=at,
        )
        d.outcome, d.result_note = Outcome.REFUSED, reasons
        _advance(d, actor, at, EventKind.REFUSED, to_user=None, note=reasons, jump_to_last=True)
    return refusal


def attach_result(
    dossier: Dossier,
    *,
    actor: User,
    file: UploadedFile | None = None,
    paper: bool = False,
    note: str = "",
    at: datetime | None = None,
) -> Dossier:
    if file is None and not paper:
        raise ValidationError(_("Attach the result file, or mark that the result is on paper."))
    if file is not None:
        check_upload(file)
    at = now_or(at)
    with transition(dossier, actor, "attach_result") as (d, _rule):
        if file is not None:
            d.result_file.save(stored_name(file), file, save=False)
        d.result_paper = d.result_paper or paper
        d.result_note = note or d.result_note
        log(d, EventKind.RESULT_ATTACHED, actor, at, step=d.current_step, note=note)
    return dossier
