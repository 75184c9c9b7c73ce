"""Every figure of the reports, defined once, by the app that owns what it counts.

A figure is a function of (units, period) registered here with its label and section; its
docstring is its formula, shown beside the number in every report. Each app declares its own
figures in its ``figures.py``, imported by its ``AppConfig.ready`` (so they are registered
before the first request, in ``INSTALLED_APPS`` order); motcua.reports shows them and imports
no app's figures. Most figures count rows (``Rows``) of one model, grouped by unit in one
query, and the same rows are the drill-down list behind the number. A share is two such
counts. A figure computed another way is ``per_unit``. A figure whose source has not landed,
or that the system cannot know, is ``NotMeasured``: shown as "not yet measured", never zero.

Besides figures, three smaller registries let an app count into another's numbers without
importing it: ``addend`` (items of one app counted into another app's figure: the website's
reform articles into planning's propaganda) and ``per_officer`` (counts by officer, such as
substantiated complaints, read by the reports' evaluation of officers), and ``criteria_source``
(the self-assessment's criteria, which planning's findings refer to).
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.models import AdministrativeUnit
from motcua.core.replica import Reading, replica_reads

# The reports' chapters, in order; every figure belongs to one of them.
SECTIONS: dict[str, Any] = {
    "receipt": gettext_lazy("Dossiers received"),
    "results": gettext_lazy("Results"),
    "lateness": gettext_lazy("Lateness and apologies"),
    "online": gettext_lazy("Online services and digitisation"),
    "certification": gettext_lazy("Certified copies"),
    "satisfaction": gettext_lazy("Satisfaction and feedback"),
    "documents": gettext_lazy("Official documents and e-mail"),
    "other": gettext_lazy("Not yet measured by MotCua"),
    "management": gettext_lazy("Reform management and discipline"),
}


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else self.ratio * 100


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
    """Rows of ``model`` (which has a ``unit`` foreign key) of the scope's units meeting
    ``condition``, a condition on the row's own columns (no many-valued join). The figures of
    one ``window`` — an indexed range such as "received in the period" that the condition
    implies — are counted together with the model's other windows in one scan. A window
    over all history before a moment (``alone``: the state at the end of the period) has its
    own query, so that it does not turn the period's index ranges into a scan of history.

    ``through``: rows of a child table (a dossier's apologies, refusal, rating…) reach their
    unit through this foreign key, and the figure counts the distinct parents (dossiers with
    such a row), which are also the rows behind the number."""

    model: type[Model]
    window: Q
    condition: Q
    alone: bool = False
    through: str = ""

    @property
    def unit(self) -> str:
        return f"{self.through}__unit_id" if self.through else "unit_id"

    @property
    def counted(self) -> str:
        return f"{self.through}_id" if self.through else "pk"

    def where(self, *conditions: Q, **lookups: Any) -> "Rows":
        return replace(self, condition=self.condition & Q(*conditions, **lookups))

    def exclude(self, **lookups: Any) -> "Rows":
        return replace(self, condition=self.condition & ~Q(**lookups))


QS = Callable[[Scope], "QuerySet | Rows"]
PerUnit = Callable[[AdministrativeUnit, datetime, datetime], Value]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    section: str
    formula: str
    kind: str  # "count", "sum", "share" or "unit" (computed per unit)
    numerator: QS | None = None
    denominator: QS | None = None
    total: str = ""  # for "sum": the field added up
    per_unit: PerUnit | None = None
    drills: bool = True  # the number links to the rows behind it
    live: bool = False  # depends on the clock, not only on rows: never summarised

    @property
    def formula_text(self) -> str:
        """The formula in the reader's language (the docstring, translated)."""
        return _(self.formula) if self.formula else ""

    def values(
        self, scope: Scope, units: Sequence[AdministrativeUnit] | None = None
    ) -> dict[int, Value]:
        """unit id → value, for every unit of the scope (0 where nothing was counted);
        ``units``: the scope's units, already loaded (for the per-unit figures)."""
        if self.kind == "unit":
            assert self.per_unit is not None
            if units is None:
                units = list(AdministrativeUnit.objects.filter(pk__in=scope.units))
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

    def rows(self, scope: Scope, *, part: str = "numerator") -> QuerySet:
        """The rows behind the number (the numerator, or the denominator of a share)."""
        source = self.denominator if part == "denominator" else self.numerator
        if source is None or not self.drills:
            raise LookupError(self.key)
        return _queryset(scope, source(scope))


def _queryset(scope: Scope, found: "QuerySet | Rows") -> QuerySet:
    if isinstance(found, Rows):
        rows = found.model._default_manager.filter(**{f"{found.unit}__in": scope.units})
        rows = rows.filter(found.condition)
        if found.through:  # the parents that have such a row
            parent = found.model._meta.get_field(found.through).related_model
            return parent._default_manager.filter(pk__in=rows.values(found.counted))
        return rows
    return found


def _batch(scope: Scope, figures: list[Figure]) -> dict[str, dict[int, Value]]:
    """One query per model for every batched figure: the rows of any of their windows (an
    OR of indexed ranges, as a hand-written report would scan them once), each figure's part
    a COUNT(*) FILTER (WHERE its condition)."""
    # Parts of one model (and one parent, and one alone window) share a query; the first
    # part of a group says how its rows reach their unit and what they count.
    groups: dict[tuple[type[Model], str, Q | None], tuple[Rows, list[Q], dict[str, Q]]] = {}
    for figure in figures:
        for n, part in enumerate(figure.parts(scope)):
            assert isinstance(part, Rows)
            key = (part.model, part.through, part.window if part.alone else None)
            _first, windows, conditions = groups.setdefault(key, (part, [], {}))
            if part.window not in windows:
                windows.append(part.window)
            conditions[f"{figure.key}__{n}"] = part.condition
    counted: dict[str, dict[int, int]] = {}
    for first, windows, conditions in groups.values():
        tally = {
            alias: Count(first.counted, distinct=bool(first.through), filter=c)
            for alias, c in conditions.items()
        }
        rows = (
            first.model._default_manager.filter(**{f"{first.unit}__in": scope.units})
            .filter(reduce(or_, windows))
            .order_by()
            .values(first.unit)
            .annotate(**tally)
        )
        for row in rows:
            for alias in conditions:
                counted.setdefault(alias, {})[row[first.unit]] = row[alias]
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


# --- registration ------------------------------------------------------------------------------
REGISTRY: dict[str, Figure] = {}


def _register(figure: Figure) -> None:
    if figure.section not in SECTIONS:
        raise ValueError(f"figure {figure.key}: unknown section {figure.section!r}")
    known = REGISTRY.get(figure.key)
    if known and (known.section, known.kind, known.formula) != (
        figure.section,
        figure.kind,
        figure.formula,
    ):  # the same module imported again re-registers the same figure; two owners cannot
        raise ValueError(f"figure {figure.key} is registered twice")
    REGISTRY[figure.key] = figure


def _formula(function: Callable[..., Any]) -> str:
    return " ".join((function.__doc__ or "").split())


def count(key: str, label: str, section: str, **options: Any) -> Callable[[QS], QS]:
    """Register rows (or a queryset with a ``unit_id``) as a count figure."""

    def register(function: QS) -> QS:
        _register(Figure(key, label, section, _formula(function), "count",
                         numerator=function, **options))  # fmt: skip
        return function

    return register


def total(key: str, label: str, section: str, field_name: str) -> Callable[[QS], QS]:
    """Register a queryset whose ``field_name`` is added up (copies, amounts)."""

    def register(function: QS) -> QS:
        _register(Figure(key, label, section, _formula(function), "sum",
                         numerator=function, total=field_name))  # fmt: skip
        return function

    return register


def share(key: str, label: str, section: str, *, of: QS, **options: Any) -> Callable[[QS], QS]:
    """Register a share: the decorated rows over ``of``."""

    def register(function: QS) -> QS:
        _register(Figure(key, label, section, _formula(function), "share",
                         numerator=function, denominator=of, **options))  # fmt: skip
        return function

    return register


def per_unit(key: str, label: str, section: str, **options: Any) -> Callable[[PerUnit], PerUnit]:
    """Register a figure computed for one unit and period by the decorated function."""

    def register(function: PerUnit) -> PerUnit:
        _register(Figure(key, label, section, _formula(function), "unit",
                         per_unit=function, drills=False, **options))  # fmt: skip
        return function

    return register


# Items (with ``title``, ``date`` and a page URL) that one app counts into another's figure.
Addend = Callable[[AdministrativeUnit, Any, Any], Sequence[Any]]
ADDENDS: dict[str, list[Addend]] = {}


def addend(key: str) -> Callable[[Addend], Addend]:
    """Register ``function(unit, first_day, last_day)`` whose items the figure ``key`` counts
    besides its own (its owner calls ``addends``)."""

    def register(function: Addend) -> Addend:
        if function not in ADDENDS.setdefault(key, []):
            ADDENDS[key].append(function)
        return function

    return register


def addends(key: str, unit: AdministrativeUnit, first: Any, last: Any) -> list[Any]:
    return [item for function in ADDENDS.get(key, []) for item in function(unit, first, last)]


# Counts by officer (user id → count) for a unit and period, read by the officers' evaluation.
PerOfficer = Callable[[AdministrativeUnit, Any, Any], dict[int, int]]
PER_OFFICER: dict[str, PerOfficer] = {}


def per_officer(key: str) -> Callable[[PerOfficer], PerOfficer]:
    def register(function: PerOfficer) -> PerOfficer:
        PER_OFFICER[key] = function
        return function

    return register


def by_officer(key: str, unit: AdministrativeUnit, first: Any, last: Any) -> dict[int, int]:
    """The registered count by officer, or nothing when no app provides it."""
    function = PER_OFFICER.get(key)
    return function(unit, first, last) if function else {}


# The reform self-assessment's criteria that an inspection's finding may bear on, for a unit
# (motcua.reports provides them; motcua.planning's findings refer to one by its id).
CRITERIA: list[Callable[[AdministrativeUnit], QuerySet]] = []


def criteria_source(function: Callable[[AdministrativeUnit], QuerySet]) -> Callable:
    CRITERIA[:] = [function]
    return function


def criteria_for(unit: AdministrativeUnit) -> QuerySet | None:
    """The criteria a finding of ``unit`` may bear on, or None when no app provides them."""
    return CRITERIA[0](unit) if CRITERIA else None


# --- reading ---------------------------------------------------------------------------------
@dataclass
class Table:
    """Every figure for every unit of a scope: the report, the roll-up, the exports."""

    scope: Scope
    figures: list[Figure]
    values: dict[str, dict[int, Value]] = field(default_factory=dict)
    # When read from a replica that was behind: the data is as of this time, not of now.
    as_of: datetime | None = None

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


def all_figures() -> dict[str, Figure]:
    """Every registered figure, in report order: by section, then as registered."""
    order = list(SECTIONS)
    ranked = sorted(REGISTRY.values(), key=lambda f: order.index(f.section))
    return {f.key: f for f in ranked}


def summarised_keys() -> list[str]:
    """The figures a closed period's summary holds (motcua.core.summaries)."""
    return [key for key, figure in all_figures().items() if not figure.live]


def compute(units: Iterable[int], start: datetime, end: datetime,
            keys: Iterable[str] | None = None, *, summaries: bool = True) -> Table:  # fmt: skip
    """Every chosen figure for every unit. A closed period's figures are read from its
    summaries where they are valid (motcua.core.summaries); the rest are counted, from the
    replica when one may serve. ``summaries=False``: everything counted, from the primary
    (what the summaries are made of)."""
    from motcua.core import summaries as stored

    scope = Scope(tuple(sorted(set(units))), start, end)
    chosen = [REGISTRY[k] for k in keys] if keys is not None else list(all_figures().values())
    table = Table(scope, chosen)
    reading = replica_reads() if summaries else nullcontext(Reading())
    with reading as read:
        found = stored.valid(scope.units, start, end) if summaries else {}
        # Which units each figure still has to be counted for.
        needed: dict[tuple[int, ...], list[Figure]] = {}
        for figure in chosen:
            values = table.values.setdefault(figure.key, {})
            if not figure.live:
                for unit, held in found.items():
                    if held.get(figure.key) is not None:
                        values[unit] = stored.decode(held[figure.key])
            rest = tuple(u for u in scope.units if u not in values)
            if rest:
                needed.setdefault(rest, []).append(figure)
        for rest, figures in needed.items():
            for key, values in _count(replace(scope, units=rest), figures).items():
                table.values[key].update(values)
    table.values = {f.key: {u: table.values[f.key][u] for u in scope.units} for f in chosen}
    table.as_of = read.as_of
    return table


def _count(scope: Scope, figures: list[Figure]) -> dict[str, dict[int, Value]]:
    """The figures counted from the rows: the batched ones together, then the others."""
    batched = [f for f in figures if f.batched(scope)]
    found = _batch(scope, batched)
    # The units are loaded once for every figure computed unit by unit.
    units = None
    for figure in figures:
        if figure not in batched:
            if figure.kind == "unit" and units is None:
                units = list(AdministrativeUnit.objects.filter(pk__in=scope.units))
            found[figure.key] = figure.values(scope, units)
    return found


# --- writing ---------------------------------------------------------------------------------
def written(value: object) -> str:
    """How a figure is written in pages and documents: 1.234 · 87,5% (35/40) · "not yet
    measured"."""
    if isinstance(value, NotMeasured):
        return _("not yet measured")
    if isinstance(value, Share):
        if not value.denominator:
            return "— (0/0)"  # nothing to measure in the period
        return f"{percent(value)}% ({thousands(value.numerator)}/{thousands(value.denominator)})"
    if isinstance(value, int):
        return thousands(value)
    return str(value)


def percent(share: Share) -> str:
    return f"{share.numerator * 100 / share.denominator:.1f}".replace(".", ",")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")
