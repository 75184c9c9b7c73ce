"""Initiatives (submitted, reviewed by a council, recognised, applied and measured), propaganda
activities, and the desk's conduct: "4 xin, 4 luôn" checks and complaints about officers."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import holds
from motcua.core.services import audit
from motcua.core.uploads import check_upload, stored_name

from ..models import (
    CONDUCT_ITEMS,
    ActivityKind,
    Complaint,
    CouncilOpinion,
    DeskInspection,
    Initiative,
    InitiativeStatus,
    PropagandaActivity,
)


def submit_initiative(
    unit: AdministrativeUnit,
    *,
    actor: User,
    title: str,
    problem: str,
    solution: str,
    expected_effect: str,
    co_authors: list[User] | None = None,
    council: list[User] | None = None,
) -> Initiative:
    if not holds(actor, unit):
        raise TransitionRefused(_("Only the unit's staff submit initiatives."), by_role=True)
    errors = {
        name: [_("This field is required.")]
        for name, value in (
            ("title", title),
            ("problem", problem),
            ("solution", solution),
            ("expected_effect", expected_effect),
        )
        if not value.strip()
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            unit=unit,
            title=title.strip(),
            problem=problem.strip(),
            solution=solution.strip(),
            expected_effect=expected_effect.strip(),
            submitted_at=timezone.now(),
        )
        initiative.authors.set([actor, *(co_authors or [])])
        initiative.council.set(council or [])
        audit.record(actor=actor, action="initiative.submit", unit=unit, obj=initiative)
    return initiative


def give_opinion(
    initiative: Initiative, *, actor: User, in_favour: bool, comment: str = ""
) -> CouncilOpinion:
    if not initiative.council.filter(pk=actor.pk).exists():
        raise TransitionRefused(_("Only a member of the council gives an opinion."), by_role=True)
    if initiative.status != InitiativeStatus.SUBMITTED:
        raise TransitionRefused(_("The council has concluded already."))
    with transaction.atomic():
        opinion, _created = CouncilOpinion.objects.update_or_create(
            initiative=initiative,
            member=actor,
            defaults={"in_favour": in_favour, "comment": comment.strip()},
        )
        audit.record(
            actor=actor,
            action="initiative.opinion",
            unit=initiative.unit,
            obj=initiative,
            after={"in_favour": in_favour},
        )
    return opinion


def decide_initiative(
    initiative: Initiative, *, actor: User, recognise: bool, conclusion: str
) -> Initiative:
    """A leader concludes for the council, once every member has given an opinion."""
    if not holds(actor, initiative.unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader concludes on an initiative."), by_role=True)
    if initiative.status != InitiativeStatus.SUBMITTED:
        raise TransitionRefused(_("The council has concluded already."))
    members = set(initiative.council.values_list("pk", flat=True))
    heard = set(initiative.opinions.values_list("member_id", flat=True))
    if not members or members - heard:
        raise ValidationError(_("Every member of the council gives an opinion first."))
    if not conclusion.strip():
        raise ValidationError({"conclusion": [_("Write the council's conclusion.")]})
    with transaction.atomic():
        initiative.status = (
            InitiativeStatus.RECOGNISED if recognise else InitiativeStatus.NOT_RECOGNISED
        )
        initiative.decided_at, initiative.decided_by = timezone.now(), actor
        initiative.decision_note = conclusion.strip()
        initiative.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit.record(
            actor=actor,
            action="initiative.decide",
            unit=initiative.unit,
            obj=initiative,
            after={"status": initiative.status},
            reason=conclusion,
        )
    return initiative


def record_application(
    initiative: Initiative, *, actor: User, applied_from: date, measured_effect: str
) -> Initiative:
    """Where and since when a recognised initiative is applied, and its measured effect."""
    authors = initiative.authors.filter(pk=actor.pk).exists()
    if not authors and not holds(actor, initiative.unit, Role.LEADER):
        raise TransitionRefused(_("An author or a leader records the application."), by_role=True)
    if initiative.status != InitiativeStatus.RECOGNISED:
        raise TransitionRefused(_("Only a recognised initiative is applied."))
    if not measured_effect.strip():
        raise ValidationError({"measured_effect": [_("Describe the effect measured.")]})
    with transaction.atomic():
        initiative.applied_from, initiative.measured_effect = applied_from, measured_effect.strip()
        initiative.save(update_fields=["applied_from", "measured_effect"])
        audit.record(actor=actor, action="initiative.apply", unit=initiative.unit, obj=initiative)
    return initiative


def record_activity(
    unit: AdministrativeUnit,
    *,
    actor: User,
    kind: str,
    title: str,
    held_on: date,
    audience: str = "",
    reached: int | None = None,
    evidence: UploadedFile | None = None,
    link: str = "",
) -> PropagandaActivity:
    if not holds(actor, unit):
        raise TransitionRefused(_("Only the unit's staff record its activities."), by_role=True)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": [_("Choose the kind of activity.")]})
    if not title.strip():
        raise ValidationError({"title": [_("Say what the activity was about.")]})
    if evidence is not None:
        check_upload(evidence)
    with transaction.atomic():
        activity = PropagandaActivity(
            unit=unit,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            audience=audience.strip(),
            reached=reached,
            link=link.strip(),
            recorded_by=actor,
        )
        if evidence is not None:
            activity.evidence.save(stored_name(evidence), evidence, save=False)
        activity.save()
        audit.record(actor=actor, action="propaganda.record", unit=unit, obj=activity)
    return activity


def record_desk_check(
    unit: AdministrativeUnit,
    *,
    actor: User,
    officer: User,
    inspected_on: date,
    met: set[str],
    note: str = "",
) -> DeskInspection:
    """A leader or the office clerk checks a desk officer's conduct, item by item."""
    if not holds(actor, unit, Role.LEADER, Role.CLERK):
        raise TransitionRefused(
            _("Only a leader or the office clerk checks the desk."), by_role=True
        )
    if not holds(officer, unit, Role.DESK_OFFICER):
        raise ValidationError({"officer": [_("Choose a desk officer of the unit.")]})
    keys = {key for key, _label in CONDUCT_ITEMS}
    if met - keys:
        raise ValidationError(_("Unknown conduct item."))
    with transaction.atomic():
        check = DeskInspection.objects.create(
            unit=unit,
            officer=officer,
            inspector=actor,
            inspected_on=inspected_on,
            items={key: key in met for key in keys},
            note=note.strip(),
        )
        audit.record(
            actor=actor,
            action="conduct.check",
            unit=unit,
            obj=check,
            after={"met": len(met), "of": len(keys)},
        )
    return check


