from .audit import AuditEvent
from .calendar import CalendarOverride, OverrideKind
from .numbering import Counter
from .outbox import ORDERED_CHANNELS, OutboxChannel, OutboxMessage, OutboxStatus
from .periodic import PeriodicRun
from .summaries import FigureChange, FigureSummary
from .units import AdministrativeUnit, Neighbourhood, NeighbourhoodKind, UnitKind
from .users import Position, Role, RoleAssignment, Sex, User

__all__ = [
    "ORDERED_CHANNELS",
    "AdministrativeUnit",
    "AuditEvent",
    "CalendarOverride",
    "Counter",
    "FigureChange",
    "FigureSummary",
    "Neighbourhood",
    "NeighbourhoodKind",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxStatus",
    "OverrideKind",
    "PeriodicRun",
    "Position",
    "Role",
    "RoleAssignment",
    "Sex",
    "UnitKind",
    "User",
]
