from .fieldwork import PlaceKind, PlanStatus, WorkPlan
from .initiatives import (
    CONDUCT_ITEMS,
    ActivityKind,
    Complaint,
    CouncilOpinion,
    DeskInspection,
    Initiative,
    InitiativeStatus,
    PropagandaActivity,
)
from .inspections import (
    Directive,
    Finding,
    Inspection,
    RemediationTask,
    TaskEvidence,
    TaskStatus,
)
from .schedule import Engagement, SchedulePublication

__all__ = [
    "CONDUCT_ITEMS",
    "ActivityKind",
    "Complaint",
    "CouncilOpinion",
    "DeskInspection",
    "Directive",
    "Engagement",
    "Finding",
    "Initiative",
    "InitiativeStatus",
    "Inspection",
    "PlaceKind",
    "PlanStatus",
    "PropagandaActivity",
    "RemediationTask",
    "SchedulePublication",
    "TaskEvidence",
    "TaskStatus",
    "WorkPlan",
]
