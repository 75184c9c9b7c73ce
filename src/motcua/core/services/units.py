"""Import of administrative units from the statistics office's list (CSV), all or nothing."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ..importing import ImportFailed, RowError, fold
from ..models import AdministrativeUnit, UnitKind, User
from . import audit

# Header spellings accepted for each column (compared without diacritics or case).
COLUMNS = {
    "code": {"ma", "code", "ma px", "ma don vi", "ma dvhc"},
    "name": {"ten", "name", "phuong xa", "ten don vi", "ten dvhc"},
    "kind": {"cap", "type", "loai", "kind"},
    "parent": {"ma cap tren", "parent", "ma tinh", "ma tp", "parent code"},
    "parent_name": {"tinh / thanh pho", "tinh/thanh pho", "ten cap tren"},
}
KINDS: dict[str, str] = {
    "tinh": UnitKind.PROVINCE,
    "province": UnitKind.PROVINCE,
    "thanh pho": UnitKind.CITY,
    "thanh pho trung uong": UnitKind.CITY,
    "thanh pho truc thuoc trung uong": UnitKind.CITY,
    "city": UnitKind.CITY,
    "xa": UnitKind.COMMUNE,
    "commune": UnitKind.COMMUNE,
    "phuong": UnitKind.WARD,
    "ward": UnitKind.WARD,
    "dac khu": UnitKind.SPECIAL_ZONE,
    "special_zone": UnitKind.SPECIAL_ZONE,
    "special zone": UnitKind.SPECIAL_ZONE,
}
PROVINCE_LEVEL: set[str] = {UnitKind.PROVINCE, UnitKind.CITY}
KIND_LABELS: dict[str, str] = {
    UnitKind.PROVINCE: "Tỉnh",
    UnitKind.CITY: "Thành phố",
    UnitKind.COMMUNE: "Xã",
    UnitKind.WARD: "Phường",
    UnitKind.SPECIAL_ZONE: "Đặc khu",
}


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    kind: str
    parent: str


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = " ".join(fold(title).split())
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in found:
                found[column] = index
    return found


def parse_units_csv(text: str) -> list[UnitRow]:
    """Rows of the statistics-office layout (code, name, type, parent), or ImportFailed."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise ImportFailed([RowError(_("line %(n)d") % {"n": 1}, _("The file is empty."))])
    columns = _header_map(header)
    missing = [c for c in ("code", "name", "kind") if c not in columns]
    if missing:
        raise ImportFailed(
            [
                RowError(
                    _("line %(n)d") % {"n": 1},
                    _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)},
                )
            ]
        )
    rows: list[UnitRow] = []
    errors: list[RowError] = []
    extra_parents: dict[str, tuple[int, str]] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        kind = KINDS.get(" ".join(fold(cell("kind")).split()))
        code = cell("code")
        where = _("line %(n)d") % {"n": line}
        if not code.isdigit():
            errors.append(
                RowError(where, _("The code “%(code)s” is not a number.") % {"code": code})
            )
        elif not cell("name"):
            errors.append(RowError(where, _("The name is empty.")))
        elif kind is None:
            errors.append(
                RowError(where, _("Unknown unit type “%(kind)s”.") % {"kind": cell("kind")})
            )
        else:
            rows.append(UnitRow(line, code, cell("name"), kind, cell("parent")))
            if cell("parent") and cell("parent_name"):
                # Export layout: one row per commune, its province named beside it.
                extra_parents.setdefault(cell("parent"), (line, cell("parent_name")))
    known = {row.code for row in rows}
    for code, (line, name) in extra_parents.items():
        if code not in known:
            kind = UnitKind.CITY if fold(name).startswith("thanh pho") else UnitKind.PROVINCE
            rows.append(UnitRow(line, code, name, kind, ""))
            known.add(code)
    errors += _check_rows(rows)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.where))
    return rows


def _check_rows(rows: list[UnitRow]) -> list[RowError]:
    errors: list[RowError] = []
    by_code: dict[str, UnitRow] = {}
    for row in rows:
        where = _("line %(n)d") % {"n": row.line}
        if row.code in by_code and by_code[row.code].line != row.line:
            errors.append(
                RowError(
                    where,
                    _("The code %(code)s appears twice (also on line %(other)d).")
                    % {"code": row.code, "other": by_code[row.code].line},
                )
            )
        by_code.setdefault(row.code, row)
    existing = dict(AdministrativeUnit.objects.values_list("code", "kind"))
    for row in rows:
        where = _("line %(n)d") % {"n": row.line}
        if row.kind in PROVINCE_LEVEL:
            if row.parent:
                errors.append(RowError(where, _("A province has no parent unit.")))
            continue
        if not row.parent:
            errors.append(RowError(where, _("A commune-level unit must name its province.")))
            continue
        parent_kind = (
            by_code[row.parent].kind if row.parent in by_code else existing.get(row.parent)
        )
        if parent_kind is None:
            errors.append(
                RowError(
                    where,
                    _("The parent unit %(code)s is neither in the file nor in the system.")
                    % {"code": row.parent},
                )
            )
        elif parent_kind not in PROVINCE_LEVEL:
            errors.append(
                RowError(
                    where, _("The parent unit %(code)s is not a province.") % {"code": row.parent}
                )
            )
    return errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_units(rows: list[UnitRow], *, actor: User | None) -> ImportResult:
    """Create or update units by code. Provinces first so communes can point at them."""
    created = updated = unchanged = 0
    ordered = sorted(rows, key=lambda r: (r.kind not in PROVINCE_LEVEL, r.code))
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=[r.code for r in rows])}
    parents = {u.code: u for u in AdministrativeUnit.objects.filter(kind__in=PROVINCE_LEVEL)}
    for row in ordered:
        parent = parents.get(row.parent) if row.parent else None
        unit = units.get(row.code)
        reason = _("Imported from the unit list")
        if unit is None:
            unit = AdministrativeUnit(code=row.code, name=row.name, kind=row.kind, parent=parent)
            audit.save_recorded(unit, actor=actor, action="unit.create", unit=unit, reason=reason)
            created += 1
        elif (unit.name, unit.kind, unit.parent_id) != (
            row.name,
            row.kind,
            getattr(parent, "pk", None),
        ):
            before = audit.snapshot(unit)
            unit.name, unit.kind, unit.parent = row.name, row.kind, parent
            audit.save_recorded(
                unit, actor=actor, action="unit.update", unit=unit, before=before, reason=reason
            )
            updated += 1
        else:
            unchanged += 1
        if unit.kind in PROVINCE_LEVEL:
            parents[unit.code] = unit
    return ImportResult(created, updated, unchanged)


def rows_from_package(province_code: str | None = None) -> list[UnitRow]:
    """The post-July-2025 list shipped by the vietnam-provinces package (34 provinces)."""
    from vietnam_provinces import Province, Ward

    rows: list[UnitRow] = []
    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        if province_code and code != province_code:
            continue
        kind = KINDS[fold(province.division_type.value)]
        rows.append(UnitRow(0, code, province.name, kind, ""))
    wanted = {row.code for row in rows}
    for ward in Ward.iter_all():
        parent = f"{int(ward.province_code):02d}"
        if parent in wanted:
            kind = KINDS[fold(ward.division_type.value)]
            rows.append(UnitRow(0, f"{int(ward.code):05d}", ward.name, kind, parent))
    return rows


def rows_to_csv(rows: list[UnitRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Mã", "Tên", "Cấp", "Mã cấp trên"])
    for row in rows:
        writer.writerow([row.code, row.name, KIND_LABELS[row.kind], row.parent])
    return out.getvalue()
