"""Every figure of the reports, defined once.

A figure is a function of (units, period) registered here with its label and section; its
docstring is its formula, shown beside the number in every report. Most figures are dossier
querysets: the count is the number of distinct dossiers, grouped by unit in one query, and the
same queryset is the drill-down list behind the number. A share is two such querysets. Figures
whose source is another module (documents, feedback) compute per unit from that module's own
functions. A figure whose source has not landed, or that the system cannot know, is
``NotMeasured``: shown as "not yet measured", never as zero.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from motcua.core.models import AdministrativeUnit
from motcua.documents.figures import Share


@dataclass(frozen=True)
class NotMeasured:
    reason: str = ""

    def __bool__(self) -> bool:
        return False


Value = int | Share | NotMeasured


@dataclass(frozen=True)
class Scope:
    units: tuple[int, ...]  # unit ids
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Rows:
    """Dossiers of the scope's units meeting ``condition``, a condition on the dossier's own
    columns (no many-valued join). The figures of one ``window`` — an indexed range such as
    "received in the period" that the condition implies — are counted together in one query."""

    window: Q
    condition: Q

    def where(self, *conditions: Q, **lookups: Any) -> "Rows":
        return Rows(self.window, self.condition & Q(*conditions, **lookups))

    def exclude(self, **lookups: Any) -> "Rows":
        return Rows(self.window, self.condition & ~Q(**lookups))


QS = Callable[[Scope], "QuerySet | Rows"]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    section: str
    formula: str
    kind: str  # "count", "sum", "share" or "unit" (computed per unit by another module)
    numerator: QS | None = None
    denominator: QS | None = None
    total: str = ""  # for "sum": the field added up
    per_unit: Callable[[AdministrativeUnit, datetime, datetime], Value] | None = None
    drills: bool = True  # the number links to the dossiers behind it

    @property
    def formula_text(self) -> str:
        """The formula in the reader's language (the docstring, translated)."""
        from django.utils.translation import gettext

        return gettext(self.formula) if self.formula else ""

    def values(self, scope: Scope) -> dict[int, Value]:
        """unit id → value, for every unit of the scope (0 where nothing was counted)."""
        if self.kind == "unit":
            assert self.per_unit is not None
            units = AdministrativeUnit.objects.filter(pk__in=scope.units)
            return {u.pk: self.per_unit(u, scope.start, scope.end) for u in units}
        assert self.numerator is not None
        top = _grouped(_queryset(scope, self.numerator(scope)), self.total)
        if self.kind != "share":
            return {unit: top.get(unit, 0) for unit in scope.units}
        assert self.denominator is not None
        bottom = _grouped(_queryset(scope, self.denominator(scope)), "")
        return {unit: Share(top.get(unit, 0), bottom.get(unit, 0)) for unit in scope.units}

    def parts(self, scope: Scope) -> list["QuerySet | Rows"]:
        assert self.numerator is not None
        found = [self.numerator(scope)]
        if self.kind == "share":
            assert self.denominator is not None
            found.append(self.denominator(scope))
        return found

    def batched(self, scope: Scope) -> bool:
        """Counted with the others of its window in one query (every part is Rows)."""
        return self.kind in ("count", "share") and all(
            isinstance(p, Rows) for p in self.parts(scope)
        )

    def dossiers(self, scope: Scope, *, part: str = "numerator") -> QuerySet:
        """The dossiers behind the number (the numerator, or the denominator of a share)."""
        source = self.denominator if part == "denominator" else self.numerator
        if source is None or not self.drills:
            raise LookupError(self.key)
        return _queryset(scope, source(scope))


def _queryset(scope: Scope, found: "QuerySet | Rows") -> QuerySet:
    if isinstance(found, Rows):
        from motcua.dossiers.models import Dossier

        return Dossier.objects.filter(unit_id__in=scope.units).filter(found.condition)
    return found


