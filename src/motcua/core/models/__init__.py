from .audit import AuditEvent
from .calendar import CalendarOverride, OverrideKind
from .numbering import Counter
from .units import AdministrativeUnit, Neighbourhood, NeighbourhoodKind, UnitKind
from .users import Position, Role, RoleAssignment, Sex, User

__all__ = [
    "AdministrativeUnit",
    "AuditEvent",
    "CalendarOverride",
    "Counter",
    "Neighbourhood",
    "NeighbourhoodKind",
    "OverrideKind",
    "Position",
    "Role",
    "RoleAssignment",
    "Sex",
    "UnitKind",
    "User",
]
