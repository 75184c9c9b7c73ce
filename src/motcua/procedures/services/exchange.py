"""Catalogue exchange in the `motcua.procedures/1` format (docs/procedures-format.md).

Import validates everything first and saves nothing unless every row is valid.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.importing import ImportFailed, RowError
from motcua.core.models import AdministrativeUnit, User
from motcua.core.services import audit

from ..models import FeeOption, Field, Procedure, RequiredPaper, WorkflowStep
from ..selectors import forget_parts
from .parts import touch
from .workflow import format_days, workflow_errors

FORMAT = "motcua.procedures/1"
PROCEDURE_KEYS = [
    "code",
    "name",
    "field",
    "level",
    "processing_days",
    "processing_note",
    "result",
    "electronic_result",
    "online_level",
    "published",
    "legal_basis",
    "unconfirmed",
    "source",
]


# --- export ----------------------------------------------------------------------------------
def procedure_data(procedure: Procedure) -> dict[str, Any]:
    return _data_of(procedure, procedure.fees.all(), procedure.papers.all(), procedure.steps.all())


def _data_of(procedure: Procedure, fees: Any, papers: Any, steps: Any) -> dict[str, Any]:
    """One procedure in the exchange format, from saved rows or from an import plan."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.code,
        "level": procedure.level,
        "processing_days": format_days(procedure.processing_days),
        "processing_note": procedure.processing_note,
        "result": procedure.result,
        "electronic_result": bool(procedure.electronic_result),
        "online_level": procedure.online_level,
        "published": bool(procedure.published),
        "legal_basis": procedure.legal_basis,
        "fees": [{"label": f.label, "amount": int(f.amount), "note": f.note} for f in fees],
        "papers": [
            {
                "name": p.name,
                "originals": int(p.originals),
                "copies": int(p.copies),
                "optional": bool(p.optional),
                "note": p.note,
            }
            for p in papers
        ],
        "steps": [
            {
                "name": s.name,
                "role": s.role,
                "position": s.position,
                "budget_days": format_days(Decimal(s.budget_days)),
            }
            for s in steps
        ],
        "unconfirmed": list(procedure.unconfirmed or []),
        "source": procedure.source,
    }


def export_catalogue(province: AdministrativeUnit) -> dict[str, Any]:
    procedures = (
        Procedure.objects.filter(province=province)
        .select_related("field")
        .prefetch_related("fees", "papers", "steps")
        .order_by("code")
    )
    fields = Field.objects.filter(procedures__province=province).distinct().order_by("code")
    return {
        "format": FORMAT,
        "province": province.code,
        "fields": [{"code": f.code, "name": f.name} for f in fields],
        "procedures": [procedure_data(p) for p in procedures],
    }


# --- validation ------------------------------------------------------------------------------
@dataclass
class Planned:
    data: dict[str, Any]
    procedure: Procedure
    fees: list[FeeOption]
    papers: list[RequiredPaper]
    steps: list[WorkflowStep]


def _where(item: Any, default: str) -> str:
    return item.get("_where", default) if isinstance(item, dict) else default


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        out = []
        for name, errors in error.message_dict.items():
            prefix = "" if name == "__all__" else f"{name}: "
            out += [prefix + message for message in errors]
        return out
    return list(error.messages)


