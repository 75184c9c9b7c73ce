"""Writes of the self-assessment: opened by the unit (automatic criteria filled from the year's
figures), scored with evidence, submitted by a leader, reviewed by the province."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import periods
from motcua.core.errors import TransitionRefused
from motcua.core.figures import Share, compute, written
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import holds
from motcua.core.services import audit
from motcua.core.uploads import check_upload, stored_name

from .models import (
    AssessmentStatus,
    Criterion,
    CriterionScore,
    Evidence,
    Scoring,
    SelfAssessment,
)

CENT = Decimal("0.01")
EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


def _may_edit(assessment: SelfAssessment, actor: User) -> None:
    if not holds(actor, assessment.unit, Role.LEADER, Role.CLERK):
        raise TransitionRefused(
            _("Only the unit's leaders and office clerk score its self-assessment."), by_role=True
        )
    if assessment.status not in EDITABLE or not assessment.criteria_set.open_for_scoring:
        raise TransitionRefused(_("This self-assessment can no longer be changed."))


def open_assessment(criteria_set, unit: AdministrativeUnit, *, actor: User) -> SelfAssessment:  # type: ignore[no-untyped-def]
    if not holds(actor, unit, Role.LEADER, Role.CLERK):
        raise TransitionRefused(
            _("Only the unit's leaders and office clerk score its self-assessment."), by_role=True
        )
    if unit.parent_id != criteria_set.province_id:
        raise ValidationError(_("These criteria are for another province."))
    with transaction.atomic():
        assessment, created = SelfAssessment.objects.get_or_create(
            criteria_set=criteria_set, unit=unit
        )
        if created:
            leaves = criteria_set.criteria.exclude(scoring=Scoring.GROUP)
            CriterionScore.objects.bulk_create(
                [CriterionScore(assessment=assessment, criterion=c) for c in leaves]
            )
            audit.record(actor=actor, action="assessment.open", unit=unit, obj=assessment)
        _fill_automatic(assessment)
    return assessment


@dataclass(frozen=True)
class Automatic:
    points: Decimal | None
    measured: str


def automatic_points(criterion: Criterion, value: object) -> Automatic:
    """max × share, or the full points from ``threshold`` on; a count scores the full points
    from ``threshold`` (or one) on; not measured: no points."""
    if isinstance(value, int):
        enough = criterion.threshold if criterion.threshold is not None else 1
        return Automatic(criterion.max_points if value >= enough else Decimal(0), written(value))
    if not isinstance(value, Share) or not value.denominator:
        return Automatic(None, written(value))
    ratio = Decimal(value.numerator) / Decimal(value.denominator)
    if criterion.threshold is not None:
        points = criterion.max_points if ratio >= criterion.threshold else Decimal(0)
    else:
        points = (criterion.max_points * ratio).quantize(CENT, rounding=ROUND_HALF_UP)
    return Automatic(points, written(value))


def _fill_automatic(assessment: SelfAssessment) -> None:
    """The automatic criteria from the unit's figures over the assessed year."""
    scores = list(
        assessment.scores.filter(criterion__scoring=Scoring.AUTOMATIC).select_related("criterion")
    )
    keys = sorted({s.criterion.figure for s in scores if s.criterion.figure})
    year = periods.year(assessment.criteria_set.year)
    end = min(year.end, timezone.now())  # the year so far
    table = compute([assessment.unit_id], year.start, end, keys)
    for score in scores:
        value = (
            table.value(score.criterion.figure, assessment.unit_id)
            if score.criterion.figure
            else None
        )
        found = automatic_points(score.criterion, value)
        score.points, score.measured = found.points, found.measured
    CriterionScore.objects.bulk_update(scores, ["points", "measured"])


def refresh(assessment: SelfAssessment, *, actor: User) -> None:
    _may_edit(assessment, actor)
    with transaction.atomic():
        _fill_automatic(assessment)
        audit.record(actor=actor, action="assessment.refresh", unit=assessment.unit, obj=assessment)


