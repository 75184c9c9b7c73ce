"""The evaluation of Thông tư 01/2018/TT-VPCP (Điều 13–15, DOMAIN.md §3): nine indicators
scored 2, 1 or 0, per dossier, per officer and per unit; the officers' task completion and the
agency's ranking.

Per dossier (returned in the period): (1) total time — early 2, on time 1, late 0, against the
first due date; (2) time of each participating step — all early 2, none late 1, one late 0;
(3) contacts the applicant needed — supplement requests 0 → 2, 1 → 1, more → 0; (4) agencies
contacted, (6) publicity and (7) staff attitude from the applicant's rating, when they rated.
Per unit: those six averaged to one decimal; (5) desk organisation is scored by an inspection,
which MotCua does not hold yet (not measured); (8) feedback answered on time — 100% → 2,
90% or more → 1, else 0; (9) online services — at least 20% of procedures and 30% of dossiers
online with no online dossier late → 2, 15% or more of dossiers online → 1, else 0.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.figures import Share, by_officer, compute
from motcua.core.models import AdministrativeUnit, User
from motcua.core.periods import Period
from motcua.dossiers.models import ELECTRONIC_CHANNELS, Dossier, Status, Timeliness

TIME = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}
PER_DOSSIER = (1, 2, 3, 4, 6, 7)
TENTH = Decimal("0.1")


@dataclass
class DossierScore:
    dossier: Dossier
    points: dict[int, int | None]  # indicator → 2/1/0, None when not known for this dossier


def _steps(dossier: Dossier) -> int | None:
    judged = [s.timeliness for s in dossier.steps.all() if s.timeliness]
    if not judged:
        return None
    if Timeliness.LATE in judged:
        return 0
    return 2 if all(t == Timeliness.EARLY for t in judged) else 1


def _contacts(dossier: Dossier) -> int:
    asked = len(dossier.supplements.all())
    return 2 if asked == 0 else 1 if asked == 1 else 0


def dossier_score(dossier: Dossier) -> DossierScore:
    rating = getattr(dossier, "rating", None)
    rated = rating.points() if rating is not None else {}
    return DossierScore(
        dossier,
        {
            1: TIME.get(dossier.timeliness),  # type: ignore[call-overload]
            2: _steps(dossier),
            3: _contacts(dossier),
            4: rated.get("agencies"),
            6: rated.get("publicity"),
            7: rated.get("attitude"),
        },
    )


def returned_dossiers(unit: AdministrativeUnit, period: Period) -> list[Dossier]:
    found = Dossier.objects.filter(
        unit=unit,
        status=Status.RETURNED,
        returned_at__gte=period.start,
        returned_at__lt=period.end,
    )
    related = found.select_related("rating", "procedure").prefetch_related(
        "steps__finished_by", "supplements"
    )
    return list(related.order_by("returned_at", "pk"))


def average(scores: list[DossierScore], indicator: int) -> Decimal | None:
    known = [s.points[indicator] for s in scores if s.points.get(indicator) is not None]
    if not known:
        return None
    return (Decimal(sum(known)) / len(known)).quantize(TENTH, rounding=ROUND_HALF_UP)  # type: ignore[arg-type]


def _feedback(share: object) -> int | None:
    if not isinstance(share, Share) or not share.denominator:
        return None
    ratio = share.numerator / share.denominator
    return 2 if ratio >= 1 else 1 if ratio >= 0.9 else 0


def _online(procedures: object, dossiers: object, late_online: int) -> int | None:
    if not isinstance(dossiers, Share) or not dossiers.denominator:
        return None
    online = dossiers.numerator / dossiers.denominator
    offered = procedures.ratio if isinstance(procedures, Share) and procedures.denominator else 0
    if offered >= 0.2 and online >= 0.3 and late_online == 0:
        return 2
    return 1 if online >= 0.15 else 0


@dataclass
class OfficerScore:
    officer: User
    dossiers: int
    indicators: dict[int, Decimal | None]
    complaints: int = 0  # substantiated complaints about the officer in the period

    @property
    def total(self) -> Decimal:
        return sum((v for v in self.indicators.values() if v is not None), Decimal(0))

    @property
    def completion(self) -> str:
        if self.total >= 5:
            return _("completes the task in full")
        if self.total >= Decimal("3.5"):
            return _("completes 70% to 100% of the task")
        return _("completes less than 70% of the task")


@dataclass
class UnitEvaluation:
    dossiers: list[DossierScore]
    indicators: dict[int, Decimal | int | None]  # 1..9; None: not measured
    officers: list[OfficerScore] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((Decimal(v) for v in self.indicators.values() if v is not None), Decimal(0))

    @property
    def measured_max(self) -> int:
        return 2 * sum(1 for v in self.indicators.values() if v is not None)

    @property
    def scaled(self) -> Decimal | None:
        """The total brought to the 18 points of all nine indicators, for the ranking."""
        if not self.measured_max:
            return None
        return (self.total * 18 / self.measured_max).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def ranking(self) -> str:
        scaled = self.scaled
        if scaled is None:
            return _("not yet measured")
        for threshold, label in ((15, _("excellent")), (12, _("good")), (9, _("fair")),
                                 (6, _("average"))):  # fmt: skip
            if scaled >= threshold:
                return label
        return _("weak")


def staff_indicators() -> tuple[int, ...]:
    """The indicators an officer is judged by (MOTCUA_TT01_STAFF_INDICATORS)."""
    return tuple(int(n) for n in settings.MOTCUA_TT01_STAFF_INDICATORS.split(",") if n.strip())


def evaluate(unit: AdministrativeUnit, period: Period) -> UnitEvaluation:
    scores = [dossier_score(d) for d in returned_dossiers(unit, period)]
    table = compute([unit.pk], period.start, period.end,
                    ["feedback_on_time", "procedures_online", "online_share"])  # fmt: skip
    late_online = sum(
        1
        for s in scores
        if s.dossier.channel in ELECTRONIC_CHANNELS and s.dossier.timeliness == Timeliness.LATE
    )
    indicators: dict[int, Decimal | int | None] = {n: average(scores, n) for n in PER_DOSSIER}
    indicators[5] = None  # desk organisation: scored by inspection
    indicators[8] = _feedback(table.value("feedback_on_time", unit.pk))
    indicators[9] = _online(
        table.value("procedures_online", unit.pk), table.value("online_share", unit.pk), late_online
    )
    officers = _officers(scores, staff_indicators())
    _complaints(unit, period, officers)
    return UnitEvaluation(scores, dict(sorted(indicators.items())), officers)


def _complaints(unit: AdministrativeUnit, period: Period, officers: list[OfficerScore]) -> None:
    """A substantiated complaint about an officer in the period sets their indicator (7),
    staff attitude, to 0 (motcua.planning records and settles complaints)."""
    counts = by_officer("complaints_substantiated", unit, period.first, period.last)
    for score in officers:
        score.complaints = counts.get(score.officer.pk, 0)
        if score.complaints and 7 in score.indicators:
            score.indicators[7] = Decimal(0)


def _officers(scores: list[DossierScore], judged: tuple[int, ...]) -> list[OfficerScore]:
    """Each officer who finished a step of a returned dossier, on those dossiers."""
    by_officer: dict[int, tuple[User, list[DossierScore]]] = {}
    for score in scores:
        for step in score.dossier.steps.all():
            if step.finished_by_id is None:
                continue
            _officer, theirs = by_officer.setdefault(step.finished_by_id, (step.finished_by, []))
            if score not in theirs:
                theirs.append(score)
    found = [
        OfficerScore(officer, len(theirs), {n: average(theirs, n) for n in judged})
        for officer, theirs in by_officer.values()
    ]
    return sorted(found, key=lambda o: (-o.total, o.officer.get_full_name()))
