"""Inspections, their findings and the remediation tasks; a leader's directive spawns tasks
the same way. Overdue tasks are escalated to the unit's leaders by a periodic job."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.figures import criteria_for
from motcua.core.models import AdministrativeUnit, Role, RoleAssignment, User
from motcua.core.selectors import holds
from motcua.core.services import audit, outbox
from motcua.core.uploads import check_upload, stored_name

from ..models import (
    Directive,
    Finding,
    Inspection,
    RemediationTask,
    TaskEvidence,
    TaskStatus,
)

if TYPE_CHECKING:
    from motcua.documents.models import OutgoingDocument

ORGANISERS = (Role.LEADER, Role.CLERK)


def _organiser(unit: AdministrativeUnit, actor: User) -> None:
    if not holds(actor, unit, *ORGANISERS):
        raise TransitionRefused(
            _("Only a leader or the office clerk organises inspections and tasks."), by_role=True
        )


def plan_inspection(
    unit: AdministrativeUnit,
    *,
    actor: User,
    title: str,
    scope: str,
    starts_on: date,
    ends_on: date,
    team: list[User],
    team_other: str = "",
) -> Inspection:
    _organiser(unit, actor)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the inspection a title.")]
    if not scope.strip():
        errors["scope"] = [_("Say what is inspected.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The inspection must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            unit=unit,
            title=title.strip(),
            scope=scope.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            team_other=team_other.strip(),
            created_by=actor,
        )
        inspection.team.set(team)
        audit.record(actor=actor, action="inspection.plan", unit=unit, obj=inspection)
    return inspection


def _criterion_of(unit: AdministrativeUnit, criterion: Any) -> bool:
    """The criterion is one that the unit's findings may bear on (motcua.core.figures)."""
    allowed = criteria_for(unit)
    return allowed is not None and allowed.filter(pk=criterion.pk).exists()


def record_finding(
    inspection: Inspection,
    *,
    actor: User,
    shortcoming: str,
    criterion: Any = None,  # a self-assessment criterion, referred to by the foreign key
    evidence: UploadedFile | None = None,
) -> Finding:
    member = inspection.team.filter(pk=actor.pk).exists()
    if not member and not holds(actor, inspection.unit, *ORGANISERS):
        raise TransitionRefused(_("Only the inspection team records findings."), by_role=True)
    if inspection.closed_at is not None:
        raise TransitionRefused(_("This inspection is closed."))
    if not shortcoming.strip():
        raise ValidationError({"shortcoming": [_("Describe the shortcoming found.")]})
    if criterion is not None and not _criterion_of(inspection.unit, criterion):
        raise ValidationError({"criterion": [_("Choose a criterion of the unit's province.")]})
    if evidence is not None:
        check_upload(evidence)
    with transaction.atomic():
        finding = Finding(
            inspection=inspection,
            shortcoming=shortcoming.strip(),
            criterion=criterion,
            created_by=actor,
        )
        if evidence is not None:
            finding.evidence.save(stored_name(evidence), evidence, save=False)
        finding.save()
        audit.record(
            actor=actor,
            action="inspection.finding",
            unit=inspection.unit,
            obj=inspection,
            after={"finding": finding.shortcoming[:200]},
        )
    return finding


@dataclass
class TaskData:
    title: str
    owner: User
    deadline: datetime


def assign_task(
    unit: AdministrativeUnit,
    data: TaskData,
    *,
    actor: User,
    finding: Finding | None = None,
    directive: Directive | None = None,
    at: datetime | None = None,
) -> RemediationTask:
    """A task for a finding or a directive point, given now (or ``at``); the owner is told."""
    _organiser(unit, actor)
    at = at or timezone.now()
    if not data.title.strip():
        raise ValidationError({"title": [_("Say what is to be done.")]})
    if not holds(data.owner, unit):
        raise ValidationError({"owner": [_("The owner must work in the unit.")]})
    if data.deadline <= at:
        raise ValidationError({"deadline": [_("The deadline must be in the future.")]})
    with transaction.atomic():
        task = RemediationTask.objects.create(
            unit=unit,
            finding=finding,
            directive=directive,
            title=data.title.strip(),
            owner=data.owner,
            deadline=data.deadline,
            created_by=actor,
            created_at=at,
        )
        audit.record(
            actor=actor,
            action="task.assign",
            unit=unit,
            obj=task,
            after={"owner": data.owner.get_full_name(), "deadline": data.deadline.isoformat()},
        )
        if data.owner.email:
            outbox.queue(
                "task_assigned",
                {"task": task},
                email=data.owner.email,
                unit=unit,
                user=data.owner,
                about=f"task:{task.pk}",
                sent_by=actor,
            )
    return task


