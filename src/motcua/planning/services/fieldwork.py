"""Field work: an officer files a plan, a leader approves or rejects it, the officer reports
the result by the working day after the trip (MOTCUA_FIELD_REPORT_DAYS); a plan to be on the
weekly schedule becomes a schedule item when approved."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.models import AdministrativeUnit, Neighbourhood, Role, User
from motcua.core.selectors import calendar_for, holds
from motcua.core.services import audit, outbox

from ..models import Engagement, PlaceKind, PlanStatus, WorkPlan

TRACKED = ["status", "decided_at", "report_due_at", "reported_at"]


@dataclass
class PlanData:
    purpose: str
    place_kind: str
    place: str
    starts_at: datetime
    ends_at: datetime
    neighbourhood: Neighbourhood | None = None
    companions: list[User] = field(default_factory=list)
    companions_other: str = ""
    on_schedule: bool = False


def _check(unit: AdministrativeUnit, data: PlanData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.purpose.strip():
        errors["purpose"] = [_("Say what the trip is for.")]
    if not data.place.strip() and data.neighbourhood is None:
        errors["place"] = [_("Say where you are going.")]
    if data.place_kind not in PlaceKind.values:
        errors["place_kind"] = [_("Choose where you are going.")]
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("The trip must end after it starts.")]
    if data.neighbourhood is not None and data.neighbourhood.unit_id != unit.pk:
        errors["neighbourhood"] = [_("Choose a neighbourhood of the unit.")]
    if errors:
        raise ValidationError(errors)


def file_plan(unit: AdministrativeUnit, data: PlanData, *, actor: User) -> WorkPlan:
    if not holds(actor, unit):
        raise TransitionRefused(_("Only the unit's staff file work plans."), by_role=True)
    _check(unit, data)
    with transaction.atomic():
        plan = WorkPlan.objects.create(
            unit=unit,
            officer=actor,
            purpose=data.purpose.strip(),
            place_kind=data.place_kind,
            place=data.place.strip() or (data.neighbourhood.name if data.neighbourhood else ""),
            neighbourhood=data.neighbourhood,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            companions_other=data.companions_other.strip(),
            on_schedule=data.on_schedule,
        )
        plan.companions.set(data.companions)
        audit.record(
            actor=actor,
            action="workplan.file",
            unit=unit,
            obj=plan,
            after={"place": plan.place, "from": plan.starts_at.isoformat()},
        )
    return plan


def decide(
    plan: WorkPlan, *, actor: User, approve: bool, note: str = "", at: datetime | None = None
) -> WorkPlan:
    """Only a leader decides; a rejection says why. An approved plan for the schedule goes on
    it; the officer is told either way."""
    if not holds(actor, plan.unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader approves work plans."), by_role=True)
    if not approve and not note.strip():
        raise ValidationError({"note": [_("Say why the plan is rejected.")]})
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.SUBMITTED:
            raise TransitionRefused(_("This plan has been decided already."))
        before = audit.snapshot(locked, TRACKED)
        now = at or timezone.now()
        locked.status = PlanStatus.APPROVED if approve else PlanStatus.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note.strip()
        if approve:
            locked.report_due_at = calendar_for(locked.unit).add_working_days(
                max(locked.ends_at, now), settings.MOTCUA_FIELD_REPORT_DAYS
            )
        locked.save()
        if approve and locked.on_schedule:
            Engagement.objects.create(
                unit=locked.unit,
                starts_at=locked.starts_at,
                ends_at=locked.ends_at,
                content=locked.purpose,
                host=locked.officer.get_full_name(),
                participants=_participants(locked),
                place=locked.place,
                plan=locked,
                created_by=actor,
            )
        audit.record(
            actor=actor,
            action="workplan.approve" if approve else "workplan.reject",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
            reason=note,
        )
        if locked.officer.email:
            outbox.queue(
                "workplan_decided",
                {"plan": locked, "approved": approve},
                email=locked.officer.email,
                unit=locked.unit,
                user=locked.officer,
                about=f"workplan:{locked.pk}",
            )
    plan.refresh_from_db()
    return plan


def _participants(plan: WorkPlan) -> str:
    names = [u.get_full_name() for u in plan.companions.all()]
    if plan.companions_other:
        names.append(plan.companions_other)
    return ", ".join(names)


def report(plan: WorkPlan, *, actor: User, result: str, at: datetime | None = None) -> WorkPlan:
    """The officer tells the leader what came of the trip."""
    if actor.pk != plan.officer_id:
        raise TransitionRefused(_("The officer who went reports the result."), by_role=True)
    if len(result.strip()) < 10:
        raise ValidationError(
            {"result": [_("Write what came of the trip (10 characters or more).")]}
        )
    at = at or timezone.now()
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.APPROVED:
            raise TransitionRefused(_("Only an approved plan is reported on."))
        if at < locked.starts_at:
            raise ValidationError(_("Report after the trip has started."))
        before = audit.snapshot(locked, TRACKED)
        locked.status, locked.result, locked.reported_at = PlanStatus.REPORTED, result.strip(), at
        locked.save(update_fields=["status", "result", "reported_at"])
        audit.record(
            actor=actor,
            action="workplan.report",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
        )
    plan.refresh_from_db()
    return plan


def cancel(plan: WorkPlan, *, actor: User, reason: str) -> WorkPlan:
    if actor.pk != plan.officer_id and not holds(actor, plan.unit, Role.LEADER):
        raise TransitionRefused(_("Only the officer or a leader cancels a plan."), by_role=True)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the plan is cancelled.")]})
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
            raise TransitionRefused(_("This plan can no longer be cancelled."))
        before = audit.snapshot(locked, TRACKED)
        locked.status = PlanStatus.CANCELLED
        locked.save(update_fields=["status"])
        Engagement.objects.filter(plan=locked).update(cancelled=True, changed_at=timezone.now())
        audit.record(
            actor=actor,
            action="workplan.cancel",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
            reason=reason,
        )
    plan.refresh_from_db()
    return plan
