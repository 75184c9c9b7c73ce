"""Reads of the one-stop desk, scoped to the acting user's units."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.core.identity import normalise_phone
from motcua.core.models import AdministrativeUnit, RoleAssignment, User
from motcua.core.permissions import units_where
from motcua.core.selectors import calendar_for

from .deadlines import due_soon_before
from .models import (
    OPEN_STATUSES,
    WORK_STATUSES,
    Dossier,
    DossierStep,
    Status,
    SupplementRequest,
)

QUEUES = ["to_receive", "mine", "due_soon", "late", "waiting", "ready"]


def dossiers_for(user: User) -> QuerySet[Dossier]:
    """Every dossier the user may see: those of the units they hold a role in."""
    return Dossier.objects.filter(unit__in=units_where(user, "dossier.view")).select_related(
        "unit", "procedure"
    )


LIST_LENGTH = 200  # a list shows the first rows in due order; its count is exact


def _lists(user: User, now: datetime, names: list[str]) -> dict[str, Q]:
    """Each work list as one condition on the dossier row (no OR of querysets, no join), so
    that a partial index of the current work answers it however many dossiers the unit has
    had; "due soon" means at most DUE_SOON_DAYS working days left."""
    answered = SupplementRequest.objects.filter(
        answered_at__isnull=False, fulfilled_at__isnull=True
    ).values("dossier_id")
    lists = {
        # Submitted, or waiting on a supplement the applicant has now sent online.
        "to_receive": lambda: (
            Q(status__in=[Status.DRAFT, Status.PENDING])
            | Q(status=Status.AWAITING_SUPPLEMENT, pk__in=answered)
        ),
        "mine": lambda: Q(status__in=OPEN_STATUSES, assignee=user),
        "due_soon": lambda: Q(status__in=OPEN_STATUSES, due_at__gte=now) & _due_soon(user, now),
        "late": lambda: Q(status__in=[*OPEN_STATUSES, Status.RESULT_READY], due_at__lt=now),
        "waiting": lambda: Q(status__in=[Status.SUPPLEMENT_REQUESTED, Status.AWAITING_SUPPLEMENT]),
        "ready": lambda: Q(status=Status.RESULT_READY),
    }
    return {name: lists[name]() for name in names}


def _due_soon(user: User, now: datetime) -> Q:
    """Due before the first moment with more than DUE_SOON_DAYS working days left, in each
    unit's own calendar (only the units that have an open dossier not yet late)."""
    waiting = dossiers_for(user).filter(status__in=OPEN_STATUSES, due_at__gte=now)
    units = AdministrativeUnit.objects.filter(pk__in=waiting.values("unit_id").order_by())
    found = Q(pk__isnull=True)  # none, until a unit has such a dossier
    for unit in units:
        found |= Q(unit_id=unit.pk, due_at__lt=due_soon_before(calendar_for(unit), now))
    return found


def queue(user: User, name: str, now: datetime | None = None) -> list[Dossier]:
    """The first LIST_LENGTH dossiers of one of the desk's work lists, in due order."""
    now = now or timezone.now()
    mine = dossiers_for(user)
    # The ids first, on the dossier row alone, then their rows with what the list shows: the
    # planner cannot know how many of a unit's open dossiers one officer holds, and joining
    # before the LIMIT made it fetch them all (80 ms for 8,000 at 10M rows, not 5).
    found = mine.filter(_lists(user, now, [name])[name]).order_by("due_at", "created_at")
    ids = list(found.values_list("pk", flat=True)[:LIST_LENGTH])
    rows = mine.select_related("assignee", "current_step").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def queue_counts(user: User, now: datetime | None = None) -> dict[str, int]:
    """How many dossiers each work list holds (every one, not only those shown): one query."""
    now = now or timezone.now()
    conditions = {name: Count("pk", filter=q) for name, q in _lists(user, now, QUEUES).items()}
    return dossiers_for(user).filter(status__in=WORK_STATUSES).aggregate(**conditions)


def candidates(dossier: Dossier, step: DossierStep) -> list[User]:
    """Who can take ``step``: the unit's active holders of its role (and position)."""
    held = RoleAssignment.objects.filter(unit=dossier.unit, role=step.role, is_active=True)
    if step.position:
        held = held.filter(position=step.position)
    return [a.user for a in held.select_related("user").order_by("user__full_name")]


def next_step(dossier: Dossier) -> DossierStep | None:
    if dossier.current_step is None:
        return dossier.steps.order_by("order").first()
    return dossier.steps.filter(order__gt=dossier.current_step.order).order_by("order").first()


def returning_applicant(
    user: User, personal_id: str, unit: AdministrativeUnit | None = None
) -> Dossier | None:
    """The latest dossier of this applicant in the user's units (at the desk: of the desk's
    unit), to fill the form again."""
    if len(personal_id) != 12:
        return None
    found = dossiers_for(user).filter(applicant_personal_id=personal_id)
    if unit is not None:
        found = found.filter(unit=unit)
    return found.order_by("-created_at").first()


def ledger_lines(unit: AdministrativeUnit, start: datetime, end: datetime) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(unit=unit, received_at__gte=start, received_at__lt=end)
        .exclude(ledger_line__isnull=True)
        .select_related("procedure")
        .prefetch_related("steps")
        .order_by("ledger_year", "ledger_line")
    )


def returned_late_without_apology(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Late returns with no apology (a leader let them go): a violation reports must count."""
    return dossiers.filter(status=Status.RETURNED, timeliness="late", apologies__isnull=True)


def lookup(code: str, phone: str) -> Dossier | None:
    """A dossier by code, only when the phone given is the applicant's (else nothing at all)."""
    phone = normalise_phone(phone)
    if not code or len(phone) < 9:
        return None
    dossier = Dossier.objects.filter(code=code.strip().upper()).select_related("procedure").first()
    if dossier is None or normalise_phone(dossier.applicant_phone) != phone:
        return None
    return dossier