def record_directive(
    unit: AdministrativeUnit,
    *,
    actor: User,
    title: str,
    issued_on: date,
    tasks: list[TaskData],
    reference: str = "",
    text: str = "",
    document: "OutgoingDocument | None" = None,
) -> Directive:
    """A leader's directive and the tasks it gives, in one go."""
    if not holds(actor, unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader records a directive."), by_role=True)
    if not title.strip():
        raise ValidationError({"title": [_("Give the directive a title.")]})
    for name, value, limit in (("title", title, 300), ("reference", reference, 100)):
        if len(value.strip()) > limit:
            message = _("At most %(limit)s characters; you entered %(length)s.")
            raise ValidationError({name: [message % {"limit": limit, "length": len(value)}]})
    if not tasks:
        raise ValidationError({"tasks": [_("List at least one task the directive gives.")]})
    with transaction.atomic():
        directive = Directive.objects.create(
            unit=unit,
            reference=reference.strip(),
            issued_on=issued_on,
            title=title.strip(),
            text=text.strip(),
            leader=actor,
            document=document,
        )
        audit.record(actor=actor, action="directive.record", unit=unit, obj=directive)
        for data in tasks:
            assign_task(unit, data, actor=actor, directive=directive)
    return directive


def complete(
    task: RemediationTask,
    *,
    actor: User,
    note: str,
    evidence: list[UploadedFile],
    at: datetime | None = None,
) -> RemediationTask:
    """The owner closes the task with what was done and at least one piece of evidence."""
    if actor.pk != task.owner_id:
        raise TransitionRefused(_("The task's owner closes it."), by_role=True)
    if len(note.strip()) < 10:
        raise ValidationError({"note": [_("Write what was done (10 characters or more).")]})
    if not evidence:
        raise ValidationError({"evidence": [_("Attach the evidence of completion.")]})
    for upload in evidence:
        check_upload(upload)
    at = at or timezone.now()
    with transaction.atomic():
        locked = RemediationTask.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.OPEN:
            raise TransitionRefused(_("This task is closed already."))
        for upload in evidence:
            data = upload.read()
            upload.seek(0)
            row = TaskEvidence(
                task=locked,
                name=(upload.name or "minh-chung")[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
            )
            row.file.save(stored_name(upload), upload, save=False)
            row.save()
        locked.status, locked.completed_at, locked.completion_note = (
            TaskStatus.DONE,
            at,
            note.strip(),
        )
        locked.save(update_fields=["status", "completed_at", "completion_note"])
        audit.record(
            actor=actor,
            action="task.complete",
            unit=locked.unit,
            obj=locked,
            after={
                "on_time": locked.completed_at <= locked.deadline,
                "evidence": [u.name for u in evidence],
            },
        )
    task.refresh_from_db()
    return task


def leaders_of(unit: AdministrativeUnit) -> list[User]:
    held = RoleAssignment.objects.filter(unit=unit, role=Role.LEADER, is_active=True)
    return list(User.objects.filter(pk__in=held.values("user_id")).order_by("pk"))


def escalate_overdue(now: datetime | None = None) -> int:
    """Every open task past its deadline, once: marked and e-mailed to the unit's leaders."""
    now = now or timezone.now()
    late = RemediationTask.objects.filter(
        status=TaskStatus.OPEN, deadline__lt=now, escalated_at__isnull=True
    ).select_related("unit", "owner")
    count = 0
    for task in late:
        with transaction.atomic():
            claimed = RemediationTask.objects.filter(pk=task.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue  # another worker escalated it
            audit.record(
                actor=None,
                action="task.escalate",
                unit=task.unit,
                obj=task,
                after={"deadline": task.deadline.isoformat()},
            )
            for leader in leaders_of(task.unit):
                if leader.email:
                    outbox.queue(
                        "task_overdue",
                        {"task": task, "leader": leader},
                        email=leader.email,
                        unit=task.unit,
                        user=leader,
                        about=f"task:{task.pk}",
                    )
            count += 1
    return count


def close_inspection(inspection: Inspection, *, actor: User) -> Inspection:
    if not holds(actor, inspection.unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader closes an inspection."), by_role=True)
    with transaction.atomic():
        inspection.closed_at = timezone.now()
        inspection.save(update_fields=["closed_at"])
        audit.record(actor=actor, action="inspection.close", unit=inspection.unit, obj=inspection)
    return inspection
