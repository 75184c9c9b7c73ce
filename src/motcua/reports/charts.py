"""Charts for the leaders' dashboard, drawn as SVG on the server (no chart library, nothing to
download on a phone): coordinates computed here, the template only draws them."""

from dataclasses import dataclass

from motcua.core import periods
from motcua.core.figures import Share, all_figures, compute
from motcua.core.models import AdministrativeUnit
from motcua.core.periods import Period
from motcua.dossiers.models import DossierStep, Timeliness

WIDTH, HEIGHT, LEFT, BOTTOM = 600, 220, 36, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


def months_before(period: Period, count: int = 12) -> list[Period]:
    """The ``count`` months ending with the one the period ends in."""
    found = [periods.month(period.last)]
    while len(found) < count:
        found.insert(0, found[0].previous())
    return found


def trend(unit: AdministrativeUnit, period: Period) -> tuple[list[Line], list[str]]:
    """On-time share and online share, month by month, as two lines over 0–100%."""
    months = months_before(period)
    keys = {"on_time_share": "#1b5e20", "online_share": "#0d47a1"}
    series: dict[str, list[Share]] = {k: [] for k in keys}
    for month in months:
        table = compute([unit.pk], month.start, month.end, list(keys))
        for key in keys:
            series[key].append(table.value(key, unit.pk))  # type: ignore[arg-type]
    step = (WIDTH - LEFT - 10) / max(len(months) - 1, 1)
    lines = []
    for key, colour in keys.items():
        points = [
            Point(LEFT + n * step, _y(share.ratio), month.first.strftime("%m/%Y"), _percent(share))
            for n, (month, share) in enumerate(zip(months, series[key], strict=True))
            if share.denominator
        ]
        lines.append(Line(str(all_figures()[key].label), colour, points))
    return lines, [m.first.strftime("%m/%y") for m in months]


def _y(ratio: float | None) -> float:
    return HEIGHT - BOTTOM - (ratio or 0) * (HEIGHT - BOTTOM - 10)


def _percent(share: Share) -> str:
    return f"{share.numerator * 100 / share.denominator:.1f}%".replace(".", ",")


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR + GAP)


BAR, GAP = 22, 6


def bars(rows: list[tuple[str, float]], *, suffix: str = "") -> BarChart:
    """Horizontal bars, longest first, scaled to the widest."""
    top = max((v for _n, v in rows), default=0) or 1
    height = BAR
    return BarChart(
        [
            Bar(
                200,
                n * (height + 6),
                (WIDTH - 210) * value / top,
                height,
                name[:40],
                _number(value) + suffix,
            )
            for n, (name, value) in enumerate(sorted(rows, key=lambda r: -r[1]))
        ]
    )


def late_by_officer(unit: AdministrativeUnit, period: Period) -> list[tuple[str, float]]:
    """Steps finished late in the period, per officer who finished them."""
    from django.db.models import Count

    rows = (
        DossierStep.objects.filter(
            dossier__unit=unit,
            timeliness=Timeliness.LATE,
            finished_at__gte=period.start,
            finished_at__lt=period.end,
        )
        .values("finished_by__full_name", "finished_by__username")
        .annotate(n=Count("pk"))
    )
    return [
        (r["finished_by__full_name"] or r["finished_by__username"] or "?", float(r["n"]))
        for r in rows
    ]


def _number(value: float) -> str:
    """12 · 34,3 (one decimal at most, Vietnamese decimal comma)."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
