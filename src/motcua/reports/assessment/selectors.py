"""Reads of the self-assessment: the criteria tree with the unit's scores and totals."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.figures import criteria_source
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import active_assignments

from .models import CriteriaSet, Criterion, CriterionScore, Scoring, SelfAssessment


@dataclass
class Node:
    criterion: Criterion
    score: CriterionScore | None
    children: list["Node"] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        if self.children:
            return sum((c.points for c in self.children), Decimal(0))
        return self.score.points if self.score and self.score.points is not None else Decimal(0)

    @property
    def reviewed(self) -> Decimal | None:
        if self.children:
            found = [c.reviewed for c in self.children]
            return None if any(v is None for v in found) else sum(found, Decimal(0))  # type: ignore[arg-type]
        return self.score.reviewed_points if self.score else None

    @property
    def depth_rows(self) -> list[tuple[int, "Node"]]:
        rows: list[tuple[int, Node]] = []

        def walk(node: "Node", depth: int) -> None:
            rows.append((depth, node))
            for child in node.children:
                walk(child, depth + 1)

        walk(self, 0)
        return rows


def criteria_set_for(unit: AdministrativeUnit, year: int) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(province_id=unit.parent_id, year=year).first()


def tree(criteria_set: CriteriaSet, assessment: SelfAssessment | None) -> list[Node]:
    scores = (
        {s.criterion_id: s for s in assessment.scores.prefetch_related("evidence")}
        if assessment
        else {}
    )
    nodes = {c.pk: Node(c, scores.get(c.pk)) for c in criteria_set.criteria.all()}
    roots = []
    for node in nodes.values():
        parent = node.criterion.parent_id
        (nodes[parent].children if parent in nodes else roots).append(node)
    return roots


def rows(roots: list[Node]) -> list[tuple[int, Node]]:
    return [row for root in roots for row in root.depth_rows]


def total(roots: list[Node]) -> Decimal:
    return sum((r.points for r in roots), Decimal(0))


def max_total(criteria_set: CriteriaSet) -> Decimal:
    top = criteria_set.criteria.filter(parent__isnull=True)
    return sum((c.max_points for c in top), Decimal(0))


def reviewable(user: User) -> QuerySet[SelfAssessment]:
    """Submitted and reviewed assessments of the provinces the user views."""
    provinces = active_assignments(user).filter(role=Role.PROVINCE_VIEWER).values("unit_id")
    return (
        SelfAssessment.objects.filter(criteria_set__province_id__in=provinces)
        .select_related("unit", "criteria_set")
        .order_by("unit__name")
    )


def editable_by(assessment: SelfAssessment, user: User) -> bool:
    from .services import EDITABLE

    return (
        assessment.status in EDITABLE
        and assessment.criteria_set.open_for_scoring
        and active_assignments(user)
        .filter(unit=assessment.unit, role__in=[Role.LEADER, Role.CLERK])
        .exists()
    )


MANUAL = Scoring.MANUAL


@criteria_source
def finding_criteria(unit: AdministrativeUnit) -> QuerySet[Criterion]:
    """The criteria of this year's reform self-assessment of the unit's province that an
    inspection's finding can touch (groups are headings, not criteria)."""
    year = timezone.localdate().year
    return Criterion.objects.filter(
        criteria_set__province_id=unit.parent_id, criteria_set__year=year
    ).exclude(scoring="group")