def _batch(scope: Scope, figures: list["Figure"]) -> dict[str, dict[int, Value]]:
    """One query per window for every batched figure: COUNT(*) FILTER (WHERE condition)."""
    from motcua.dossiers.models import Dossier

    windows: dict[Q, dict[str, Q]] = {}
    for figure in figures:
        for n, part in enumerate(figure.parts(scope)):
            assert isinstance(part, Rows)
            windows.setdefault(part.window, {})[f"{figure.key}__{n}"] = part.condition
    counted: dict[str, dict[int, int]] = {}
    for window, conditions in windows.items():
        rows = (
            Dossier.objects.filter(unit_id__in=scope.units)
            .filter(window)
            .order_by()
            .values("unit_id")
            .annotate(**{alias: Count("pk", filter=c) for alias, c in conditions.items()})
        )
        for row in rows:
            for alias in conditions:
                counted.setdefault(alias, {})[row["unit_id"]] = row[alias]
    found: dict[str, dict[int, Value]] = {}
    for figure in figures:
        top, bottom = counted.get(f"{figure.key}__0", {}), counted.get(f"{figure.key}__1", {})
        if figure.kind == "share":
            found[figure.key] = {u: Share(top.get(u, 0), bottom.get(u, 0)) for u in scope.units}
        else:
            found[figure.key] = {u: top.get(u, 0) for u in scope.units}
    return found


def _grouped(queryset: QuerySet, total: str) -> dict[int, int]:
    counted = Sum(total) if total else Count("pk", distinct=True)
    rows = queryset.order_by().values("unit_id").annotate(n=counted)
    return {row["unit_id"]: row["n"] or 0 for row in rows}


REGISTRY: dict[str, Figure] = {}
SECTIONS: dict[str, str] = {}  # key → title, in report order


def section(key: str, title: str) -> str:
    SECTIONS[key] = title
    return key


def _formula(function: Callable[..., Any]) -> str:
    return " ".join((function.__doc__ or "").split())


def count(key: str, label: str, section: str, **options: Any) -> Callable[[QS], QS]:
    """Register a dossier queryset as a count figure."""

    def register(function: QS) -> QS:
        REGISTRY[key] = Figure(key, label, section, _formula(function), "count",
                               numerator=function, **options)  # fmt: skip
        return function

    return register


def total(key: str, label: str, section: str, field_name: str) -> Callable[[QS], QS]:
    """Register a queryset whose ``field_name`` is added up (copies, amounts)."""

    def register(function: QS) -> QS:
        REGISTRY[key] = Figure(key, label, section, _formula(function), "sum",
                               numerator=function, total=field_name)  # fmt: skip
        return function

    return register


def share(key: str, label: str, section: str, *, of: QS) -> Callable[[QS], QS]:
    """Register a share: the decorated queryset over ``of``."""

    def register(function: QS) -> QS:
        REGISTRY[key] = Figure(key, label, section, _formula(function), "share",
                               numerator=function, denominator=of)  # fmt: skip
        return function

    return register


def per_unit(key: str, label: str, section: str) -> Callable[[Callable], Callable]:
    """Register a figure another module computes for one unit and period."""

    def register(function: Callable) -> Callable:
        REGISTRY[key] = Figure(key, label, section, _formula(function), "unit",
                               per_unit=function, drills=False)  # fmt: skip
        return function

    return register


@dataclass
class Table:
    """Every figure for every unit of a scope: the report, the roll-up, the exports."""

    scope: Scope
    figures: list[Figure]
    values: dict[str, dict[int, Value]] = field(default_factory=dict)

    def value(self, key: str, unit: int) -> Value:
        return self.values[key][unit]

    def total(self, key: str) -> Value:
        """The figure for all the scope's units together (shares added up part by part)."""
        found = list(self.values[key].values())
        if any(isinstance(v, NotMeasured) for v in found) or not found:
            return next((v for v in found if isinstance(v, NotMeasured)), NotMeasured())
        if all(isinstance(v, Share) for v in found):
            return Share(sum(v.numerator for v in found), sum(v.denominator for v in found))  # type: ignore[union-attr]
        return sum(v for v in found if isinstance(v, int))


def compute(units: Iterable[int], start: datetime, end: datetime,
            keys: Iterable[str] | None = None) -> Table:  # fmt: skip
    from . import dossiers, others, planning  # noqa: F401  (they register themselves)

    scope = Scope(tuple(sorted(set(units))), start, end)
    chosen = [REGISTRY[k] for k in keys] if keys is not None else list(REGISTRY.values())
    table = Table(scope, chosen)
    batched = [f for f in chosen if f.batched(scope)]
    table.values.update(_batch(scope, batched))
    for figure in chosen:
        if figure not in batched:
            table.values[figure.key] = figure.values(scope)
    table.values = {f.key: table.values[f.key] for f in chosen}  # in the figures' order
    return table


def all_figures() -> dict[str, Figure]:
    from . import dossiers, others, planning  # noqa: F401

    return REGISTRY
