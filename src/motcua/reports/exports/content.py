"""What a periodic report says, in order, whatever its format (DOCX, PDF, XLSX): the sections
of figures, the breakdown by field, the service index. Built once from the selectors."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from motcua.core.figures import SECTIONS, Figure, NotMeasured, Share, Value, written
from motcua.core.models import AdministrativeUnit, Position, Role, RoleAssignment
from motcua.core.periods import Period

from .. import index766, selectors

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass(frozen=True)
class Line:
    figure: Figure
    value: Value

    @property
    def text(self) -> str:
        return written(self.value)

    @property
    def numbers(self) -> tuple[int | None, int | None]:
        """(value or numerator, denominator) as numbers, for spreadsheets."""
        if isinstance(self.value, Share):
            return self.value.numerator, self.value.denominator
        if isinstance(self.value, NotMeasured):
            return None, None
        return int(self.value), None


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    lines: list[Line]


@dataclass
class ReportContent:
    unit: AdministrativeUnit
    period: Period
    sections: list[Section]
    by_field: list[selectors.BreakdownRow]
    index: index766.IndexScore | None
    signer_name: str
    signer_title: str
    made_on: date = field(default_factory=timezone.localdate)

    @property
    def title(self) -> str:
        return (
            "Kết quả giải quyết thủ tục hành chính và thực hiện cải cách hành chính "
            f"{self.period.label}"
        )


def build(unit: AdministrativeUnit, period: Period) -> ReportContent:
    table = selectors.unit_report(unit, period)
    grouped: dict[str, list[Line]] = {}
    for figure in table.figures:
        grouped.setdefault(figure.section, []).append(
            Line(figure, table.value(figure.key, unit.pk))
        )
    keys = [k for k in SECTIONS if k in grouped]
    sections = [Section(ROMAN[n], str(SECTIONS[k]), grouped[k]) for n, k in enumerate(keys)]
    name, title = _signer(unit)
    return ReportContent(
        unit=unit,
        period=period,
        sections=sections,
        by_field=selectors.breakdown(unit, period, "field"),
        index=index766.score(unit, period),
        signer_name=name,
        signer_title=title,
    )


def _signer(unit: AdministrativeUnit) -> tuple[str, str]:
    """The Chairman signs the unit's report (the first Vice-chairman when there is none)."""
    signers = [
        (Position.CHAIRMAN, "CHỦ TỊCH"),
        (Position.VICE_CHAIRMAN, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
    ]
    for position, title in signers:
        held = RoleAssignment.objects.filter(
            unit=unit, role=Role.LEADER, position=position, is_active=True
        ).select_related("user")
        if held.exists():
            return held.first().user.get_full_name(), title  # type: ignore[union-attr]
    return "", "CHỦ TỊCH"