def record_complaint(
    unit: AdministrativeUnit,
    *,
    actor: User,
    officer: User,
    received_on: date,
    content: str,
    feedback: Any = None,  # the website feedback (motcua.site) it came from
) -> Complaint:
    if not holds(actor, unit, Role.LEADER, Role.CLERK):
        raise TransitionRefused(
            _("Only a leader or the office clerk records complaints."), by_role=True
        )
    if not holds(officer, unit):
        raise ValidationError({"officer": [_("Choose an officer of the unit.")]})
    if not content.strip():
        raise ValidationError({"content": [_("Write what the citizen complains of.")]})
    with transaction.atomic():
        complaint = Complaint.objects.create(
            unit=unit,
            officer=officer,
            received_on=received_on,
            content=content.strip(),
            feedback=feedback,
        )
        audit.record(actor=actor, action="complaint.record", unit=unit, obj=complaint)
    return complaint


def settle_complaint(
    complaint: Complaint, *, actor: User, substantiated: bool, resolution: str
) -> Complaint:
    """A leader decides whether the complaint is founded; a founded one counts in the officer's
    evaluation (indicator 7 of Thông tư 01/2018)."""
    if not holds(actor, complaint.unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader settles a complaint."), by_role=True)
    if not resolution.strip():
        raise ValidationError({"resolution": [_("Write how the complaint was settled.")]})
    with transaction.atomic():
        complaint.substantiated, complaint.resolution = substantiated, resolution.strip()
        complaint.decided_by = actor
        complaint.save(update_fields=["substantiated", "resolution", "decided_by"])
        audit.record(
            actor=actor,
            action="complaint.settle",
            unit=complaint.unit,
            obj=complaint,
            after={"substantiated": substantiated},
        )
    return complaint