def score(
    assessment: SelfAssessment,
    criterion: Criterion,
    *,
    actor: User,
    points: Decimal,
    explanation: str,
) -> CriterionScore:
    _may_edit(assessment, actor)
    if criterion.scoring != Scoring.MANUAL:
        raise ValidationError(_("This criterion is scored automatically."))
    if not (0 <= points <= criterion.max_points):
        raise ValidationError(
            {"points": [_("Give between 0 and %(max)s points.") % {"max": criterion.max_points}]}
        )
    with transaction.atomic():
        row = assessment.scores.select_for_update().get(criterion=criterion)
        before = audit.snapshot(row, ["points", "explanation"])
        row.points, row.explanation = points, explanation.strip()
        row.save(update_fields=["points", "explanation"])
        audit.record(
            actor=actor,
            action="assessment.score",
            unit=assessment.unit,
            obj=assessment,
            before=before,
            after={"criterion": criterion.code, **audit.snapshot(row, ["points", "explanation"])},
        )
    return row


def add_evidence(
    assessment: SelfAssessment, criterion: Criterion, *, actor: User, upload: UploadedFile
) -> Evidence:
    _may_edit(assessment, actor)
    check_upload(upload)
    data = upload.read()
    upload.seek(0)
    with transaction.atomic():
        row = assessment.scores.get(criterion=criterion)
        evidence = Evidence(
            score=row,
            name=(upload.name or "minh-chung")[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        evidence.file.save(stored_name(upload), upload, save=False)
        evidence.save()
        audit.record(
            actor=actor,
            action="assessment.evidence",
            unit=assessment.unit,
            obj=assessment,
            after={"criterion": criterion.code, "file": evidence.name, "sha256": evidence.sha256},
        )
    return evidence


def submit(assessment: SelfAssessment, *, actor: User) -> SelfAssessment:
    """A leader sends it to the province once every manual criterion is scored and evidenced."""
    if not holds(actor, assessment.unit, Role.LEADER):
        raise TransitionRefused(_("Only a leader submits the self-assessment."), by_role=True)
    _may_edit(assessment, actor)
    missing = []
    for row in assessment.scores.select_related("criterion").prefetch_related("evidence"):
        criterion = row.criterion
        if criterion.scoring != Scoring.MANUAL:
            continue
        if row.points is None or (criterion.evidence_required and not row.evidence.all()):
            missing.append(criterion.code)
    if missing:
        raise ValidationError(
            _("Score and attach evidence to criteria %(codes)s before submitting.")
            % {"codes": ", ".join(missing)}
        )
    with transaction.atomic():
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at, assessment.submitted_by = timezone.now(), actor
        assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
        audit.record(actor=actor, action="assessment.submit", unit=assessment.unit, obj=assessment)
    return assessment


def review(
    assessment: SelfAssessment,
    *,
    actor: User,
    points: dict[int, tuple[Decimal | None, str]],
    accept: bool,
    note: str = "",
) -> SelfAssessment:
    """The province's viewer sets each criterion's points after review, then accepts the
    assessment or returns it to the unit with the reason."""
    province = assessment.criteria_set.province
    if not holds(actor, province, Role.PROVINCE_VIEWER):
        raise TransitionRefused(_("Only the province reviews self-assessments."), by_role=True)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise TransitionRefused(_("Only a submitted self-assessment is reviewed."))
    if not accept and not note.strip():
        raise ValidationError({"note": [_("Say what the unit must correct.")]})
    with transaction.atomic():
        for row in assessment.scores.select_related("criterion"):
            given, remark = points.get(row.criterion_id, (row.points, ""))
            if given is not None and not (0 <= given <= row.criterion.max_points):
                raise ValidationError(
                    _("%(code)s: give between 0 and %(max)s points.")
                    % {"code": row.criterion.code, "max": row.criterion.max_points}
                )
            row.reviewed_points, row.review_note = given, remark.strip()
            row.save(update_fields=["reviewed_points", "review_note"])
        assessment.status = AssessmentStatus.REVIEWED if accept else AssessmentStatus.RETURNED
        assessment.reviewed_at, assessment.reviewed_by = timezone.now(), actor
        assessment.review_note = note.strip()
        assessment.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
        audit.record(
            actor=actor,
            action="assessment.review" if accept else "assessment.return",
            unit=assessment.unit,
            obj=assessment,
            after={"status": assessment.status},
            reason=note,
        )
    return assessment


def today() -> date:
    return timezone.localdate()
