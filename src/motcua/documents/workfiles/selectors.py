"""Reads of the work files, scoped to the acting user: the unit's files, what a file holds (a
confidential document the user may not see stays masked), and what is left to file."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, QuerySet

from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.permissions import units_where
from motcua.core.selectors import active_assignments, unit_staff
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_for

from .. import selectors
from ..models import IncomingDocument, OutgoingDocument, OutgoingStatus
from .models import FiledItem, FilePlan, WorkFile, WorkFileStatus
from .services import STAFF


def work_files_for(user: User) -> QuerySet[WorkFile]:
    """The work files of every unit the user holds a role in."""
    return WorkFile.objects.filter(
        plan__unit__in=units_where(user, "workfile.view")
    ).select_related("plan__unit", "keeper", "closed_by")


def plan_of(unit: AdministrativeUnit, year: int) -> FilePlan | None:
    """The unit's file plan for the year, if it was set up (reading never creates it)."""
    return FilePlan.objects.filter(unit=unit, year=year).first()


def files_in(plan: FilePlan | None) -> QuerySet[WorkFile]:
    """The plan's files by code, each with the number of items it holds."""
    if plan is None:
        return WorkFile.objects.none()
    return (
        WorkFile.objects.filter(plan=plan)
        .select_related("keeper")
        .annotate(item_count=Count("items"))
        .order_by("code")
    )


def keepers(unit: AdministrativeUnit) -> QuerySet[User]:
    """The unit's staff, who may keep a work file."""
    return unit_staff(unit, STAFF)


def open_files_for(user: User, unit: AdministrativeUnit) -> QuerySet[WorkFile]:
    """The unit's open files the user may file into: every one for the office clerk and the
    leaders, the officer's own otherwise (the services decide again on filing)."""
    found = WorkFile.objects.filter(plan__unit=unit, status=WorkFileStatus.OPEN).select_related(
        "plan"
    )
    managing = active_assignments(user).filter(unit=unit, role__in=[Role.CLERK, Role.LEADER])
    if not managing.exists():
        found = found.filter(keeper=user)
    return found.order_by("-plan__year", "code")


def unfiled_incoming(user: User, unit: AdministrativeUnit) -> QuerySet[IncomingDocument]:
    """The unit's incoming documents the user may see that are in no work file yet."""
    filed = FiledItem.objects.filter(incoming__isnull=False).values("incoming")
    return (
        selectors.incoming_for(user)
        .filter(unit=unit)
        .exclude(pk__in=filed)
        .order_by("-year", "-number")
    )


def unfiled_outgoing(user: User, unit: AdministrativeUnit) -> QuerySet[OutgoingDocument]:
    """The unit's issued outgoing documents the user may see that are in no work file yet."""
    filed = FiledItem.objects.filter(outgoing__isnull=False).values("outgoing")
    return (
        selectors.outgoing_for(user)
        .filter(unit=unit, status=OutgoingStatus.ISSUED)
        .exclude(pk__in=filed)
        .order_by("-issued_at")
    )


def dossier_by_code(user: User, code: str) -> Dossier | None:
    """A dossier the user may see, by its code (case ignored)."""
    code = code.strip()
    if not code:
        return None
    return dossiers_for(user).filter(code__iexact=code).first()


def filing_of(document: IncomingDocument | OutgoingDocument) -> FiledItem | None:
    """Where the document is filed, if it is."""
    field = "incoming" if isinstance(document, IncomingDocument) else "outgoing"
    return FiledItem.objects.filter(**{field: document}).select_related("work_file__plan").first()


@dataclass(frozen=True)
class ItemRow:
    """One line of a work file's list as the user may see it."""

    kind: str  # "incoming", "outgoing" or "dossier"
    pk: int
    url_name: str
    visible: bool
    reference: str
    day: date | datetime | None  # the document's date, the issue or the receipt time
    abstract: str
    filed_at: datetime
    filed_by: User


URL_NAMES = {
    "incoming": "documents-incoming",
    "outgoing": "documents-outgoing",
    "dossier": "desk-dossier",
}


def items_of(work_file: WorkFile, user: User) -> list[ItemRow]:
    """What the file holds, in filing order; the reference and abstract of a confidential
    document the user may not see are left out."""
    items = list(
        work_file.items.select_related(
            "incoming", "outgoing", "dossier__procedure", "filed_by"
        ).order_by("filed_at", "id")
    )
    incoming_ids = [i.incoming_id for i in items if i.incoming_id]
    outgoing_ids = [i.outgoing_id for i in items if i.outgoing_id]
    readable = {
        "incoming": set(
            selectors.incoming_for(user).filter(pk__in=incoming_ids).values_list("pk", flat=True)
        ),
        "outgoing": set(
            selectors.outgoing_for(user).filter(pk__in=outgoing_ids).values_list("pk", flat=True)
        ),
        "dossier": set(
            dossiers_for(user)
            .filter(pk__in=[i.dossier_id for i in items if i.dossier_id])
            .values_list("pk", flat=True)
        ),
    }
    return [_row(item, readable) for item in items]


def _row(item: FiledItem, readable: dict[str, set[int]]) -> ItemRow:
    if item.incoming is not None:
        d = item.incoming
        kind, reference, abstract = "incoming", f"{d.reference} ({d.issuer})", d.abstract
        day: date | datetime | None = d.document_date
    elif item.outgoing is not None:
        o = item.outgoing
        kind, reference, abstract, day = "outgoing", o.reference, o.abstract, o.issued_at
    else:
        s = item.dossier
        assert s is not None  # the check constraint guarantees one item
        abstract = f"{s.procedure.name} — {s.applicant_name}"
        kind, reference, day = "dossier", s.code or "", s.received_at
    pk = item.item.pk
    visible = pk in readable[kind]
    return ItemRow(
        kind=kind,
        pk=pk,
        url_name=URL_NAMES[kind],
        visible=visible,
        reference=reference if visible else "",
        day=day,
        abstract=abstract if visible else "",
        filed_at=item.filed_at,
        filed_by=item.filed_by,
    )


def sees_every_item(work_file: WorkFile, user: User) -> bool:
    """Whether the user may see everything the file holds (and so its PDF)."""
    return all(row.visible for row in items_of(work_file, user))
