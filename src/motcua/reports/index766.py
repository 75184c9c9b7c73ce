"""The service index of Quyết định 766/QĐ-TTg for a unit and period, from the edition in force
on the period's first day. Each indicator's points are its maximum × the share its figure
measures; the raw numerator and denominator are kept beside the score."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from motcua.core.figures import NotMeasured, Share, Value, compute
from motcua.core.models import AdministrativeUnit
from motcua.core.periods import Period

from .models import IndexIndicator, IndexVersion

CENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorScore:
    indicator: IndexIndicator
    value: Value
    points: Decimal | None  # None: not measured
    drills: bool = False  # its number links to the dossiers behind it

    @property
    def measured(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class GroupScore:
    name: str
    max_points: Decimal
    indicators: list[IndicatorScore]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators if i.points is not None), Decimal(0))

    @property
    def measured_max(self) -> Decimal:
        """The points the measured indicators are out of."""
        return sum((i.indicator.max_points for i in self.indicators if i.measured), Decimal(0))


@dataclass(frozen=True)
class IndexScore:
    version: IndexVersion
    groups: list[GroupScore]

    @property
    def points(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def measured_max(self) -> Decimal:
        return sum((g.measured_max for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))


def edition_for(period: Period) -> IndexVersion | None:
    return IndexVersion.objects.filter(valid_from__lte=period.first).order_by("-valid_from").first()


def points(indicator: IndexIndicator, value: Value) -> Decimal | None:
    if not isinstance(value, Share) or not value.denominator:
        return None  # not measured, or nothing to measure in the period
    achieved = Decimal(value.numerator) / Decimal(value.denominator)
    return (indicator.max_points * achieved).quantize(CENT, rounding=ROUND_HALF_UP)


def score(unit: AdministrativeUnit, period: Period) -> IndexScore | None:
    """The unit's index, or None when no edition is in force for the period."""
    version = edition_for(period)
    if version is None:
        return None
    groups = list(version.groups.prefetch_related("indicators"))
    keys = {i.figure for g in groups for i in g.indicators.all() if i.figure}
    table = compute([unit.pk], period.start, period.end, sorted(keys))
    table_figures = {f.key: f for f in table.figures}
    scored = []
    for group in groups:
        rows = []
        for indicator in group.indicators.all():
            value = table.value(indicator.figure, unit.pk) if indicator.figure else NotMeasured()
            figure = table_figures.get(indicator.figure)
            drills = bool(figure and figure.drills and not isinstance(value, NotMeasured))
            rows.append(IndicatorScore(indicator, value, points(indicator, value), drills))
        scored.append(GroupScore(group.name, group.max_points, rows))
    return IndexScore(version, scored)
