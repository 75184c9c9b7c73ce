from motcua.core.importing import fold
from motcua.core.models import AdministrativeUnit, User
from motcua.core.selectors import active_assignments

from ..models import IncomingDocument, OutgoingDocument


def holds(user: User, unit: AdministrativeUnit, *roles: str) -> bool:
    return active_assignments(user).filter(unit=unit, role__in=roles).exists()


def index_text(document: IncomingDocument | OutgoingDocument) -> str:
    """Every searchable field, folded (no diacritics, lower case) for SQLite and PostgreSQL."""
    parts = [document.reference, document.abstract, document.type.name]
    if isinstance(document, IncomingDocument):
        parts += [document.issuer, f"{document.number}/{document.year}"]
    else:
        parts += [document.external_recipients]
    return fold(" ".join(p for p in parts if p))
