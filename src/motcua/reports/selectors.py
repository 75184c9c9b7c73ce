"""Reads of the reports: which communes a user may report on, the figures of a unit or of a
province, breakdowns by field and procedure, the dossiers behind a number."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from motcua.core.figures import Figure, Scope, Table, all_figures, compute
from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.models.units import COMMUNE_KINDS
from motcua.core.periods import Period
from motcua.core.permissions import units_where
from motcua.core.selectors import active_assignments
from motcua.dossiers.models import ELECTRONIC_CHANNELS, Dossier, Timeliness

# The figures shown side by side for every commune of a province (the roll-up).
ROLL_UP = [
    "received",
    "online_share",
    "returned",
    "on_time_share",
    "returned_late",
    "late_without_apology",
    "apologies",
    "overdue_at_end",
    "online_paid_share",
    "e_result_share",
    "e_certified",
    "satisfaction_share",
    "feedback_on_time",
    "docs_signed",
]


def communes_for(user: User) -> QuerySet[AdministrativeUnit]:
    """Communes whose figures the user may see: their own; a province viewer's province's."""
    return units_where(user, "report.unit").filter(kind__in=COMMUNE_KINDS).order_by("name")


def provinces_for(user: User) -> QuerySet[AdministrativeUnit]:
    """Provinces the user may roll up: a province viewer's, or any for an administrator."""
    if user.is_superuser:
        return AdministrativeUnit.objects.filter(kind__in=["province", "city"]).order_by("name")
    viewed = active_assignments(user).filter(role=Role.PROVINCE_VIEWER).values("unit_id")
    return AdministrativeUnit.objects.filter(pk__in=viewed).order_by("name")


def chosen_commune(user: User, code: str) -> AdministrativeUnit:
    """?don-vi=<code> among the user's communes; their first one when absent."""
    communes = communes_for(user)
    unit = communes.filter(code=code).first() if code else communes.first()
    if unit is None:
        if code and AdministrativeUnit.objects.filter(code=code).exists():
            raise PermissionDenied(_("You do not see the figures of this unit."))
        raise Http404
    return unit


def chosen_province(user: User, code: str) -> AdministrativeUnit:
    provinces = provinces_for(user)
    unit = provinces.filter(code=code).first() if code else provinces.first()
    if unit is None:
        raise PermissionDenied(_("Only a province viewer sees the communes side by side."))
    return unit


def unit_report(unit: AdministrativeUnit, period: Period) -> Table:
    return compute([unit.pk], period.start, period.end)


def province_report(province: AdministrativeUnit, period: Period) -> Table:
    communes = AdministrativeUnit.objects.filter(parent=province, kind__in=COMMUNE_KINDS)
    return compute(communes.values_list("pk", flat=True), period.start, period.end, ROLL_UP)


@dataclass(frozen=True)
class BreakdownRow:
    key: int
    name: str
    received: int
    online: int
    returned: int
    in_time: int
    late: int


def breakdown(unit: AdministrativeUnit, period: Period, by: str) -> list[BreakdownRow]:
    """Received and returned dossiers per field ("field") or per procedure ("procedure")."""
    group = "procedure__field" if by == "field" else "procedure"
    name = f"{group}__name"
    ours = Dossier.objects.filter(unit=unit)
    in_period = Q(received_at__gte=period.start, received_at__lt=period.end)
    back = Q(returned_at__gte=period.start, returned_at__lt=period.end, status="returned")
    rows = (
        ours.filter(in_period | back)
        .values(group, name)
        .annotate(
            received=Count("pk", filter=in_period),
            online=Count("pk", filter=in_period & Q(channel__in=ELECTRONIC_CHANNELS)),
            returned=Count("pk", filter=back),
            in_time=Count("pk", filter=back & ~Q(timeliness=Timeliness.LATE)),
            late=Count("pk", filter=back & Q(timeliness=Timeliness.LATE)),
        )
        .order_by(name)
    )
    fields = ("received", "online", "returned", "in_time", "late")
    return [BreakdownRow(r[group], r[name], *(r[f] for f in fields)) for r in rows]


def figure(key: str) -> Figure:
    found = all_figures().get(key)
    if found is None:
        raise Http404
    return found


def dossiers_behind(
    user: User,
    key: str,
    units: list[AdministrativeUnit],
    period: Period,
    part: str,
    *,
    field: int | None = None,
    procedure: int | None = None,
) -> QuerySet[Dossier]:
    """The dossiers a number counts, for units the user may see (a breakdown row narrows
    them to one field or procedure)."""
    allowed = set(communes_for(user).values_list("pk", flat=True))
    if not units or any(u.pk not in allowed for u in units):
        raise PermissionDenied(_("You do not see the figures of this unit."))
    try:
        found = figure(key).rows(
            Scope(tuple(u.pk for u in units), period.start, period.end), part=part
        )
    except LookupError as error:
        raise Http404 from error
    if found.model is not Dossier:  # a figure counting other rows lists them on its own page
        raise Http404
    if field is not None:
        found = found.filter(procedure__field_id=field)
    if procedure is not None:
        found = found.filter(procedure_id=procedure)
    return found.select_related("procedure", "unit").order_by("received_at", "pk").distinct()
