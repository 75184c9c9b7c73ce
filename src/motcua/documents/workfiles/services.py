"""Work files: the yearly plan, opening a file, filing documents and dossiers, closing.

A document or dossier is filed once, in a file of its own unit; a closed file takes nothing more
(Nghị định 30/2020/NĐ-CP, Điều 28–29).
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionRefused
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.selectors import holds
from motcua.core.services import audit
from motcua.dossiers.models import Dossier

from .. import selectors
from ..models import IncomingDocument, OutgoingDocument, OutgoingStatus
from .models import FiledItem, FilePlan, WorkFile, WorkFileStatus

STAFF = (Role.LEADER, Role.CLERK, Role.DESK_OFFICER, Role.SPECIALIST)
TRACKED = ["code", "title", "keeper", "retention", "status", "closed_at", "closed_by", "note"]
Item = IncomingDocument | OutgoingDocument | Dossier


def plan_for(unit: AdministrativeUnit, year: int, *, actor: User) -> FilePlan:
    """The unit's danh mục hồ sơ for the year, created on first use."""
    if not holds(actor, unit, Role.CLERK, Role.LEADER):
        raise TransitionRefused(
            _("Only the office clerk or a leader manages the file plan."), by_role=True
        )
    with transaction.atomic():
        plan, created = FilePlan.objects.get_or_create(
            unit=unit, year=year, defaults={"created_by": actor}
        )
        if created:
            audit.record(
                actor=actor,
                action="workfile.plan",
                unit=unit,
                obj=plan,
                after=audit.snapshot(plan, ["year"]),
            )
    return plan


def open_file(
    plan: FilePlan, *, actor: User, code: str, title: str, keeper: User, retention: str
) -> WorkFile:
    """Officers open their own files; the clerk or a leader may open one for someone else."""
    unit = plan.unit
    may_assign = holds(actor, unit, Role.CLERK, Role.LEADER)
    if not may_assign and not (actor.pk == keeper.pk and holds(actor, unit, *STAFF)):
        raise TransitionRefused(
            _("Only the keeper, the office clerk or a leader opens a work file."), by_role=True
        )
    if not holds(keeper, unit, *STAFF):
        message = _("%(name)s does not work in %(unit)s.")
        raise ValidationError(
            {"keeper": [message % {"name": keeper.get_full_name(), "unit": unit.name}]}
        )
    work_file = WorkFile(
        plan=plan,
        code=code.strip().upper(),
        title=title.strip(),
        keeper=keeper,
        retention=retention.strip(),
        opened_at=timezone.now(),
    )
    with transaction.atomic():
        if WorkFile.objects.filter(plan=plan, code=work_file.code).exists():
            message = _("The code %(code)s is already used in the %(year)s file plan.")
            raise ValidationError({"code": [message % {"code": work_file.code, "year": plan.year}]})
        audit.save_recorded(
            work_file, actor=actor, action="workfile.open", unit=unit, fields=TRACKED
        )
    return work_file


def file_item(
    work_file: WorkFile,
    *,
    actor: User,
    incoming: IncomingDocument | None = None,
    outgoing: OutgoingDocument | None = None,
    dossier: Dossier | None = None,
) -> FiledItem:
    """Put one document or dossier of the file's unit into the open file."""
    given = [item for item in (incoming, outgoing, dossier) if item is not None]
    if len(given) != 1:
        raise ValidationError(_("Choose exactly one document or dossier to file."))
    item = given[0]
    unit = work_file.plan.unit
    _check_filer(work_file, actor)
    _check_item(item, unit, actor)
    with transaction.atomic():
        locked = _locked_open(work_file)
        _refuse_if_filed(item)
        filed = FiledItem.objects.create(
            work_file=locked,
            incoming=incoming,
            outgoing=outgoing,
            dossier=dossier,
            filed_by=actor,
            filed_at=timezone.now(),
        )
        audit.record(
            actor=actor,
            action="workfile.file",
            unit=unit,
            obj=locked,
            after={"item": item._meta.label_lower, "id": item.pk, "label": str(item)},
        )
    return filed


def close(work_file: WorkFile, *, actor: User, note: str = "") -> WorkFile:
    """The keeper, or a leader, closes the file when the work is done (kết thúc hồ sơ)."""
    if not _is_keeper(work_file, actor) and not holds(actor, work_file.plan.unit, Role.LEADER):
        raise TransitionRefused(
            _("Only the keeper of the file or a leader closes it."), by_role=True
        )
    unit = work_file.plan.unit
    with transaction.atomic():
        locked = _locked_open(work_file)
        before = audit.snapshot(locked, TRACKED)
        locked.status, locked.closed_at = WorkFileStatus.CLOSED, timezone.now()
        locked.closed_by, locked.note = actor, note.strip()
        locked.save(update_fields=["status", "closed_at", "closed_by", "note"])
        audit.record(
            actor=actor,
            action="workfile.close",
            unit=unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
            reason=locked.note,
        )
    work_file.refresh_from_db()
    return work_file


def _is_keeper(work_file: WorkFile, actor: User) -> bool:
    # A keeper who has left the unit no longer acts on its files.
    return actor.pk == work_file.keeper_id and holds(actor, work_file.plan.unit, *STAFF)


def _check_filer(work_file: WorkFile, actor: User) -> None:
    unit = work_file.plan.unit
    if not _is_keeper(work_file, actor) and not holds(actor, unit, Role.CLERK, Role.LEADER):
        raise TransitionRefused(
            _("Only the keeper, the office clerk or a leader files into this work file."),
            by_role=True,
        )


def _check_item(item: Item, unit: AdministrativeUnit, actor: User) -> None:
    if item.unit_id != unit.pk:
        raise ValidationError(
            _("Only documents and dossiers of %(unit)s go into its work files.")
            % {"unit": unit.name}
        )
    if not _numbered(item):
        raise ValidationError(_("Only an issued document or a received dossier can be filed."))
    if not _visible(item, actor):
        # A confidential document stays with the people named on it.
        raise TransitionRefused(_("You may not see this document."), by_role=True)


def _numbered(item: Item) -> bool:
    if isinstance(item, OutgoingDocument):
        return item.status == OutgoingStatus.ISSUED
    if isinstance(item, Dossier):
        return bool(item.code)
    return True  # an incoming document is numbered when it is registered


def _visible(item: Item, actor: User) -> bool:
    readable: models.QuerySet[IncomingDocument] | models.QuerySet[OutgoingDocument]
    if isinstance(item, IncomingDocument):
        readable = selectors.incoming_for(actor)
    elif isinstance(item, OutgoingDocument):
        readable = selectors.outgoing_for(actor)
    else:
        return True
    return readable.filter(pk=item.pk).exists()


def _locked_open(work_file: WorkFile) -> WorkFile:
    locked = WorkFile.objects.select_for_update().select_related("plan").get(pk=work_file.pk)
    if not locked.is_open:
        raise TransitionRefused(
            _("Work file %(code)s is closed and accepts nothing more.") % {"code": locked.code}
        )
    return locked


def _refuse_if_filed(item: Item) -> None:
    field = {IncomingDocument: "incoming", OutgoingDocument: "outgoing", Dossier: "dossier"}
    found = (
        FiledItem.objects.filter(**{field[type(item)]: item})
        .select_related("work_file__plan")
        .first()
    )
    if found is not None:
        raise ValidationError(
            _("This is already filed in work file %(code)s (%(year)s).")
            % {"code": found.work_file.code, "year": found.work_file.plan.year}
        )
