"""Reads of the procedure catalogue."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from django.db.models import QuerySet

from motcua.core.models import AdministrativeUnit

from .models import FeeOption, Procedure, RequiredPaper, WorkflowStep


def published_procedures(unit: AdministrativeUnit, *, parts: bool = True) -> QuerySet[Procedure]:
    """What a unit's citizens may apply for: its province's published catalogue (``parts``:
    with its fees, papers and steps prefetched; without, read them through ``parts_of``)."""
    found = Procedure.objects.filter(province=unit.province, published=True)
    found = found.select_related("field")
    return found.prefetch_related("fees", "papers", "steps") if parts else found


@dataclass(frozen=True)
class Parts:
    """A procedure's fees, papers and workflow steps, in their order (read-only)."""

    fees: tuple[FeeOption, ...]
    papers: tuple[RequiredPaper, ...]
    steps: tuple[WorkflowStep, ...]


_PARTS_SIZE = 2048
_parts: "OrderedDict[int, tuple[datetime, Parts]]" = OrderedDict()
_parts_lock = Lock()


def parts_of(procedure: Procedure) -> Parts:
    """The parts of ``procedure`` as of its ``updated_at``: a receipt reads them on every
    dossier, and they change only with the catalogue, so each process keeps them until the
    procedure row says they changed (any save or delete of a part touches the procedure,
    see ``apps.py``; the row ``procedure`` was read with is the version checked)."""
    with _parts_lock:
        held = _parts.get(procedure.pk)
        if held is not None and held[0] == procedure.updated_at:
            _parts.move_to_end(procedure.pk)
            return held[1]
    parts = Parts(
        fees=tuple(FeeOption.objects.filter(procedure=procedure).order_by("order", "id")),
        papers=tuple(RequiredPaper.objects.filter(procedure=procedure).order_by("order", "id")),
        steps=tuple(WorkflowStep.objects.filter(procedure=procedure).order_by("order", "id")),
    )
    with _parts_lock:
        _parts[procedure.pk] = (procedure.updated_at, parts)
        while len(_parts) > _PARTS_SIZE:
            _parts.popitem(last=False)
    return parts


def forget_parts(procedure_id: int | None = None) -> None:
    """Drop this process's copy (a part changed here, or a test starts afresh)."""
    with _parts_lock:
        if procedure_id is None:
            _parts.clear()
        else:
            _parts.pop(procedure_id, None)


def search_procedures(unit: AdministrativeUnit, query: str, limit: int = 20) -> QuerySet[Procedure]:
    """Published procedures of the unit matching every word, diacritics and case ignored."""
    from motcua.core.importing import fold

    found = published_procedures(unit)
    for word in fold(query).split():
        found = found.filter(search_text__contains=word)
    return found.order_by("name")[:limit]


def catalogue(
    unit: AdministrativeUnit, query: str = "", field: str = "", online_level: str = ""
) -> QuerySet[Procedure]:
    """The public catalogue: every word of ``query`` (diacritics ignored), field, online level."""
    from motcua.core.importing import fold

    found = published_procedures(unit)
    for word in fold(query).split():
        found = found.filter(search_text__contains=word)
    if field:
        found = found.filter(field__code=field)
    if online_level:
        found = found.filter(online_level=online_level)
    return found.order_by("field__name", "name")