def _check(instance: Any, where: str, errors: list[RowError], exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        errors += [RowError(where, message) for message in _messages(error)]


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def _fields_of(data: dict[str, Any], errors: list[RowError]) -> dict[str, Field]:
    fields = {f.code: f for f in Field.objects.all()}
    for index, item in enumerate(data.get("fields") or []):
        where = _where(item, f"fields[{index}]")
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            errors.append(RowError(where, _("A field needs a code and a name.")))
            continue
        field = fields.get(item["code"]) or Field(code=item["code"])
        field.name = item["name"]
        fields[field.code] = field
    return fields


def _plan_procedure(
    item: Any,
    index: int,
    province: AdministrativeUnit,
    fields: dict[str, Field],
    existing: dict[str, Procedure],
    errors: list[RowError],
) -> Planned | None:
    where = _where(item, f"procedures[{index}]")
    if not isinstance(item, dict):
        errors.append(RowError(where, _("Each procedure must be an object.")))
        return None
    days = _decimal(item.get("processing_days"))
    if days is None:
        errors.append(RowError(where, _("processing_days: not a number of working days.")))
        return None
    field = fields.get(str(item.get("field", "")))
    if field is None:
        errors.append(RowError(where, _("Unknown field “%(code)s”.") % {"code": item.get("field")}))
        return None
    procedure = existing.get(str(item.get("code"))) or Procedure(province=province)
    for key in PROCEDURE_KEYS:
        if key not in ("field", "processing_days") and key in item:
            setattr(procedure, key, item[key])
    procedure.processing_days, procedure.field = days, field
    procedure.unconfirmed = list(item.get("unconfirmed") or [])
    _check(procedure, where, errors, exclude=["province", "field"])
    fees = [
        FeeOption(order=n, **_pick(f, ("label", "amount", "note")))
        for n, f in enumerate(item.get("fees") or [])
    ]
    papers = [
        RequiredPaper(order=n, **_pick(p, ("name", "originals", "copies", "optional", "note")))
        for n, p in enumerate(item.get("papers") or [])
    ]
    steps = [
        WorkflowStep(order=n, **_pick(s, ("name", "role", "position", "budget_days")))
        for n, s in enumerate(item.get("steps") or [])
    ]
    for kind, rows, sources in (
        ("fees", fees, item.get("fees") or []),
        ("papers", papers, item.get("papers") or []),
        ("steps", steps, item.get("steps") or []),
    ):
        for n, (row, source) in enumerate(zip(rows, sources, strict=True)):
            _check(row, _where(source, f"{where}.{kind}[{n}]"), errors, exclude=["procedure"])
    budgets = [_decimal(s.budget_days) for s in steps]
    if all(b is not None for b in budgets):
        triples = [
            (s.role, s.position, b or Decimal(0)) for s, b in zip(steps, budgets, strict=True)
        ]
        errors += [RowError(where, message) for message in workflow_errors(days, triples)]
    return Planned(item, procedure, fees, papers, steps)


def _pick(item: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    return {
        k: item[k] for k in keys if isinstance(item, dict) and k in item and item[k] is not None
    }


def plan_import(data: Any, province: AdministrativeUnit) -> list[Planned]:
    """Validate a whole catalogue; ImportFailed lists every problem."""
    errors: list[RowError] = []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFailed(
            [RowError("format", _("Not a MotCua procedure catalogue (%(f)s).") % {"f": FORMAT})]
        )
    fields = _fields_of(data, errors)
    existing = {p.code: p for p in Procedure.objects.filter(province=province)}
    planned, seen = [], {}
    for index, item in enumerate(data.get("procedures") or []):
        plan = _plan_procedure(item, index, province, fields, existing, errors)
        if plan is None:
            continue
        code = plan.procedure.code
        if code in seen:
            errors.append(
                RowError(
                    _where(item, f"procedures[{index}]"),
                    _("The code %(code)s appears twice.") % {"code": code},
                )
            )
        seen[code] = plan
        planned.append(plan)
    if errors:
        raise ImportFailed(errors)
    return planned


# --- import ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_catalogue(
    data: Any, *, province: AdministrativeUnit, actor: User | None
) -> CatalogueImportResult:
    planned = plan_import(data, province)
    created = updated = unchanged = 0
    for plan in planned:
        procedure = plan.procedure
        if procedure.field.pk is None or _field_changed(procedure.field):
            procedure.field.save()
        before = None
        if procedure.pk:
            before = procedure_data(Procedure.objects.get(pk=procedure.pk))
        after = _data_of(procedure, plan.fees, plan.papers, plan.steps)
        if before == after:
            unchanged += 1  # nothing to write: a second import of the same file changes nothing
            continue
        procedure.save()
        _replace_children(procedure, plan)
        created, updated = (created + 1, updated) if before is None else (created, updated + 1)
        audit.record(
            actor=actor,
            action="procedure.import",
            unit=province,
            obj=procedure,
            before=before,
            after=after,
            reason=_("Catalogue import"),
        )
    return CatalogueImportResult(created, updated, unchanged)


def _field_changed(field: Field) -> bool:
    stored = Field.objects.filter(pk=field.pk).values_list("name", flat=True).first()
    return stored != field.name


def _replace_children(procedure: Procedure, plan: Planned) -> None:
    templates = {p.name: p.form_template for p in procedure.papers.all() if p.form_template}
    procedure.fees.all().delete()
    procedure.papers.all().delete()
    procedure.steps.all().delete()
    for fee in plan.fees:
        fee.procedure = procedure
    for paper in plan.papers:
        paper.procedure = procedure
        paper.form_template = templates.get(paper.name, paper.form_template)  # keep uploaded forms
    for step in plan.steps:
        step.procedure = procedure
    FeeOption.objects.bulk_create(plan.fees)
    RequiredPaper.objects.bulk_create(plan.papers)
    WorkflowStep.objects.bulk_create(plan.steps)
    touch(procedure.pk)  # bulk_create sends no signal: the parts' caches must still see it
    forget_parts(procedure.pk)
