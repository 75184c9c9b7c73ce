"""Reads of the one-stop desk, scoped to the acting user's units."""

from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.identity import normalise_phone
from motcua.core.models import AdministrativeUnit, RoleAssignment, User
from motcua.core.permissions import units_where

from .deadlines import calendar_of
from .models import Dossier, DossierStep, Status, SupplementRequest

QUEUES = ["to_receive", "mine", "due_soon", "late", "waiting", "ready"]


def dossiers_for(user: User) -> QuerySet[Dossier]:
    """Every dossier the user may see: those of the units they hold a role in."""
    return Dossier.objects.filter(unit__in=units_where(user, "dossier.view")).select_related(
        "unit", "procedure"
    )


OPEN_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT]


def queue(user: User, name: str, now: datetime | None = None) -> list[Dossier]:
    """The desk's work lists; "due soon" means at most DUE_SOON_DAYS working days left."""
    now = now or timezone.now()
    mine = dossiers_for(user).select_related("assignee", "current_step")
    open_ = mine.filter(status__in=OPEN_STATUSES)
    # Each list is one condition on the dossier row (no OR of querysets, no join): the index
    # on (unit, status, due_at) answers it however many dossiers the unit has had.
    answered = SupplementRequest.objects.filter(
        answered_at__isnull=False, fulfilled_at__isnull=True
    ).values("dossier_id")
    lists: dict[str, QuerySet[Dossier]] = {
        # Submitted, or waiting on a supplement the applicant has now sent online.
        "to_receive": mine.filter(
            Q(status__in=[Status.DRAFT, Status.PENDING])
            | Q(status=Status.AWAITING_SUPPLEMENT, pk__in=answered)
        ),
        "mine": open_.filter(assignee=user),
        "late": mine.filter(status__in=[*OPEN_STATUSES, Status.RESULT_READY], due_at__lt=now),
        "waiting": mine.filter(
            status__in=[Status.SUPPLEMENT_REQUESTED, Status.AWAITING_SUPPLEMENT]
        ),
        "ready": mine.filter(status=Status.RESULT_READY),
    }
    if name == "due_soon":
        return [d for d in open_.filter(due_at__gte=now).order_by("due_at") if _soon(d, now)]
    return list(lists[name].order_by("due_at", "created_at")[:200])


def _soon(dossier: Dossier, now: datetime) -> bool:
    assert dossier.due_at is not None
    left = calendar_of(dossier).working_days_between(now, dossier.due_at)
    return left <= settings.MOTCUA_DUE_SOON_DAYS


def queue_counts(user: User) -> dict[str, int]:
    return {name: len(queue(user, name)) for name in QUEUES}


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
